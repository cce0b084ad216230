package output

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
)

const sheetCash = "Kasritme"

// yearRange returns the first and last budget year over the cases
// (caseLastYear).
func yearRange(res *raming.Result, cases []raming.Case) (first, last int) {
	for _, c := range cases {
		ys := c.Profile.Years
		if first == 0 || ys[0].Year < first {
			first = ys[0].Year
		}
		last = max(last, caseLastYear(res, c))
	}
	return first, last
}

// caseLastYear is a case's last budget year: of its profile, or of its
// Monte Carlo bands when some draws pay later (a capacity drawn below its
// point value spreads the files over more years). The years after the
// profile's last have no point amount, only a band.
func caseLastYear(res *raming.Result, c raming.Case) int {
	ys := c.Profile.Years
	last := ys[len(ys)-1].Year
	if sim := res.MonteCarlo; sim != nil {
		if bands := sim.Case(c.ID).Years; len(bands) > 0 {
			last = max(last, bands[len(bands)-1].Year)
		}
	}
	return last
}

// cashProfile writes the multi-year profile in detail: budget years as
// columns; per case the commitments ("verplichtingen") and cash ("kas") of
// the scheme and the CWS, the execution costs beside them, and the files
// decided per year. Every year amount is a formula (the case's figure on
// its variant sheet times the year's share), so the years follow the
// assumptions; the Totaal column sums them and the Controle column shows
// that they add up to the case total. The Monte Carlo bands per year,
// which cannot follow, are a block of their own at the end.
func (wb *workbook) cashProfile(s *sheet) error {
	var all []raming.Case
	for _, v := range wb.res.Variants {
		all = append(all, v.Cases...)
	}
	first, last := yearRange(wb.res, all)
	nYears := last - first + 1
	totalCol := colName(3 + nYears)
	s.width(1, 1, 12)
	s.width(2, 2, 40)
	s.width(3, 4+nYears, 15)
	s.cols, s.printCols = 4+nYears, 4+nYears
	s.freeze(2, 4)
	s.titleRows = [2]int{4, 4}
	p := wb.res.Scenario.Phasing
	header := []any{wb.text("Geval", styleHeader), wb.text("Regel", styleHeader)}
	for y := first; y <= last; y++ {
		header = append(header, wb.text(fmt.Sprint(y), styleHeaderR))
	}
	header = append(header, wb.text("Totaal", styleHeaderR), wb.text("Controle (totaal − raming)", styleHeaderR))
	s.row(wb.text("Kasritme per begrotingsjaar", styleTitle))
	s.note(fmt.Sprintf("Prijspeil %s; bedragen in hele euro's (exact tot op de cent in de JSON). Verplichtingen vallen in het jaar van het besluit, kas in het jaar van betaling. "+
		"Totaal is excl. uitvoering; uitvoeringskosten staan ernaast en tellen niet mee. Openstelling %s, capaciteit CWS %s per jaar (zie Aannames). "+
		"De jaarbedragen zijn formules (het bedrag op het variantblad maal het aandeel van het jaar); de verdeling over de jaren zelf is die van de run.",
		p.PriceLevelYear.Value, p.OpeningYear.Value, nl(p.CWSCapacity.Value, -1)), styleNote)
	s.row()
	s.row(header...)
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			totalCell := wb.ref(refTotal(c.ID))
			byYear := map[int]raming.Year{}
			for _, y := range c.Profile.Years {
				byYear[y.Year] = y
			}
			years := func(get func(raming.Year) decimal.Decimal) []decimal.Decimal {
				out := make([]decimal.Decimal, nYears)
				for i := range out {
					out[i] = get(byYear[first+i])
				}
				return out
			}
			line := func(label string, style cellStyle, total decimal.Decimal, ref string, get func(raming.Year) decimal.Decimal) int {
				row := s.next()
				ys := years(get)
				r := append([]any{c.ID, label}, yearLine{total: total, ref: ref, years: ys}.cells(wb, style)...)
				r = append(r, wb.formulaCell(fmt.Sprintf("SUM(C%d:%s%d)", row, colName(2+nYears), row), num(decimal.Sum(decimal.Zero, ys...)), style))
				return s.row(r...)
			}
			sumLine := func(label string, a, b int, get func(raming.Year) decimal.Decimal) {
				row := s.next()
				r := []any{c.ID, wb.text(label, styleBold)}
				for i := 0; i <= nYears; i++ {
					col := colName(3 + i)
					var val decimal.Decimal
					if i < nYears {
						val = get(byYear[first+i])
					} else {
						val = c.Total.Value.Round(2)
					}
					r = append(r, wb.formulaCell(fmt.Sprintf("%s%d+%s%d", col, a, col, b), num(val), styleEur0Bold))
				}
				r = append(r, wb.formulaCell(fmt.Sprintf("ROUND(%s%d-%s,2)", totalCol, row, totalCell), 0.0, styleEur0))
				s.row(r...)
			}
			scheme, cws := wb.ref(refScheme(c.ID)), wb.ref(refCWS(c.ID))
			s.row(wb.text(c.ID+": "+c.Label, styleBold))
			a := line("Verplichtingen regeling", styleEur0, c.Scheme.Value, scheme, func(y raming.Year) decimal.Decimal { return y.Commitments.Scheme })
			b := line("Verplichtingen CWS", styleEur0, c.CWS.Value, cws, func(y raming.Year) decimal.Decimal { return y.Commitments.CWS })
			sumLine("Verplichtingen totaal (excl. uitvoering)", a, b, func(y raming.Year) decimal.Decimal { return y.Commitments.Total })
			a = line("Kas regeling", styleEur0, c.Scheme.Value, scheme, func(y raming.Year) decimal.Decimal { return y.Cash.Scheme })
			b = line("Kas CWS", styleEur0, c.CWS.Value, cws, func(y raming.Year) decimal.Decimal { return y.Cash.CWS })
			sumLine("Kas totaal (excl. uitvoering)", a, b, func(y raming.Year) decimal.Decimal { return y.Cash.Total })
			if c.Execution != nil {
				line("Uitvoeringskosten (kas, niet in totaal)", styleEur0, c.Profile.Execution, wb.executionRef(c), func(y raming.Year) decimal.Decimal { return y.Cash.Execution })
			} else {
				s.row(append(append([]any{c.ID, "Uitvoeringskosten"}, make([]any, nYears)...), wb.text("niet geraamd", styleNoteR))...)
			}
			if !p.IndexationRate.Value.IsZero() {
				line("Kas totaal nominaal (geïndexeerd; prijsniveau van het jaar)", styleEur0, decimal.Zero, "", func(y raming.Year) decimal.Decimal { return y.Nominal })
			}
			line("Besluiten UHT (dossiers)", styleCount, c.Population.Value, wb.ref(refPopulation(c.ID)), func(y raming.Year) decimal.Decimal { return y.UHTDecisions })
			line("Besluiten CWS (dossiers)", styleCount, c.CWSPopulation.Value, wb.ref(refCWSFiles(c.ID)), func(y raming.Year) decimal.Decimal { return y.CWSDecisions })
			lastCWS := "geen dossiers bij de CWS"
			if c.Profile.LastCWSYear != 0 {
				lastCWS = fmt.Sprint(c.Profile.LastCWSYear)
			}
			s.row(c.ID, "Laatste CWS-besluit", lastCWS)
			s.row()
		}
	}
	// Summary: the cash of each variant's central case per year, with a chart.
	s.pageBreak()
	s.row(wb.text("Kas totaal (excl. uitvoering) per variant, centraal geval", styleSection))
	years := s.row(header[:2+nYears]...)
	var series []excelize.ChartSeries
	for _, v := range wb.res.Variants {
		c := wb.res.Case(v.CentralCase)
		r := []any{c.ID, v.ID + " " + v.Name}
		byYear := map[int]decimal.Decimal{}
		for _, y := range c.Profile.Years {
			byYear[y.Year] = y.Cash.Total
		}
		for y := first; y <= last; y++ {
			r = append(r, wb.cell(num(byYear[y]), styleEur0))
		}
		row := s.row(r...)
		series = append(series, excelize.ChartSeries{Name: s.abs(2, row), Categories: s.span(3, years, 2+nYears, years),
			Values: s.span(3, row, 2+nYears, row)})
	}
	s.row()
	s.chart(cellName(2, s.next()), &excelize.Chart{Type: excelize.Col, Series: series, VaryColors: ptr(false),
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Kasritme per variant (kas, excl. uitvoering)"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtEURMln}},
		Dimension: excelize.ChartDimension{Width: 760, Height: 340}})
	s.room(340)
	if sim := wb.res.MonteCarlo; sim != nil {
		s.pageBreak()
		s.row(wb.text("Onzekerheid per begrotingsjaar: kas totaal (excl. uitvoering), Monte Carlo", styleSection))
		s.note(yearBandNote(sim), styleNote)
		s.row(header[:2+nYears]...)
		for _, v := range wb.res.Variants {
			for _, c := range v.Cases {
				sc := simCase(sim, c.ID)
				for _, p := range []float64{5, 50, 95} {
					r := []any{c.ID, fmt.Sprintf("P%g", p)}
					for y := first; y <= last; y++ {
						var cell any
						if x, ok := yearAt(&sc, y, p); ok {
							cell = wb.cell(x, styleEur0)
						}
						r = append(r, cell)
					}
					s.row(r...)
				}
			}
		}
	}
	return nil
}

// yearBandNote says what a table of per-year bands is: the tool's own
// figures for the run's assumptions, and, in a run longer than
// raming.MaxBandIterations, over how many of its iterations.
func yearBandNote(sim *raming.Simulation) string {
	note := "Berekend door de tool voor de aannames van de run; volgt een wijziging op het blad Aannames niet."
	if sim.BandIterations < sim.Iterations {
		note += fmt.Sprintf(" De banden per jaar beschrijven de eerste %s van de %s trekkingen (steekproeffout ca. 0,5%% van P95).",
			nl(decimal.NewFromInt(int64(sim.BandIterations)), 0), nl(decimal.NewFromInt(int64(sim.Iterations)), 0))
	}
	return note
}
