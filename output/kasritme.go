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
func (wb *workbook) cashProfile(sw *sheetWriter) error {
	first, last := yearRange(wb.res)
	nYears := last - first + 1
	totalCol := colName(3 + nYears)
	sw.SetColWidth(1, 1, 12)
	sw.SetColWidth(2, 2, 44)
	sw.SetColWidth(3, 4+nYears, 17)
	sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 4, TopLeftCell: "C5", ActivePane: "bottomRight"})
	p := wb.res.Scenario.Phasing
	header := []any{wb.text("Geval", "header"), wb.text("Regel", "header")}
	for y := first; y <= last; y++ {
		header = append(header, wb.text(fmt.Sprint(y), "headerR"))
	}
	header = append(header, wb.text("Totaal", "headerR"), wb.text("Controle (totaal − raming)", "headerR"))
	rs := [][]any{
		{wb.text("Kasritme per begrotingsjaar", "title")},
		{wb.text(fmt.Sprintf("Prijspeil %s; bedragen in euro. Verplichtingen vallen in het jaar van het besluit, kas in het jaar van betaling. "+
			"Totaal is excl. uitvoering; uitvoeringskosten staan ernaast en tellen niet mee. Openstelling %s, capaciteit CWS %s per jaar (zie Aannames).",
			p.PriceLevelYear.Value, p.OpeningYear.Value, nl(p.CWSCapacity.Value, -1)), "note")},
		nil,
		header,
	}
	row := len(rs)
	for _, v := range wb.res.Variants {
		for ci, c := range v.Cases {
			totalCell := fmt.Sprintf("%s!%s%d", quoteSheet(variantSheet[v.ID]), colName(2+ci), rowTotal)
			byYear := map[int]raming.Year{}
			for _, y := range c.Profile.Years {
				byYear[y.Year] = y
			}
			line := func(label, style string, get func(raming.Year) decimal.Decimal, check bool) []any {
				row++
				r := []any{c.ID, label}
				sum := decimal.Zero
				for y := first; y <= last; y++ {
					d := get(byYear[y])
					sum = sum.Add(d)
					r = append(r, excelize.Cell{Value: num(d), StyleID: wb.styles[style]})
				}
				r = append(r, excelize.Cell{Formula: fmt.Sprintf("SUM(C%d:%s%d)", row, colName(2+nYears), row), Value: num(sum), StyleID: wb.styles[style]})
				if check {
					r = append(r, excelize.Cell{Formula: fmt.Sprintf("ROUND(%s%d-%s,2)", totalCol, row, totalCell), Value: num(sum.Sub(c.Total.Value.Round(2))), StyleID: wb.styles["eur"]})
				}
				return r
			}
			sumLine := func(label string, a, b int, get func(raming.Year) decimal.Decimal) []any {
				row++
				r := []any{c.ID, wb.text(label, "bold")}
				for i := 0; i <= nYears; i++ {
					col := colName(3 + i)
					var val decimal.Decimal
					if i < nYears {
						val = get(byYear[first+i])
					} else {
						val = c.Total.Value.Round(2)
					}
					r = append(r, excelize.Cell{Formula: fmt.Sprintf("%s%d+%s%d", col, a, col, b), Value: num(val), StyleID: wb.styles["eurBold"]})
				}
				r = append(r, excelize.Cell{Formula: fmt.Sprintf("ROUND(%s%d-%s,2)", totalCol, row, totalCell), Value: 0.0, StyleID: wb.styles["eur"]})
				return r
			}
			rs = append(rs, []any{wb.text(c.ID+": "+c.Label, "bold")})
			row++
			rs = append(rs,
				line("Verplichtingen regeling", "eur", func(y raming.Year) decimal.Decimal { return y.Commitments.Scheme }, false),
				line("Verplichtingen CWS", "eur", func(y raming.Year) decimal.Decimal { return y.Commitments.CWS }, false))
			rs = append(rs, sumLine("Verplichtingen totaal (excl. uitvoering)", row-1, row, func(y raming.Year) decimal.Decimal { return y.Commitments.Total }))
			rs = append(rs,
				line("Kas regeling", "eur", func(y raming.Year) decimal.Decimal { return y.Cash.Scheme }, false),
				line("Kas CWS", "eur", func(y raming.Year) decimal.Decimal { return y.Cash.CWS }, false))
			rs = append(rs, sumLine("Kas totaal (excl. uitvoering)", row-1, row, func(y raming.Year) decimal.Decimal { return y.Cash.Total }))
			if c.Profile.ExecutionKnown {
				rs = append(rs, line("Uitvoeringskosten (kas, niet in totaal)", "eur", func(y raming.Year) decimal.Decimal { return y.Cash.Execution }, false))
			} else {
				row++
				rs = append(rs, []any{c.ID, "Uitvoeringskosten", wb.text("niet geraamd in het deck", "note")})
			}
			if !p.IndexationRate.Value.IsZero() {
				rs = append(rs, line("Kas totaal nominaal (geïndexeerd)", "eur", func(y raming.Year) decimal.Decimal { return y.Nominal }, false))
			}
			if sim := wb.res.MonteCarlo; sim != nil {
				sc := simCase(sim, c.ID)
				for _, band := range []struct {
					label string
					get   func(raming.YearBand) float64
				}{{"Kas totaal P5 (Monte Carlo)", func(b raming.YearBand) float64 { return b.P5 }},
					{"Kas totaal P50 (Monte Carlo)", func(b raming.YearBand) float64 { return b.P50 }},
					{"Kas totaal P95 (Monte Carlo)", func(b raming.YearBand) float64 { return b.P95 }}} {
					row++
					r := []any{c.ID, band.label}
					for y := first; y <= last; y++ {
						var v any
						if b, ok := yearBand(sc, y); ok {
							v = excelize.Cell{Value: band.get(b), StyleID: wb.styles["eur0"]}
						}
						r = append(r, v)
					}
					rs = append(rs, r)
				}
			}
			rs = append(rs,
				line("Besluiten UHT (dossiers)", "persons", func(y raming.Year) decimal.Decimal { return y.UHTDecisions }, false),
				line("Besluiten CWS (dossiers)", "persons", func(y raming.Year) decimal.Decimal { return y.CWSDecisions }, false))
			last := "geen dossiers bij de CWS"
			if c.Profile.LastCWSYear != 0 {
				last = fmt.Sprint(c.Profile.LastCWSYear)
			}
			row++
			rs = append(rs, []any{c.ID, "Laatste CWS-besluit", last})
			row++
			rs = append(rs, nil)
		}
	}
	// Summary: the cash of each variant's first case per year, with a chart.
	row++
	rs = append(rs, []any{wb.text("Kas totaal (excl. uitvoering) per variant, eerste geval", "section")})
	row++
	rs = append(rs, header[:2+nYears])
	top := row + 1
	for _, v := range wb.res.Variants {
		c := v.Cases[0]
		row++
		r := []any{c.ID, v.ID + " " + v.Name}
		byYear := map[int]decimal.Decimal{}
		for _, y := range c.Profile.Years {
			byYear[y.Year] = y.Cash.Total
		}
		for y := first; y <= last; y++ {
			r = append(r, excelize.Cell{Value: num(byYear[y]), StyleID: wb.styles["eur0"]})
		}
		rs = append(rs, r)
	}
	var series []excelize.ChartSeries
	for i := range wb.res.Variants {
		r := top + i
		series = append(series, excelize.ChartSeries{Name: fmt.Sprintf("%s!$B$%d", sheetCash, r),
			Categories: fmt.Sprintf("%s!$C$%d:$%s$%d", sheetCash, top-1, colName(2+nYears), top-1),
			Values:     fmt.Sprintf("%s!$C$%d:$%s$%d", sheetCash, r, colName(2+nYears), r)})
	}
	chart := &excelize.Chart{Type: excelize.Col, Series: series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Kasritme per variant (kas, excl. uitvoering)"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtEURMln}},
		Dimension: excelize.ChartDimension{Width: 760, Height: 340}}
	if err := wb.f.AddChart(sheetCash, fmt.Sprintf("B%d", row+2), chart); err != nil {
		return err
	}
	return wb.rows(sw, rs)
}
