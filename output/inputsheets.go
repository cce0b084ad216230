package output

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

// Keys of the assumption ranges the overview's staleness cell compares.
const (
	refAssumptionValues    = "assumptions:values"
	refAssumptionRunValues = "assumptions:run-values"
)

// assumptions writes every assumption with its value, unit and source. The
// values in column C are the cells every formula refers to; column F
// (hidden) keeps the values of the run, so the overview can tell when one
// was changed. Shares accept 0%-100%, other values nothing below 0.
func (wb *workbook) assumptions(s *sheet) error {
	s.width(1, 1, 26)
	s.width(2, 2, 34)
	s.width(3, 3, 13)
	s.width(4, 4, 12)
	s.width(5, 5, 64)
	s.hidden = append(s.hidden, 6)
	s.cols = 5
	s.printCols = 5
	s.freeze(0, 4)
	s.titleRows = [2]int{4, 4}
	s.row(wb.text("Aannames", styleTitle))
	s.note("Scenario \""+wb.res.Scenario.Name+"\". Wijzig een waarde in kolom C en alle formules volgen (aandelen als percentage, 0% tot 100%). "+
		"Wat de tool met Monte Carlo berekende (onzekerheid, percentielen, gevoeligheid) volgt niet: het blad Overzicht meldt dan dat de aannames gewijzigd zijn.", styleNote)
	s.row()
	s.row(wb.text("Sleutel", styleHeader), wb.text("Aanname", styleHeader), wb.text("Waarde", styleHeaderR), wb.text("Eenheid", styleHeader),
		wb.text("Bron", styleHeader), wb.text("Waarde bij berekening", styleHeaderR))
	first := s.next()
	for _, e := range wb.res.Scenario.Entries() {
		if e.Optional && !e.Given() {
			continue // "not known": no value, and no formula refers to it
		}
		style := wb.unitStyle(e.Unit)
		row := s.row(e.ID, wb.text(e.Label, styleWrap), excelize.Cell{Value: num(e.Value), StyleID: style}, wb.text(unitNL[e.Unit], styleUnit), wb.text(e.Source, styleWrap),
			excelize.Cell{Value: num(e.Value), StyleID: style})
		if err := wb.define(e.ID, s.abs(3, row)); err != nil {
			return err
		}
		s.valid = append(s.valid, validation(cellName(3, row), e.Unit))
	}
	last := s.next() - 1
	wb.refs[refAssumptionValues] = s.span(3, first, 3, last)
	wb.refs[refAssumptionRunValues] = s.span(6, first, 6, last)
	if b := wb.res.Scenario.B; b != nil && b.Options.PendingPeildatum.Given() {
		d := b.Options.PendingPeildatum
		s.row("b.pending_peildatum", wb.text("Peildatum bij nog geen eerste betaling en geen melddatum", styleWrap), wb.cell(d.Time(), styleDate), wb.text("datum", styleUnit), wb.text(d.Source, styleWrap))
	}
	if rounded(wb.res) {
		s.row()
		s.row(wb.text("Afrondingen van het deck", styleHeader), wb.text("Zoals het deck schrijft", styleHeader), wb.text("Waarde", styleHeaderR), nil, wb.text("Bron", styleHeader))
		for _, q := range wb.res.Quantities {
			if q.Rounded != nil {
				s.row(q.ID, q.Rounded.DeckText, excelize.Cell{Value: num(q.Rounded.Value), StyleID: wb.unitStyle(q.Unit)}, unitNL[q.Unit], wb.text(q.Rounded.Source, styleWrap))
			}
		}
	}
	return nil
}

// validation keeps a typed assumption value within its unit's bounds.
func validation(cell string, u scenario.Unit) *excelize.DataValidation {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = cell
	switch u {
	case scenario.Share:
		dv.SetRange(0, 1, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Aandeel", "Een aandeel ligt tussen 0% en 100% (typ 75% of 0,75).")
	case scenario.CalendarYear:
		dv.SetRange(2000, 2100, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Jaar", "Een jaar van 2000 tot 2100.")
	default:
		dv.SetRange(0, 1e15, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Waarde", "De waarde kan niet negatief zijn.")
	}
	return dv
}

// maxRejectedRows is the most rejected rows the sheet Afgewezen rijen
// lists, far below Excel's limit of 1,048,576 rows; the full list is in
// the output of `raming validate --population FILE --json -`.
const maxRejectedRows = 100_000

// rejected lists the extract's rejected rows, the first maxRejectedRows of
// them. Ids, reasons and columns are written as text cells, never as
// formulas.
func (wb *workbook) rejected(s *sheet) error {
	s.width(1, 1, 10)
	s.width(2, 3, 20)
	s.width(4, 4, 100)
	s.cols, s.printCols = 4, 4
	s.freeze(0, 4)
	s.titleRows = [2]int{4, 4}
	p := wb.res.Population
	rows := p.Rejected
	s.row(wb.text("Afgewezen rijen van het extract", styleTitle))
	n := func(x int) string { return nl(decimal.NewFromInt(int64(x)), 0) }
	note := fmt.Sprintf("Gelezen %s = gebruikt %s + afgewezen %s.", n(p.RowsRead), n(p.RowsUsed), n(p.RowsRejected))
	if len(rows) > maxRejectedRows {
		note += fmt.Sprintf(" Dit blad toont de eerste %s van de %s afgewezen rijen; de volledige lijst geeft raming validate --population %s --json -.",
			nl(decimal.NewFromInt(maxRejectedRows), 0), nl(decimal.NewFromInt(int64(len(rows))), 0), p.Source)
		rows = rows[:maxRejectedRows]
	}
	s.note(note, styleNote)
	s.row()
	s.row(wb.text("Regel", styleHeader), wb.text("Id", styleHeader), wb.text("Kolom", styleHeader), wb.text("Reden", styleHeader))
	for _, r := range rows {
		s.row(r.Line, wb.text(r.ID, styleNone), wb.text(r.Column, styleNone), wb.text(reasonNL(r), styleNone))
	}
	if len(rows) == 0 {
		s.row(nil, nil, nil, wb.text("geen afgewezen rijen", styleNote))
	}
	return nil
}

// provenance records what produced the workbook.
func (wb *workbook) provenance(s *sheet) error {
	s.width(1, 1, 34)
	s.width(2, 2, 90)
	s.cols, s.printCols = 2, 2
	sc, p := wb.res.Scenario, wb.res.Population
	kv := [][2]any{
		{"Tool", "raming " + wb.prov.ToolVersion},
		{"Tijdstip run (Nederlandse tijd)", wb.cell(wallClock(wb.runDate()), styleDatetime)},
		{"Tijdstip run (UTC)", wb.cell(wb.prov.RunTime.UTC(), styleDatetime)},
		{"Scenario", sc.Name},
		{"Scenario herkomst", originNL(sc.Origin)},
		{"Scenario SHA-256", sc.SHA256},
		{"Populatie", populationSource(p)},
	}
	if p.Extract {
		count := func(x int) any { return wb.text(nl(decimal.NewFromInt(int64(x)), 0), styleNone) }
		kv = append(kv, [2]any{"Populatie SHA-256", p.SHA256}, [2]any{"Rijen gelezen", count(p.RowsRead)},
			[2]any{"Rijen gebruikt", count(p.RowsUsed)}, [2]any{"Rijen afgewezen", count(p.RowsRejected)})
	} else {
		kv = append(kv, [2]any{"Extract", "geen: de basispopulatie van het scenario"})
	}
	kv = append(kv, [2]any{"Bedragen", "euro, excl. uitvoering; exacte decimalen, afgerond bij weergave"})
	if sim := wb.res.MonteCarlo; sim != nil {
		kv = append(kv, [2]any{"Monte Carlo", fmt.Sprintf("%s iteraties, seed %d", nl(decimal.NewFromInt(int64(sim.Iterations)), 0), sim.Seed)})
	} else {
		kv = append(kv, [2]any{"Monte Carlo", "niet berekend (--iterations 0): geen onzekerheid, alleen de puntraming"})
	}
	if len(sc.Changed) > 0 {
		kv = append(kv, [2]any{"Gewijzigd met --set", strings.Join(sc.Changed, ", ")})
	}
	for _, w := range append(slices.Clone(wb.res.Warnings), p.Warnings...) {
		kv = append(kv, [2]any{"Waarschuwing", wb.text(warningNL(w), styleWrap)})
	}
	s.row(wb.text("Herkomst", styleTitle))
	s.row()
	for _, r := range kv {
		if t, ok := r[1].(string); ok {
			r[1] = wb.text(t, styleWrap)
		}
		s.row(wb.text(fmt.Sprint(r[0]), styleBold), r[1])
	}
	return nil
}

// wallClock is t's date and time as read on a clock where it happened,
// for a spreadsheet's date (which has no time zone).
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// originNL says where a scenario was read from, in Dutch.
func originNL(origin string) string {
	if name, ok := strings.CutPrefix(origin, "built-in "); ok {
		return "ingebouwd scenario " + name
	}
	return "bestand " + origin
}

// populationSource names the population: the extract, or "scenario" for
// the scenario's base population.
func populationSource(p raming.Population) string {
	if !p.Extract {
		return "scenario"
	}
	return p.Source
}
