package output

import (
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

const sheetBaseline = "Vergelijking vorige run"

// baselineSheet shows, per case, the previous run's total and tonight's,
// the change, and the change split into data and scenario; then the Monte
// Carlo P50 with its noise flag, and what changed in the inputs.
func (wb *workbook) baselineSheet(s *sheet) error {
	b := wb.res.Baseline
	s.width(1, 1, 28)
	s.width(2, 12, 12)
	s.cols, s.printCols = 10, 10
	yes := func(v bool) string {
		if v {
			return "ja"
		}
		return "nee"
	}
	amount := func(ok bool, d decimal.Decimal) any {
		if !ok {
			return nil
		}
		return wb.cell(num(d), styleMln1)
	}
	euro := func(ok bool, x float64) any {
		if !ok {
			return nil
		}
		return wb.cell(x, styleMln1)
	}
	s.row(wb.text("Vergelijking met de vorige run", styleTitle))
	s.note("Vorige: "+b.File+". Verandering = data (vorig scenario op het nieuwe extract − vorige uitkomst) + scenario (nieuwe uitkomst − vorig scenario op het nieuwe extract). "+
		"Een verandering van de Monte Carlo-P50 binnen 1,96 × de gecombineerde standaardfouten is ruis.", styleNote)
	if b.Note != "" {
		s.note("Let op: "+noteNL(b.Note), styleNote)
	}
	s.row()
	s.row(wb.text("Wat is veranderd", styleSection))
	s.row("Scenario gewijzigd", yes(b.ScenarioChanged))
	s.row("Extract gewijzigd", yes(b.DataChanged))
	s.row("Rijen gebruikt (vorige → nu)", wb.cell(b.RowsBefore, styleCount), wb.cell(b.Rows, styleCount))
	for _, f := range b.Funnel {
		if q := wb.qs[f.Step]; q != nil && wb.cells.hiddenQuantity(q) {
			continue
		}
		s.row("Trechter "+f.Step, excelize.Cell{Value: num(f.Before), StyleID: wb.styles[stylePersons]},
			excelize.Cell{Value: num(f.Now), StyleID: wb.styles[stylePersons]})
	}
	s.row()
	s.row(wb.text("Totale kosten per geval, € mln", styleSection))
	s.row(wb.text("Geval", styleHeader), wb.text("Vorige", styleHeaderR), wb.text("Nu", styleHeaderR), wb.text("Verandering", styleHeaderR),
		wb.text("waarvan data", styleHeaderR), wb.text("waarvan scenario", styleHeaderR), wb.text("P50 vorige", styleHeaderR), wb.text("P50 nu", styleHeaderR),
		wb.text("P50 verandering", styleHeaderR), wb.text("Ruis?", styleHeaderR))
	for _, c := range b.Cases {
		if wb.cells.hiddenID(c.ID) {
			continue
		}
		noise := ""
		if c.P50Compared {
			noise = yes(c.P50Noise)
		}
		s.row(c.ID, amount(c.Had, c.TotalBefore), amount(true, c.Total), amount(c.Had, c.Delta()), amount(c.Attributed, c.DataEffect),
			amount(c.Attributed, c.ScenarioEffect), euro(c.P50Compared, c.P50Before), euro(c.Simulated, c.P50),
			euro(c.P50Compared, c.P50-c.P50Before), wb.text(noise, styleNoteR))
	}
	return nil
}
