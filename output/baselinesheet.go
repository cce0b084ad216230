package output

import (
	"github.com/xuri/excelize/v2"
)

const sheetBaseline = "Vergelijking vorige run"

// baselineSheet shows, per case, the previous run's total and tonight's,
// the change, and the change split into data and scenario; then the Monte
// Carlo P50 with its noise flag, and what changed in the inputs.
func (wb *workbook) baselineSheet(sw *sheetWriter) error {
	b := wb.prov.Baseline
	sw.SetColWidth(1, 1, 28)
	sw.SetColWidth(2, 12, 16)
	yes := func(v bool) string {
		if v {
			return "ja"
		}
		return "nee"
	}
	amount := func(s *string) any {
		if s == nil {
			return nil
		}
		return excelize.Cell{Value: dec(*s).InexactFloat64(), StyleID: wb.styles["eur0"]}
	}
	rs := [][]any{
		{wb.text("Vergelijking met de vorige run", "title")},
		{wb.text("Vorige: "+b.File+". Verandering = data (vorig scenario op het nieuwe extract − vorige uitkomst) + scenario (nieuwe uitkomst − vorig scenario op het nieuwe extract). "+
			"Een verandering van de Monte Carlo-P50 binnen 1,96 × de gecombineerde standaardfouten is ruis.", "note")},
	}
	if b.Note != "" {
		rs = append(rs, []any{wb.text("Let op: "+b.Note, "note")})
	}
	rs = append(rs, nil,
		[]any{wb.text("Wat is veranderd", "section")},
		[]any{"Scenario gewijzigd", yes(b.ScenarioChanged)},
		[]any{"Extract gewijzigd", yes(b.DataChanged)},
		[]any{"Rijen gebruikt (vorige → nu)", b.RowsBefore, b.RowsNow},
	)
	for _, f := range b.Funnel {
		rs = append(rs, []any{"Trechter " + f.Step, excelize.Cell{Value: dec(f.Before).InexactFloat64(), StyleID: wb.styles["persons"]},
			excelize.Cell{Value: dec(f.Now).InexactFloat64(), StyleID: wb.styles["persons"]}})
	}
	rs = append(rs, nil, []any{wb.text("Geval", "header"), wb.text("Vorige", "headerR"), wb.text("Nu", "headerR"), wb.text("Verandering", "headerR"),
		wb.text("waarvan data", "headerR"), wb.text("waarvan scenario", "headerR"), wb.text("P50 vorige", "headerR"), wb.text("P50 nu", "headerR"),
		wb.text("P50 verandering", "headerR"), wb.text("Ruis?", "headerR")})
	for _, c := range b.Cases {
		noise := ""
		if c.P50Noise != nil {
			noise = yes(*c.P50Noise)
		}
		rs = append(rs, []any{c.ID, amount(c.TotalBefore), amount(c.Total), amount(c.Delta), amount(c.DataEffect), amount(c.ScenarioEffect),
			amount(c.P50Before), amount(c.P50), amount(c.P50Delta), noise})
	}
	return wb.rows(sw, rs)
}
