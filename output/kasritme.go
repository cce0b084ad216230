package output

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
)

const sheetCash = "Kasritme"

// yearRange returns the first and last budget year over all cases.
func yearRange(res *raming.Result) (first, last int) {
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			ys := c.Profile.Years
			if first == 0 || ys[0].Year < first {
				first = ys[0].Year
			}
			if ys[len(ys)-1].Year > last {
				last = ys[len(ys)-1].Year
			}
		}
	}
	return first, last
}

// cashProfile writes the multi-year profile like a budget table: budget
// years as columns, per case the commitments ("verplichtingen") and cash
// ("kas") of the scheme and the CWS, the execution costs beside them, and
// the decisions per year. The Totaal column sums the years; the Controle
// column shows that they add up to the case total on the variant sheet.
func (wb *workbook) cashProfile(s *sheet) error {
	first, last := yearRange(wb.res)
	nYears := last - first + 1
	totalCol := colName(3 + nYears)
	s.width(1, 1, 12)
	s.width(2, 2, 44)
	s.width(3, 4+nYears, 17)
	s.freeze(2, 4)
	p := wb.res.Scenario.Phasing
	header := []any{wb.text("Geval", "header"), wb.text("Regel", "header")}
	for y := first; y <= last; y++ {
		header = append(header, wb.text(fmt.Sprint(y), "headerR"))
	}
	header = append(header, wb.text("Totaal", "headerR"), wb.text("Controle (totaal − raming)", "headerR"))
	s.row(wb.text("Kasritme per begrotingsjaar", "title"))
	s.row(wb.text(fmt.Sprintf("Prijspeil %s; bedragen in euro. Verplichtingen vallen in het jaar van het besluit, kas in het jaar van betaling. "+
		"Totaal is excl. uitvoering; uitvoeringskosten staan ernaast en tellen niet mee. Openstelling %s, capaciteit CWS %s per jaar (zie Aannames).",
		p.PriceLevelYear.Value, p.OpeningYear.Value, nl(p.CWSCapacity.Value, -1)), "note"))
	s.row()
	s.row(header...)
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			totalCell := wb.ref(refTotal(c.ID))
			byYear := map[int]raming.Year{}
			for _, y := range c.Profile.Years {
				byYear[y.Year] = y
			}
			line := func(label, style string, get func(raming.Year) decimal.Decimal) int {
				row := s.next()
				r := []any{c.ID, label}
				sum := decimal.Zero
				for y := first; y <= last; y++ {
					d := get(byYear[y])
					sum = sum.Add(d)
					r = append(r, wb.cell(num(d), style))
				}
				r = append(r, wb.formulaCell(fmt.Sprintf("SUM(C%d:%s%d)", row, colName(2+nYears), row), num(sum), style))
				return s.row(r...)
			}
			sumLine := func(label string, a, b int, get func(raming.Year) decimal.Decimal) {
				row := s.next()
				r := []any{c.ID, wb.text(label, "bold")}
				for i := 0; i <= nYears; i++ {
					col := colName(3 + i)
					var val decimal.Decimal
					if i < nYears {
						val = get(byYear[first+i])
					} else {
						val = c.Total.Value.Round(2)
					}
					r = append(r, wb.formulaCell(fmt.Sprintf("%s%d+%s%d", col, a, col, b), num(val), "eurBold"))
				}
				r = append(r, wb.formulaCell(fmt.Sprintf("ROUND(%s%d-%s,2)", totalCol, row, totalCell), 0.0, "eur"))
				s.row(r...)
			}
			s.row(wb.text(c.ID+": "+c.Label, "bold"))
			a := line("Verplichtingen regeling", "eur", func(y raming.Year) decimal.Decimal { return y.Commitments.Scheme })
			b := line("Verplichtingen CWS", "eur", func(y raming.Year) decimal.Decimal { return y.Commitments.CWS })
			sumLine("Verplichtingen totaal (excl. uitvoering)", a, b, func(y raming.Year) decimal.Decimal { return y.Commitments.Total })
			a = line("Kas regeling", "eur", func(y raming.Year) decimal.Decimal { return y.Cash.Scheme })
			b = line("Kas CWS", "eur", func(y raming.Year) decimal.Decimal { return y.Cash.CWS })
			sumLine("Kas totaal (excl. uitvoering)", a, b, func(y raming.Year) decimal.Decimal { return y.Cash.Total })
			if c.Profile.ExecutionKnown {
				line("Uitvoeringskosten (kas, niet in totaal)", "eur", func(y raming.Year) decimal.Decimal { return y.Cash.Execution })
			} else {
				s.row(c.ID, "Uitvoeringskosten", wb.text("niet geraamd in het deck", "note"))
			}
			if !p.IndexationRate.Value.IsZero() {
				line("Kas totaal nominaal (geïndexeerd)", "eur", func(y raming.Year) decimal.Decimal { return y.Nominal })
			}
			if sim := wb.res.MonteCarlo; sim != nil {
				sc := simCase(sim, c.ID)
				for _, band := range []struct {
					label string
					get   func(raming.YearBand) float64
				}{{"Kas totaal P5 (Monte Carlo)", func(b raming.YearBand) float64 { return b.P5 }},
					{"Kas totaal P50 (Monte Carlo)", func(b raming.YearBand) float64 { return b.P50 }},
					{"Kas totaal P95 (Monte Carlo)", func(b raming.YearBand) float64 { return b.P95 }}} {
					r := []any{c.ID, band.label}
					for y := first; y <= last; y++ {
						var v any
						if b, ok := yearBand(sc, y); ok {
							v = wb.cell(band.get(b), "eur0")
						}
						r = append(r, v)
					}
					s.row(r...)
				}
			}
			line("Besluiten UHT (dossiers)", "persons", func(y raming.Year) decimal.Decimal { return y.UHTDecisions })
			line("Besluiten CWS (dossiers)", "persons", func(y raming.Year) decimal.Decimal { return y.CWSDecisions })
			last := "geen dossiers bij de CWS"
			if c.Profile.LastCWSYear != 0 {
				last = fmt.Sprint(c.Profile.LastCWSYear)
			}
			s.row(c.ID, "Laatste CWS-besluit", last)
			s.row()
		}
	}
	// Summary: the cash of each variant's first case per year, with a chart.
	s.row(wb.text("Kas totaal (excl. uitvoering) per variant, eerste geval", "section"))
	years := s.row(header[:2+nYears]...)
	var series []excelize.ChartSeries
	for _, v := range wb.res.Variants {
		c := v.Cases[0]
		r := []any{c.ID, v.ID + " " + v.Name}
		byYear := map[int]decimal.Decimal{}
		for _, y := range c.Profile.Years {
			byYear[y.Year] = y.Cash.Total
		}
		for y := first; y <= last; y++ {
			r = append(r, wb.cell(num(byYear[y]), "eur0"))
		}
		row := s.row(r...)
		series = append(series, excelize.ChartSeries{Name: s.abs(2, row), Categories: s.span(3, years, 2+nYears, years),
			Values: s.span(3, row, 2+nYears, row)})
	}
	s.chart(cellName(2, s.next()+1), &excelize.Chart{Type: excelize.Col, Series: series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Kasritme per variant (kas, excl. uitvoering)"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtEURMln}},
		Dimension: excelize.ChartDimension{Width: 760, Height: 340}})
	return nil
}
