package output

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

// Sheet names of the workbook, in Dutch like the deck.
const (
	sheetOverview    = "Overzicht"
	sheetFunnel      = "Populatie"
	sheetAssumptions = "Aannames"
	sheetRejected    = "Afgewezen rijen"
	sheetProvenance  = "Herkomst"
)

// variantSheet names the sheet of a variant, e.g. "A Forfaitair".
var variantSheet = map[string]string{
	"A": "A Forfaitair", "B": "B Proportioneel", "C": "C Aanvragersherstel",
	"D": "D Maatwerk", "E": "E Mediation",
}

// Number formats (en-US syntax; Excel and LibreOffice show them localised).
const (
	fmtEUR     = `"€ "#,##0.00`
	fmtEUR0    = `"€ "#,##0`
	fmtEURMln  = `"€ "#,##0.0,," mln"`
	fmtPersons = `#,##0.00`
	fmtShare   = `0.0%`
	fmtNumber  = `#,##0.##########`
	fmtMln     = `0.0`
)

// workbook holds the state of one workbook being written.
type workbook struct {
	f      *excelize.File
	res    *raming.Result
	prov   Provenance
	units  map[string]scenario.Unit
	cells  map[string]string // leaf name -> absolute cell reference
	qs     map[string]*raming.Quantity
	styles map[string]int
}

// WriteWorkbook writes the Excel workbook of a result to w.
func WriteWorkbook(w io.Writer, res *raming.Result, prov Provenance) error {
	wb := &workbook{f: excelize.NewFile(), res: res, prov: prov, units: units(res), cells: map[string]string{}, styles: map[string]int{}}
	defer wb.f.Close()
	if err := wb.build(); err != nil {
		return err
	}
	return writeDeterministic(w, wb.f)
}

// writeDeterministic writes a workbook through Deterministic, so the same
// workbook always gives the same bytes.
func writeDeterministic(w io.Writer, f *excelize.File) error {
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	b, err := Deterministic(buf.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func (wb *workbook) build() error {
	if err := wb.makeStyles(); err != nil {
		return err
	}
	// Cells first: every formula refers to the assumption and quantity cells.
	// Formulas refer to defined names, so they read like the deck's text:
	// aanname_funnel_affected_share, grootheid_funnel_damage.
	entries := wb.res.Scenario.Entries()
	for i, e := range entries {
		if err := wb.name(e.ID, "aanname_", absRef(sheetAssumptions, "C", assumptionsFirstRow+i)); err != nil {
			return err
		}
	}
	wb.qs = map[string]*raming.Quantity{}
	for i, q := range wb.res.Quantities {
		if err := wb.name(q.ID, "grootheid_", absRef(sheetFunnel, "F", funnelFirstRow+i)); err != nil {
			return err
		}
		wb.qs[q.ID] = q
	}
	sheets := []sheetDef{{sheetOverview, wb.overview}}
	for _, v := range wb.res.Variants {
		sheets = append(sheets, sheetDef{variantSheet[v.ID], func(sw *sheetWriter) error { return wb.variant(sw, v) }})
	}
	sheets = append(sheets,
		sheetDef{sheetCash, wb.cashProfile})
	if wb.res.MonteCarlo != nil {
		sheets = append(sheets, sheetDef{sheetUncertainty, wb.uncertainty})
	}
	if wb.prov.Baseline != nil {
		sheets = append(sheets, sheetDef{sheetBaseline, wb.baselineSheet})
	}
	sheets = append(sheets,
		sheetDef{sheetFunnel, wb.funnel},
		sheetDef{sheetAssumptions, func(sw *sheetWriter) error { return wb.assumptions(sw, entries) }})
	if wb.res.Population.Source != "scenario" {
		sheets = append(sheets, sheetDef{sheetRejected, wb.rejected})
	}
	sheets = append(sheets, sheetDef{sheetProvenance, wb.provenance})

	for i, s := range sheets {
		if i == 0 {
			if err := wb.f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := wb.f.NewSheet(s.name); err != nil {
			return err
		}
		if err := wb.printable(s.name); err != nil {
			return err
		}
		stream, err := wb.f.NewStreamWriter(s.name)
		if err != nil {
			return err
		}
		sw := &sheetWriter{StreamWriter: stream, widths: map[int]float64{}}
		if err := s.write(sw); err != nil {
			return fmt.Errorf("sheet %s: %w", s.name, err)
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	wb.f.SetActiveSheet(0)
	created := wb.prov.RunTime.UTC().Format("2006-01-02T15:04:05Z")
	return wb.f.SetDocProps(&excelize.DocProperties{
		Title: wb.res.Scenario.Title, Creator: "raming " + wb.prov.ToolVersion,
		Created: created, Modified: created, Language: "nl-NL",
	})
}

// name defines a workbook-wide name for the cell of an assumption or
// quantity and records it for formulas.
func (wb *workbook) name(id, prefix, ref string) error {
	n := prefix + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, id)
	wb.cells[id] = n
	return wb.f.SetDefinedName(&excelize.DefinedName{Name: n, RefersTo: ref, Scope: "Workbook"})
}

// sheetDef is a sheet's name and the function that writes its rows.
type sheetDef struct {
	name  string
	write func(*sheetWriter) error
}

// printable sets a sheet to print landscape, fitted to the page width (as
// many pages tall as needed), on A4.
func (wb *workbook) printable(sheet string) error {
	landscape, wide, tall, a4 := "landscape", 1, 0, 9
	if err := wb.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall, Size: &a4}); err != nil {
		return err
	}
	fit := true
	return wb.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
}

func absRef(sheet, col string, row int) string {
	return fmt.Sprintf("%s!$%s$%d", quoteSheet(sheet), col, row)
}

func quoteSheet(s string) string {
	if strings.ContainsAny(s, " -") {
		return "'" + s + "'"
	}
	return s
}

func (wb *workbook) makeStyles() error {
	bold := &excelize.Font{Bold: true}
	defs := map[string]*excelize.Style{
		"title":    {Font: &excelize.Font{Bold: true, Size: 14}},
		"header":   {Font: bold, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		"headerR":  {Font: bold, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "right"}},
		"bold":     {Font: bold},
		"section":  {Font: &excelize.Font{Bold: true, Size: 12}},
		"wrap":     {Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		"eur":      {CustomNumFmt: ptr(fmtEUR)},
		"eurBold":  {CustomNumFmt: ptr(fmtEUR), Font: bold, Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}},
		"mln":      {CustomNumFmt: ptr(fmtEURMln)},
		"mlnBold":  {CustomNumFmt: ptr(fmtEURMln), Font: bold},
		"persons":  {CustomNumFmt: ptr(fmtPersons)},
		"eur0":     {CustomNumFmt: ptr(fmtEUR0)},
		"ratio":    {CustomNumFmt: ptr("0.00")},
		"datetime": {CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")},
		"share":    {CustomNumFmt: ptr(fmtShare)},
		"number":   {CustomNumFmt: ptr(fmtNumber)},
		"deckMln":  {CustomNumFmt: ptr(fmtMln)},
		"note":     {Font: &excelize.Font{Italic: true, Color: "555555"}},
	}
	for _, name := range slices.Sorted(maps.Keys(defs)) { // sorted: the same style ids every run
		id, err := wb.f.NewStyle(defs[name])
		if err != nil {
			return err
		}
		wb.styles[name] = id
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// unitStyle is the number style of a unit.
func (wb *workbook) unitStyle(u scenario.Unit) int {
	switch u {
	case scenario.EUR, scenario.EURPerHour:
		return wb.styles["eur"]
	case scenario.Share:
		return wb.styles["share"]
	case scenario.Persons:
		return wb.styles["persons"]
	}
	return wb.styles["number"]
}

// num converts an exact figure to the float64 Excel stores.
func num(d decimal.Decimal) float64 { return d.InexactFloat64() }

// live is a formula cell with its value cached; a bare constant is a value.
func (wb *workbook) live(e *raming.Expr, style string) excelize.Cell {
	if e.Op == raming.OpValue && e.Name == "" {
		return excelize.Cell{Value: num(e.Value), StyleID: wb.styles[style]}
	}
	return excelize.Cell{Formula: formula(e, wb.cells), Value: num(e.Value), StyleID: wb.styles[style]}
}

func (wb *workbook) text(s, style string) excelize.Cell {
	return excelize.Cell{Value: s, StyleID: wb.styles[style]}
}

// sheetWriter is a stream writer that remembers the column widths, so that
// rows of wrapped text can be given the height they need.
type sheetWriter struct {
	*excelize.StreamWriter
	widths map[int]float64
}

// SetColWidth sets and remembers the width of columns min to max.
func (s *sheetWriter) SetColWidth(min, max int, width float64) error {
	for c := min; c <= max; c++ {
		s.widths[c] = width
	}
	return s.StreamWriter.SetColWidth(min, max, width)
}

// rows writes rows top to bottom from row 1; a nil row is left empty. A row
// with wrapped text (header or wrap style) that does not fit its column gets
// the height of the lines it needs.
func (wb *workbook) rows(sw *sheetWriter, rs [][]any) error {
	for i, r := range rs {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		lines := 1
		for c, v := range r {
			cv, ok := v.(excelize.Cell)
			text, isText := cv.Value.(string)
			if !ok || !isText || (cv.StyleID != wb.styles["wrap"] && cv.StyleID != wb.styles["header"] && cv.StyleID != wb.styles["headerR"]) {
				continue
			}
			width := sw.widths[c+1]
			if width == 0 {
				width = 9
			}
			// About 1.15 characters per unit of column width, in the default font.
			n := int(float64(utf8.RuneCountInString(text))/(width*1.15)) + 1
			lines = max(lines, n)
		}
		var opts []excelize.RowOpts
		if lines > 1 {
			opts = append(opts, excelize.RowOpts{Height: 15 * float64(lines)})
		}
		if err := sw.SetRow(cell, r, opts...); err != nil {
			return err
		}
	}
	return nil
}
