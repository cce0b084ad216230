package output

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

const sheetCash = "Kasritme"

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

// cashProfile writes the multi-year profile in detail, in the columns of
// begroting T (eerdere jaren, T−2 ... T+5, latere jaren) at prijspeil T:
// per case the commitments ("verplichtingen") and cash ("kas") of the
// scheme and the CWS, the execution costs beside them, and the files
// decided. Every amount is a formula (the case's figure on its variant
// sheet times the column's share, and the price index for a line that
// follows prices), so the columns follow the assumptions; the Totaal
// column sums them and the Controle column shows that they add up to the
// case total at prijspeil T. The Monte Carlo bands per year, which cannot
// follow, are a block of their own at the end.
func (wb *workbook) cashProfile(s *sheet) error {
	var all []raming.Case
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			if !wb.cells.hiddenCase(&c) { // small-cell suppressed: not spread over years
				all = append(all, c)
			}
		}
	}
	cols := wb.bud.Columns()
	n := len(cols)
	totalCol := colName(3 + n)
	s.width(1, 1, 8)
	s.width(2, 2, 22)
	s.width(3, 3+n, 11)
	s.width(4+n, 4+n, 8.5)
	s.cols, s.printCols = 4+n, 4+n
	s.freeze(2, 4)
	s.titleRows = [2]int{4, 4}
	p := wb.res.Scenario.Phasing
	header := []any{wb.text("Geval", styleHeader), wb.text("Regel", styleHeader)}
	for _, col := range cols {
		// "eerdere jaren" and "latere jaren" on two lines each: the wide
		// amount columns would keep "latere jaren" on one line, where it
		// reads as one heading with the year beside it ("2032 latere jaren").
		header = append(header, wb.text(strings.Replace(colLabel(col), " ", "\n", 1), styleHeaderR))
	}
	header = append(header, wb.text("Totaal", styleHeaderR), wb.text("Controle", styleHeaderR))
	s.row(wb.text(fmt.Sprintf("Kasritme per begrotingsjaar, begroting %d", wb.bud.Year), styleTitle))
	s.note(fmt.Sprintf("Bedragen in hele euro's, prijspeil %d (exact tot op de cent in de JSON). %s Verplichtingen vallen in het jaar van het besluit, kas in het jaar van betaling. "+
		"Totaal is excl. uitvoering; uitvoeringskosten staan ernaast en tellen niet mee. Controle: totaal min de raming van het geval in prijspeil %d (0). Openstelling %s, capaciteit CWS %s per jaar (zie Aannames). "+
		"De bedragen zijn formules (het bedrag op het variantblad maal het aandeel van de kolom); de verdeling over de jaren zelf is die van de berekening.",
		wb.bud.Year, wb.windowNote(all), wb.bud.Year, p.OpeningYear.Value, nl(p.CWSCapacity.Value, -1)), styleNote)
	s.row()
	s.tall(2, header...)
	index := wb.ref(refPriceIndex)
	factor := func(l raming.Line) string {
		if wb.bud.Price.Indexing[l] == scenario.Indexed {
			return "*" + index
		}
		return ""
	}
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			if wb.cells.hiddenCase(&c) {
				continue
			}
			bl := wb.bud.Lines(&c)
			line := func(label string, style cellStyle, sp spread) int {
				row := s.next()
				r := append([]any{c.ID, label}, sp.cells(wb, style)...)
				r = append(r, wb.formulaCell(fmt.Sprintf("SUM(C%d:%s%d)", row, colName(2+n), row), num(decimal.Sum(decimal.Zero, sp.amounts...)), style))
				return s.row(r...)
			}
			sumLine := func(label string, a, b int, amounts []decimal.Decimal) {
				row := s.next()
				r := []any{c.ID, wb.text(label, styleBold)}
				for i := 0; i <= n; i++ {
					col := colName(3 + i)
					val := decimal.Sum(decimal.Zero, amounts...)
					if i < n {
						val = amounts[i]
					}
					r = append(r, wb.formulaCell(fmt.Sprintf("%s%d+%s%d", col, a, col, b), num(val), styleCountSum))
				}
				raming := fmt.Sprintf("%s%s+%s%s", wb.ref(refScheme(c.ID)), factor(raming.LineScheme), wb.ref(refCWS(c.ID)), factor(raming.LineCWS))
				r = append(r, wb.formulaCell(fmt.Sprintf("ROUND(%s%d-(%s),2)", totalCol, row, raming), 0.0, styleCount))
				s.row(r...)
			}
			s.note(c.ID+": "+c.Label, styleSubhead)
			a := line("Verplichtingen regeling", styleCount, wb.lineSpread(c, bl, raming.LineScheme, false))
			b := line("Verplichtingen CWS", styleCount, wb.lineSpread(c, bl, raming.LineCWS, false))
			sumLine("Verplichtingen totaal", a, b, bl.CommitmentTotal())
			a = line("Kas regeling", styleCount, wb.lineSpread(c, bl, raming.LineScheme, true))
			b = line("Kas CWS", styleCount, wb.lineSpread(c, bl, raming.LineCWS, true))
			sumLine("Kas totaal", a, b, bl.CashTotal())
			if c.Execution != nil {
				line("Uitvoering (apart)", styleCount, wb.lineSpread(c, bl, raming.LineExecution, true))
			} else {
				s.row(append(append([]any{c.ID, "Uitvoering"}, make([]any, n)...), wb.text("niet geraamd", styleNoteR))...)
			}
			if !p.IndexationRate.Value.IsZero() {
				line("Kas, lopende prijzen", styleCount, spread{amounts: nominalColumns(c, cols)})
			}
			line("Besluiten UHT", styleCount, spread{ref: wb.ref(refPopulation(c.ID)), shares: bl.UHTShares, amounts: bl.UHTDecisions})
			line("Besluiten CWS", styleCount, spread{ref: wb.ref(refCWSFiles(c.ID)), shares: bl.CWSShares, amounts: bl.CWSDecisions})
			lastCWS := "geen dossiers bij de CWS"
			if c.Profile.LastCWSYear != 0 {
				lastCWS = fmt.Sprint(c.Profile.LastCWSYear)
			}
			s.row(c.ID, "Laatste CWS-besluit", wb.text(lastCWS, styleToolR))
			s.row()
		}
	}
	// Summary: the cash of each variant's central case per column, with a chart.
	s.pageBreak()
	s.row(wb.text(fmt.Sprintf("Kas totaal (excl. uitvoering) per variant, centraal geval, prijspeil %d", wb.bud.Year), styleSection))
	// The column headings are the sheet's, repeated on every printed page.
	years := s.titleRows[0]
	var series []excelize.ChartSeries
	for _, v := range wb.res.Variants {
		c := wb.res.Case(v.CentralCase)
		if wb.cells.hiddenCase(c) {
			continue
		}
		r := []any{c.ID, variantSheet(v.Header)}
		for _, x := range wb.bud.Lines(c).CashTotal() {
			r = append(r, wb.cell(num(x), styleCount))
		}
		row := s.row(r...)
		series = append(series, excelize.ChartSeries{Name: s.abs(2, row), Categories: s.span(3, years, 2+n, years),
			Values: s.span(3, row, 2+n, row)})
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
		s.row(wb.text(fmt.Sprintf("Onzekerheid per begrotingsjaar: kas totaal (excl. uitvoering), Monte Carlo, prijspeil %d", wb.bud.Year), styleSection))
		s.note(yearBandNote()+" Eerdere en latere jaren: geen band (percentielen van jaren samen zijn niet de som van die per jaar).", styleNote)
		for _, v := range wb.res.Variants {
			for _, c := range v.Cases {
				if wb.cells.hiddenCase(&c) {
					continue
				}
				sc := simCase(sim, c.ID)
				for _, p := range []float64{5, 50, 95} {
					r := []any{c.ID, fmt.Sprintf("P%g", p)}
					for _, col := range cols {
						var cell any
						if x, ok := yearAt(&sc, col.From, p); ok && !col.Earlier() && !col.Later() {
							cell = wb.cell(x*wb.bud.YearFactor(&c, col.From), styleCount)
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

// nominalColumns is a case's cash in the year's own prices (Year.Nominal)
// summed per column.
func nominalColumns(c raming.Case, cols []raming.Span) []decimal.Decimal {
	out := make([]decimal.Decimal, len(cols))
	for i := range out {
		out[i] = decimal.Zero
	}
	for _, y := range c.Profile.Years {
		for i, col := range cols {
			if col.Contains(y.Year) {
				out[i] = out[i].Add(y.Nominal)
			}
		}
	}
	return out
}

// yearBandNote says what a table of per-year bands is: the tool's own
// figures for the run's assumptions (over every iteration of the run).
func yearBandNote() string {
	return "Berekend door de tool voor de aannames van de run; volgt een wijziging op het blad Aannames niet."
}
