package output

import (
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

// Number formats (en-US syntax; Excel and LibreOffice show them localised).
// A printed page shows whole euros and whole persons (an expected count
// may be fractional); the cells keep full precision.
const (
	fmtEUR     = `"€ "#,##0`
	fmtEUR0    = `"€ "#,##0`
	fmtEURMln  = `"€ "#,##0.0,," mln"`
	fmtPersons = `#,##0`
	fmtShare   = `0.0%`
	fmtNumber  = `#,##0.##########`
	fmtMln     = `0.0`
)

// cellStyle is a style of the workbook's cells; styleNone is Excel's
// default. The styles are made in this order, so their ids are the same
// in every run.
type cellStyle int

const (
	styleNone cellStyle = iota
	styleBold
	styleCount
	styleCountTop
	styleCountSum
	styleDate
	styleDatetime
	styleDec2
	styleDeckMln
	styleEur
	styleEur0
	styleEur0Bold
	styleEurBold
	styleHeader
	styleHeaderR
	styleIndent
	styleBoldIndent
	styleIndex
	styleMln
	styleMln1
	styleMlnBold
	styleMlnTop
	styleNote
	styleNoteR
	styleNumber
	stylePersons
	styleRank
	styleRatio
	styleSection
	styleShare
	styleSubhead
	styleThousands
	styleTitle
	styleToolR
	styleUnit
	styleWarn
	styleWrap
	styleYear
	styleYearTop
	numStyles
)

// The look of a figure the tool computed for the run's assumptions, which
// follows no edit (a value, not a formula): italic on grey. The sheets'
// notes and the overview's staleness warning say so.
var (
	toolFont = &excelize.Font{Italic: true, Color: "404040"}
	toolFill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}
)

// styleDefs are the styles' definitions.
var styleDefs = func() [numStyles]*excelize.Style {
	bold := &excelize.Font{Bold: true}
	return [numStyles]*excelize.Style{
		styleBold:     {Font: bold},
		styleCount:    {CustomNumFmt: ptr(`#,##0`)},
		styleCountTop: {CustomNumFmt: ptr(`#,##0`), Alignment: &excelize.Alignment{Vertical: "top"}},
		// A sum of the rows above: a rule over it (not bold: the widest
		// amounts fit their column).
		styleCountSum: {CustomNumFmt: ptr(`#,##0`), Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}},
		styleDate:     {CustomNumFmt: ptr("dd-mm-yyyy")},
		styleDatetime: {CustomNumFmt: ptr("dd-mm-yyyy hh:mm:ss"), Alignment: &excelize.Alignment{Horizontal: "left"}},
		styleDec2:     {CustomNumFmt: ptr(`#,##0.00`)},
		styleDeckMln:  {CustomNumFmt: ptr(fmtMln)},
		styleEur:      {CustomNumFmt: ptr(fmtEUR)},
		styleEur0:     {CustomNumFmt: ptr(fmtEUR0)},
		styleEur0Bold: {CustomNumFmt: ptr(fmtEUR0), Font: bold, Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}},
		styleEurBold:  {CustomNumFmt: ptr(fmtEUR), Font: bold, Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}},
		styleHeader:   {Font: bold, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		styleHeaderR:  {Font: bold, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "right"}},
		styleIndex:    {CustomNumFmt: ptr("0.0%")},
		// A text beside a column of figures, set off from them.
		styleIndent:     {Alignment: &excelize.Alignment{Indent: 1}},
		styleBoldIndent: {Font: bold, Alignment: &excelize.Alignment{Indent: 1}},
		styleMln:        {CustomNumFmt: ptr(fmtEURMln)},
		styleMln1:       {CustomNumFmt: ptr(fmtMln1)},
		styleMlnBold:    {CustomNumFmt: ptr(fmtEURMln), Font: bold},
		// Top-aligned, beside wrapped text in tall rows.
		styleMlnTop:  {CustomNumFmt: ptr(fmtEURMln), Alignment: &excelize.Alignment{Vertical: "top"}},
		styleNote:    {Font: &excelize.Font{Italic: true, Color: "555555"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		styleNoteR:   {Font: &excelize.Font{Italic: true, Color: "555555"}, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top"}},
		styleNumber:  {CustomNumFmt: ptr(fmtNumber)},
		stylePersons: {CustomNumFmt: ptr(fmtPersons)},
		styleRank:    {CustomNumFmt: ptr("0")},
		styleRatio:   {CustomNumFmt: ptr("0.00")},
		styleSection: {Font: &excelize.Font{Bold: true, Size: 12}},
		styleShare:   {CustomNumFmt: ptr(fmtShare)},
		// A heading within a table that may be long: bold, wrapped.
		styleSubhead:   {Font: bold, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		styleThousands: {CustomNumFmt: ptr(fmtThousands)},
		styleTitle:     {Font: &excelize.Font{Bold: true, Size: 14}},
		// Computed by the tool for the run's assumptions (follows no edit):
		// italic on grey, right-aligned; the sheets' notes say so.
		styleToolR: {Font: toolFont, Fill: toolFill, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top"}},
		// A word in a column of figures ("niet geraamd"): right-aligned, on one line.
		styleUnit:    {Alignment: &excelize.Alignment{Indent: 2, Vertical: "top", WrapText: true}},
		styleWarn:    {Font: &excelize.Font{Bold: true, Color: "C00000"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		styleWrap:    {Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		styleYear:    {CustomNumFmt: ptr("0")},
		styleYearTop: {CustomNumFmt: ptr("0"), Alignment: &excelize.Alignment{Vertical: "top"}},
	}
}()

// makeStyles registers every style with the workbook, and each one's
// variant marked as computed by the tool (toolFont, toolFill).
//
// Every style aligns its text to the top of the cell, so that a figure
// stands on the first line of a row that a wrapped text beside it makes
// taller; a plain value takes styleNone, which does the same.
func (wb *workbook) makeStyles() error {
	for st := styleNone; st < numStyles; st++ {
		id, err := wb.f.NewStyle(topAligned(styleDefs[st]))
		if err != nil {
			return err
		}
		wb.styles[st] = id
	}
	for st := styleNone; st < numStyles; st++ {
		def := *topAligned(styleDefs[st])
		font := *toolFont
		if def.Font != nil {
			font.Bold, font.Size = def.Font.Bold, def.Font.Size
		}
		def.Font, def.Fill = &font, toolFill
		id, err := wb.f.NewStyle(&def)
		if err != nil {
			return err
		}
		wb.toolStyles[st] = id
	}
	return nil
}

// topAligned is a copy of a style (nil: the default) aligned to the top.
func topAligned(d *excelize.Style) *excelize.Style {
	s := excelize.Style{}
	if d != nil {
		s = *d
	}
	a := excelize.Alignment{}
	if s.Alignment != nil {
		a = *s.Alignment
	}
	if a.Vertical == "" {
		a.Vertical = "top"
	}
	s.Alignment = &a
	return &s
}

// toolCell is a value computed by the tool for the run's assumptions, in
// a style's marked variant: it follows no edit.
func (wb *workbook) toolCell(v any, style cellStyle) excelize.Cell {
	return excelize.Cell{Value: v, StyleID: wb.toolStyles[style]}
}

// markTool gives a cell its style's marked variant (toolCell).
func (wb *workbook) markTool(c excelize.Cell) excelize.Cell {
	for st, id := range wb.styles {
		if id == c.StyleID {
			c.StyleID = wb.toolStyles[st]
			return c
		}
	}
	return c
}

// ptr is a pointer to a copy of v (an optional JSON field, a chart option).
func ptr[T any](v T) *T { return &v }

// unitStyle is the number style of a unit.
func (wb *workbook) unitStyle(u scenario.Unit) int {
	switch u {
	case scenario.EUR, scenario.EURPerHour:
		return wb.styles[styleEur]
	case scenario.Share:
		return wb.styles[styleShare]
	case scenario.Persons:
		return wb.styles[stylePersons]
	case scenario.CalendarYear:
		return wb.styles[styleYear]
	}
	return wb.styles[styleNumber]
}

// drawStyle is the number style of a drawn (float64) value of a unit:
// never more than two decimals.
func (wb *workbook) drawStyle(u scenario.Unit) int {
	switch u {
	case scenario.Share:
		return wb.styles[styleShare]
	case scenario.EUR, scenario.EURPerHour:
		return wb.styles[styleEur0]
	case scenario.Persons, scenario.Files, scenario.FilesPerYear, scenario.CalendarYear:
		return wb.styles[styleCount]
	}
	return wb.styles[styleDec2]
}

// num converts an exact figure to the float64 Excel stores.
func num(d decimal.Decimal) float64 { return d.InexactFloat64() }

// live is a formula cell with its value cached; a bare constant is a value.
func (wb *workbook) live(e *raming.Expr, style cellStyle) excelize.Cell {
	if e.IsConstant() {
		return excelize.Cell{Value: num(e.Value), StyleID: wb.styles[style]}
	}
	return excelize.Cell{Formula: formula(e, wb.names), Value: num(e.Value), StyleID: wb.styles[style]}
}

// text is a text cell in a style.
func (wb *workbook) text(s string, style cellStyle) excelize.Cell {
	return excelize.Cell{Value: s, StyleID: wb.styles[style]}
}

// cell is a value in a style.
func (wb *workbook) cell(v any, style cellStyle) excelize.Cell {
	return excelize.Cell{Value: v, StyleID: wb.styles[style]}
}

// formulaCell is a formula with its cached value, in a style.
func (wb *workbook) formulaCell(f string, v any, style cellStyle) excelize.Cell {
	return excelize.Cell{Formula: f, Value: v, StyleID: wb.styles[style]}
}
