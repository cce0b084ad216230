package output

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"raming/internal/clock"
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

// variantSheet names the sheet of a variant: its id and short name, e.g.
// "A Forfaitair" (scenario validation holds it to a sheet name's rules).
func variantSheet(h scenario.Header) string { return sheetName(h.SheetName()) }

// sheetName makes a valid sheet name: at most 31 characters, none of : \ / ? * [ ].
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	return s
}

// workbook holds the state of one workbook being written: the file, the
// styles, and the names and cell references that formulas on one sheet use
// to reach another.
type workbook struct {
	f      *excelize.File
	styles [numStyles]int
	// toolStyles are the styles' variants for figures the tool computed
	// for the run's assumptions, which follow no edit (toolCell).
	toolStyles [numStyles]int
	sheets     []*sheet // in the order they are shown
	// refs maps a key such as "total:A-15k" to the cell (or range) that
	// holds it, registered by the sheet that writes it.
	refs map[string]string

	// For a run's workbook:
	res   *raming.Result
	prov  Provenance
	opts  Options
	units map[string]scenario.Unit
	names map[string]string // assumption or quantity ID -> defined name, for formulas
	qs    map[string]*raming.Quantity
	// bud is how the budget tables show the result (begroting T, prijspeil
	// T); tables are the budget sheet's tables by variant.
	bud    raming.Budget
	tables map[string]*budgetTable
	// cells is the small-cell rule of the run (smallCells).
	cells *smallCells
}

// runDate is the run's time in the Netherlands: the date of the stand,
// the footers and the file names.
func (wb *workbook) runDate() time.Time { return wb.prov.RunTime.In(clock.Dutch) }

func newWorkbook() (*workbook, error) {
	wb := &workbook{f: excelize.NewFile(), refs: map[string]string{}}
	if err := wb.makeStyles(); err != nil {
		wb.f.Close()
		return nil, err
	}
	return wb, nil
}

// WriteWorkbook writes the Excel workbook of a result to w.
func WriteWorkbook(w io.Writer, res *raming.Result, prov Provenance, opts Options) error {
	wb, err := newWorkbook()
	if err != nil {
		return err
	}
	defer wb.f.Close()
	wb.res, wb.prov, wb.opts, wb.units = res, prov, opts, units(res)
	wb.bud = raming.NewBudget(res.Scenario, opts.budgetYear(prov))
	wb.cells = newSmallCells(res, opts.smallCell())
	wb.names, wb.qs = map[string]string{}, wb.cells.qs
	taken := map[string]bool{}
	for _, e := range res.Scenario.Entries() {
		wb.names[e.ID] = uniqueName(taken, definedName("aanname_", e.ID))
	}
	for _, q := range res.Quantities {
		wb.names[q.ID] = uniqueName(taken, definedName("grootheid_", q.ID))
	}
	// Sheets are built in the order their references need (a formula
	// refers only to cells registered before it) and shown in this order.
	overview := wb.sheet(sheetOverview)
	budget := wb.sheet(sheetBudget)
	paragraph := wb.sheet(sheetParagraph)
	variants := make([]*sheet, len(res.Variants))
	for i, v := range res.Variants {
		variants[i] = wb.sheet(variantSheet(v.Header))
	}
	cash := wb.sheet(sheetCash)
	var uncertainty, baseline, rejected, pub *sheet
	if res.MonteCarlo != nil {
		uncertainty = wb.sheet(sheetUncertainty)
	}
	if res.Published != nil {
		pub = wb.sheet(sheetPublished)
	}
	if res.Baseline != nil {
		baseline = wb.sheet(sheetBaseline)
	}
	funnel := wb.sheet(sheetFunnel)
	assumptions := wb.sheet(sheetAssumptions)
	if res.Population.Extract {
		rejected = wb.sheet(sheetRejected)
	}
	provenance := wb.sheet(sheetProvenance)

	steps := []struct {
		s     *sheet
		build func(*sheet) error
	}{{assumptions, wb.assumptions}, {funnel, wb.funnel}}
	for i, v := range res.Variants {
		steps = append(steps, struct {
			s     *sheet
			build func(*sheet) error
		}{variants[i], func(s *sheet) error { return wb.variant(s, v) }})
	}
	steps = append(steps, []struct {
		s     *sheet
		build func(*sheet) error
	}{{budget, wb.budget}, {paragraph, wb.paragraph}, {cash, wb.cashProfile}, {uncertainty, wb.uncertainty}, {pub, wb.publishedSheet}, {baseline, wb.baselineSheet}, {overview, wb.overview},
		{rejected, wb.rejected}, {provenance, wb.provenance}}...)
	marked := map[string]map[string]bool{}
	for _, st := range steps {
		if st.s == nil {
			continue
		}
		if err := st.build(st.s); err != nil {
			return fmt.Errorf("sheet %s: %w", st.s.name, err)
		}
		wb.markDependents(st.s, marked)
	}
	created := prov.RunTime.UTC().Format("2006-01-02T15:04:05Z")
	if err := wb.write(&excelize.DocProperties{Title: res.Scenario.Title, Creator: "raming " + prov.ToolVersion,
		Created: created, Modified: created, Language: "nl-NL"}); err != nil {
		return err
	}
	return writeDeterministic(w, wb.f)
}

// definedName is the workbook-wide name of an assumption's or quantity's
// cell, so formulas read like the deck's text: aanname_funnel_affected_share.
func definedName(prefix, id string) string { return prefix + scenario.NameForm(id) }

// uniqueName returns name, or name with a suffix _2, _3, ... when another
// id already took it: Excel's names ignore letter case, and definedName
// maps every character outside [A-Za-z0-9] to _, so ids such as A-15k and
// a+15k would otherwise share one name (and one value).
func uniqueName(taken map[string]bool, name string) string {
	unique := name
	for i := 2; taken[strings.ToLower(unique)]; i++ {
		unique = fmt.Sprintf("%s_%d", name, i)
	}
	taken[strings.ToLower(unique)] = true
	return unique
}

// define gives the cell of an assumption or quantity its defined name.
func (wb *workbook) define(id, ref string) error {
	return wb.f.SetDefinedName(&excelize.DefinedName{Name: wb.names[id], RefersTo: ref, Scope: "Workbook"})
}

// ref returns a reference registered by an earlier sheet. A missing one is
// a programming error (the build order), so it panics.
func (wb *workbook) ref(key string) string {
	r, ok := wb.refs[key]
	if !ok {
		panic("output: no cell registered for " + key)
	}
	return r
}

// writeDeterministic writes a workbook's package with writePackage, so
// the same workbook always gives the same bytes: excelize hands its parts
// over uncompressed (packageParts), and writePackage orders and
// compresses them.
func writeDeterministic(w io.Writer, f *excelize.File) error {
	parts := packageParts{}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return parts })
	if _, err := f.WriteToBuffer(); err != nil {
		return err
	}
	return writePackage(w, parts.bytes())
}

// write writes every sheet to the file, in the order shown.
func (wb *workbook) write(props *excelize.DocProperties) error {
	for i, s := range wb.sheets {
		if i == 0 {
			if err := wb.f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := wb.f.NewSheet(s.name); err != nil {
			return err
		}
		if err := wb.printable(s); err != nil {
			return err
		}
		if err := s.writeTo(wb.f); err != nil {
			return fmt.Errorf("sheet %s: %w", s.name, err)
		}
	}
	// The first sheet is the active one: it is excelize's Sheet1, renamed,
	// which opens selected. (SetActiveSheet would parse every streamed
	// sheet back and write it again: a fifth of a run's time.)
	return wb.f.SetDocProps(props)
}

// writeTo streams the sheet's rows into f. A row with wrapped text that
// does not fit its column gets the height of the lines it needs, up to
// maxRowHeight.
func (s *sheet) writeTo(f *excelize.File) error {
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	widths := map[int]float64{}
	for _, w := range s.widths {
		if err := sw.SetColWidth(w.min, w.max, w.width); err != nil {
			return err
		}
		for c := w.min; c <= w.max; c++ {
			widths[c] = w.width
		}
	}
	for _, c := range s.hidden {
		if err := sw.SetColVisible(c, c, false); err != nil {
			return err
		}
	}
	if s.panes != nil {
		if err := sw.SetPanes(s.panes); err != nil {
			return err
		}
	}
	mergedAt := map[string]bool{} // a merged note's height is its own (note)
	for _, m := range s.merged {
		mergedAt[m[0]] = true
	}
	wrapped := map[int]bool{}
	for st, d := range styleDefs {
		if d != nil && d.Alignment != nil && d.Alignment.WrapText {
			wrapped[s.wb.styles[st]], wrapped[s.wb.toolStyles[st]] = true, true
		}
	}
	for i, r := range s.rows {
		if r == nil {
			continue
		}
		lines := 1
		for c, v := range r {
			cv, ok := v.(excelize.Cell)
			text, isText := cv.Value.(string)
			if !ok || !isText || !wrapped[cv.StyleID] || slices.Contains(s.hidden, c+1) || mergedAt[cellName(c+1, i+1)] {
				continue
			}
			width := widths[c+1]
			if width == 0 {
				width = 9
			}
			lines = max(lines, textLines(text, width))
		}
		height := 15 * float64(lines)
		if h, ok := s.heights[i+1]; ok {
			height = max(height, h)
		}
		height = min(height, maxRowHeight)
		var opts []excelize.RowOpts
		if height > 15 {
			opts = append(opts, excelize.RowOpts{Height: height})
		}
		for c, v := range r { // a plain value: the default style, aligned to the top
			if _, ok := v.(excelize.Cell); !ok && v != nil {
				r[c] = excelize.Cell{Value: v, StyleID: s.wb.styles[styleNone]}
			}
		}
		if err := sw.SetRow(cellName(1, i+1), r, opts...); err != nil {
			return err
		}
	}
	if s.table != nil {
		if err := sw.AddTable(s.table); err != nil {
			return err
		}
	}
	for _, m := range s.merged {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	for _, row := range s.breaks {
		if err := sw.InsertPageBreak(cellName(1, row)); err != nil {
			return err
		}
	}
	for _, c := range s.charts {
		if err := f.AddChart(s.name, c.cell, c.charts[0], c.charts[1:]...); err != nil {
			return err
		}
	}
	for _, dv := range s.valid {
		if err := f.AddDataValidation(s.name, dv); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// headerText is text for a page header or footer: its & written as &&.
func headerText(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// printable sets a sheet to print landscape, fitted to the page width (as
// many pages tall as needed), on A4, with its print area and the rows to
// repeat on every page.
func (wb *workbook) printable(s *sheet) error {
	landscape, wide, tall, a4 := "landscape", 1, 0, 9
	if err := wb.f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall, Size: &a4}); err != nil {
		return err
	}
	fit := true
	if err := wb.f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	// Narrow margins (inches), so that a wide table is scaled down less.
	side, edge, band := 0.4, 0.6, 0.3
	if err := wb.f.SetPageMargins(s.name, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &edge, Bottom: &edge, Header: &band, Footer: &band}); err != nil {
		return err
	}
	// Every printed page says what it is and the stand of its figures
	// (the date in the Netherlands).
	footer := fmt.Sprintf("&L%s&CStand: %s&RPagina &P van &N", headerText(s.name), headerText(dutchDate(wb.runDate())))
	if err := wb.f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{OddFooter: footer}); err != nil {
		return err
	}
	if s.printCols > 0 {
		area := fmt.Sprintf("%s!$A$1:$%s$%d", s.quoted(), colName(s.printCols), max(1, len(s.rows)))
		if err := wb.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: area, Scope: s.name}); err != nil {
			return err
		}
	}
	if s.titleRows[0] > 0 {
		titles := fmt.Sprintf("%s!$%d:$%d", s.quoted(), s.titleRows[0], s.titleRows[1])
		if err := wb.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: s.name}); err != nil {
			return err
		}
	}
	return nil
}
