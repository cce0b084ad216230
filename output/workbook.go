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
	wb.names, wb.qs = map[string]string{}, map[string]*raming.Quantity{}
	taken := map[string]bool{}
	for _, e := range res.Scenario.Entries() {
		wb.names[e.ID] = uniqueName(taken, definedName("aanname_", e.ID))
	}
	for _, q := range res.Quantities {
		wb.names[q.ID] = uniqueName(taken, definedName("grootheid_", q.ID))
		wb.qs[q.ID] = q
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

// sheet is a sheet being built: its rows top to bottom, which know their
// own numbers (row returns it), its column widths, frozen panes and charts.
// Nothing is written to the file until the workbook is complete.
type sheet struct {
	wb     *workbook
	name   string
	rows   [][]any // rows[i] is row i+1; nil is an empty row
	widths []colWidth
	panes  *excelize.Panes
	charts []placedChart
	// valid holds data validations, added when the sheet is written.
	valid []*excelize.DataValidation
	// table, if set, makes a range an Excel table (sortable, filterable).
	table *excelize.Table
	// cols is how many columns a note spans (its text wraps within them).
	cols int
	// merged are the ranges a note spans; heights the rows' heights where
	// a note needs more than one line.
	merged  [][2]string
	heights map[int]float64
	// printCols, when set, limits the printed page to the first printCols
	// columns (helper columns for charts lie beyond); titleRows repeats
	// rows titleRows[0]-titleRows[1] at the top of every printed page.
	printCols int
	titleRows [2]int
	// hidden are columns not shown (values kept for formulas).
	hidden []int
	// breaks are rows that start a new printed page.
	breaks []int
}

// maxRowHeight is the tallest a row may be (points), Excel's limit.
const maxRowHeight = 409

// pageBreak starts a new printed page at the next row (so a table and its
// chart are not split).
func (s *sheet) pageBreak() { s.breaks = append(s.breaks, s.next()) }

type colWidth struct {
	min, max int
	width    float64
}

type placedChart struct {
	cell   string
	charts []*excelize.Chart
}

// sheet adds a sheet to be shown after the ones added before it.
func (wb *workbook) sheet(name string) *sheet {
	s := &sheet{wb: wb, name: name}
	wb.sheets = append(wb.sheets, s)
	return s
}

// row appends a row of cells and returns its number (1-based).
func (s *sheet) row(cells ...any) int {
	s.rows = append(s.rows, cells)
	return len(s.rows)
}

// note writes text in a row of its own, merged over the sheet's first
// cols columns (default 8) and wrapped there, as high as its lines need:
// a long note then neither runs off the printed page nor widens it.
func (s *sheet) note(text string, style cellStyle) int {
	cols := s.cols
	if cols == 0 {
		cols = 8
	}
	row := s.row(s.wb.cell(text, style))
	s.merged = append(s.merged, [2]string{cellName(1, row), cellName(cols, row)})
	width := 0.0
	for c := 1; c <= cols; c++ {
		width += s.colWidth(c)
	}
	if lines := textLines(text, width); lines > 1 {
		if s.heights == nil {
			s.heights = map[int]float64{}
		}
		s.heights[row] = 15 * float64(lines)
	}
	return row
}

// colWidth is the width of column c as set (9 when not set, the default).
func (s *sheet) colWidth(c int) float64 {
	w := 9.0
	for _, cw := range s.widths {
		if c >= cw.min && c <= cw.max {
			w = cw.width
		}
	}
	return w
}

// textLines is how many lines a text needs in a cell of the given width
// (column-width units) when it wraps at spaces: words laid greedily on
// lines, a character taken as charWidth units (a little wider than
// LibreOffice prints them at 11 pt, so that a row is never too low), a
// word longer than a line broken over as many lines as it needs.
func textLines(text string, width float64) int {
	const charWidth = 0.95
	per := max(1, int(width/charWidth)) // characters on a line
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		n, used := 1, 0
		for _, w := range strings.Fields(para) {
			l := utf8.RuneCountInString(w)
			switch {
			case used == 0:
				used = l
			case used+1+l <= per:
				used += 1 + l
			default:
				n++
				used = l
			}
			for used > per {
				n++
				used -= per
			}
		}
		lines += n
	}
	return lines
}

// tall appends a row of the given number of lines' height (a header whose
// labels wrap) and returns its number.
func (s *sheet) tall(lines int, cells ...any) int {
	row := s.row(cells...)
	if s.heights == nil {
		s.heights = map[int]float64{}
	}
	s.heights[row] = 15 * float64(lines)
	return row
}

// next is the number the next row will get.
func (s *sheet) next() int { return len(s.rows) + 1 }

// width sets the width of columns min to max.
func (s *sheet) width(min, max int, w float64) { s.widths = append(s.widths, colWidth{min, max, w}) }

// freeze keeps the first cols columns and rows rows in view.
func (s *sheet) freeze(cols, rows int) {
	top, _ := excelize.CoordinatesToCellName(cols+1, rows+1)
	pane := "bottomLeft"
	if cols > 0 {
		pane = "bottomRight"
	}
	s.panes = &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: top, ActivePane: pane}
}

// chart places charts (one, or a combination) with their top-left corner
// at cell, their text made legible on paper (legible).
func (s *sheet) chart(cell string, charts ...*excelize.Chart) {
	for _, c := range charts {
		legible(c)
	}
	s.charts = append(s.charts, placedChart{cell, charts})
}

// Chart text sizes (points): axis labels and legends, titles. Black, so
// that a chart reads on paper (a spreadsheet's default light grey does
// not), and large enough to stay 8 pt or more when the page is scaled to
// its width (docs/methodology.md, "Printing").
const (
	chartTextSize  = 11
	chartTitleSize = 12
)

// legible makes a chart's text black and at least chartTextSize: axis
// labels, axis titles, legend and title.
func legible(c *excelize.Chart) {
	text := func(f *excelize.Font, size float64) {
		f.Color = "000000"
		f.Size = max(f.Size, size)
	}
	runs := func(t *excelize.ChartTitle, size float64) {
		for i := range t.Paragraph {
			if t.Paragraph[i].Font == nil {
				t.Paragraph[i].Font = &excelize.Font{}
			}
			text(t.Paragraph[i].Font, size)
		}
	}
	for _, a := range []*excelize.ChartAxis{&c.XAxis, &c.YAxis} {
		text(&a.Font, chartTextSize)
		runs(&a.Title, chartTextSize)
	}
	if c.Legend.Font == nil {
		c.Legend.Font = &excelize.Font{}
	}
	text(c.Legend.Font, chartTextSize)
	runs(&c.Title, chartTitleSize)
	for i := range c.Title.Paragraph {
		c.Title.Paragraph[i].Font.Bold = true
	}
}

// room adds the empty rows a chart of the given height (pixels) covers,
// so that what follows, and a page break, come below it. Rows are counted
// at 17 pixels, LibreOffice's default height (Excel's 20 is taller), and
// one more for the margin.
func (s *sheet) room(height uint) {
	for range int(height)/17 + 2 {
		s.row()
	}
}

// quoted is the sheet's name as a formula writes it.
func (s *sheet) quoted() string { return quoteSheet(s.name) }

// at is a reference to a cell of this sheet from another: 'Sheet'!B5.
func (s *sheet) at(col, row int) string { return s.quoted() + "!" + cellName(col, row) }

// abs is an absolute reference: 'Sheet'!$B$5.
func (s *sheet) abs(col, row int) string {
	return fmt.Sprintf("%s!$%s$%d", s.quoted(), colName(col), row)
}

// span is an absolute reference to a range: 'Sheet'!$B$5:$B$9.
func (s *sheet) span(col1, row1, col2, row2 int) string {
	return fmt.Sprintf("%s!$%s$%d:$%s$%d", s.quoted(), colName(col1), row1, colName(col2), row2)
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i)
	return n
}

func quoteSheet(s string) string {
	if strings.ContainsAny(s, " -+%()&'") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return s
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
