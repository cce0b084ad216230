package output

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

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
