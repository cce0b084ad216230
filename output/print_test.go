package output

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"raming/raming"
)

// maxPrintWidth is the widest a sheet's printed columns may be, in
// column-width units, for its text to print at 8 pt or more when the
// page is fitted to the width of A4 landscape: 784 pt between the 0.4"
// margins, and a unit prints about 6.5 pt wide (LibreOffice, Carlito at
// 11 pt: 150 units printed at 80%, 8.8 pt). 160 units print at 75%:
// 11 pt text at 8.25 pt. TestPrintedPagesReadAsFinished measures it.
const maxPrintWidth = 160

// TestSheetsFitThePage: every sheet's printed columns are at most
// maxPrintWidth wide, in each kind of workbook.
func TestSheetsFitThePage(t *testing.T) {
	for name, res := range map[string]*raming.Result{"deck-exact-montecarlo": simulated(t), "wet-2023-published": adoptedWithPublished(t),
		"baseline": withBaseline(t, nil, []string{"funnel.affected_share=0.60"}), "extract": extractResult(t)} {
		var buf bytes.Buffer
		if err := WriteWorkbook(&buf, res, fixedProvenance, Options{}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range f.GetSheetList() {
			cols := 0
			for _, d := range f.GetDefinedName() {
				if d.Name == "_xlnm.Print_Area" && d.Scope == sh {
					_, cols, _ = printAreaCols(d.RefersTo)
				}
			}
			if cols == 0 {
				rows, _ := f.GetRows(sh)
				for _, r := range rows {
					cols = max(cols, len(r))
				}
			}
			width := 0.0
			for c := 1; c <= cols; c++ {
				w, _ := f.GetColWidth(sh, colName(c))
				width += w
			}
			if width > maxPrintWidth {
				t.Errorf("%s, sheet %s: %d printed columns %.0f wide, more than %d: the page prints below 8 pt", name, sh, cols, width, maxPrintWidth)
			}
		}
		f.Close()
	}
}

// printAreaCols is the number of columns of a print area 'Sheet'!$A$1:$J$40.
func printAreaCols(ref string) (string, int, error) {
	i := len(ref) - 1
	for i >= 0 && ref[i] != ':' {
		i--
	}
	end := ref[i+1:]
	col, _, err := excelize.SplitCellName(stripDollar(end))
	if err != nil {
		return "", 0, err
	}
	n, err := excelize.ColumnNameToNumber(col)
	return col, n, err
}

func stripDollar(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte("$"), nil)) }

// charUnits is about how wide a character prints, in column-width units,
// at 11 pt (Carlito, LibreOffice's Calibri): a digit is 0.85, a letter
// 0.75 on average; bold a tenth wider. Generous on purpose: a text that
// this counts as fitting does fit.
const charUnits = 0.95

// TestNoTextIsCut: no text cell is cut off on the printed page: a text
// that does not wrap fits its column, or has an empty cell to its right
// to run into; a text that wraps has no word longer than its column
// (LibreOffice would break the word). Merged notes are exempt (they wrap
// across their columns).
func TestNoTextIsCut(t *testing.T) {
	for name, res := range map[string]*raming.Result{"deck-exact-montecarlo": simulated(t), "wet-2023-published": adoptedWithPublished(t),
		"baseline": withBaseline(t, nil, []string{"funnel.affected_share=0.60"}), "extract": onExtract(t)} {
		var buf bytes.Buffer
		if err := WriteWorkbook(&buf, res, fixedProvenance, Options{}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range f.GetSheetList() {
			merged := map[string]bool{}
			ms, _ := f.GetMergeCells(sh)
			for _, m := range ms {
				merged[m.GetStartAxis()] = true
			}
			rows, _ := f.GetRows(sh)
			widths := map[int]float64{}
			for i, r := range rows {
				for j, v := range r {
					cell := cellName(j+1, i+1)
					formula, _ := f.GetCellFormula(sh, cell)
					if visible, _ := f.GetColVisible(sh, colName(j+1)); v == "" || !visible || merged[cell] || formula != "" && !isText(f, sh, cell) {
						continue
					}
					if _, err := strconv.ParseFloat(strings.NewReplacer(".", "", ",", ".", "€ ", "", "%", "", " mln", "").Replace(v), 64); err == nil {
						continue // a number: ### if too narrow, which the printed pages test finds
					}
					if _, ok := widths[j+1]; !ok {
						widths[j+1], _ = f.GetColWidth(sh, colName(j+1))
					}
					w := widths[j+1]
					wrap, bold := cellLook(f, sh, cell)
					if wrap {
						for _, word := range strings.Fields(v) {
							if n := float64(len([]rune(word))) * charUnits * boldFactor(bold); n > w {
								t.Errorf("%s, %s!%s: the word %q (%.0f units) is wider than its column (%.0f): LibreOffice breaks it", name, sh, cell, word, n, w)
							}
						}
						continue
					}
					need := float64(len([]rune(v))) * charUnits * boldFactor(bold)
					if need <= w || j+1 >= len(r) || r[j+1] == "" {
						continue
					}
					t.Errorf("%s, %s!%s: %q (about %.0f units) does not fit its column (%.0f) and the next cell is not empty: it is cut", name, sh, cell, v, need, w)
				}
			}
		}
		f.Close()
	}
}

func boldFactor(bold bool) float64 {
	if bold {
		return 1.1
	}
	return 1
}

// cellLook reports whether a cell's style wraps its text, and is bold.
func cellLook(f *excelize.File, sheet, cell string) (wrap, bold bool) {
	id, _ := f.GetCellStyle(sheet, cell)
	st, err := f.GetStyle(id)
	if err != nil || st == nil {
		return false, false
	}
	if st.Alignment != nil {
		wrap = st.Alignment.WrapText
	}
	if st.Font != nil {
		bold = st.Font.Bold
	}
	return wrap, bold
}

// isText reports whether a formula cell holds text (its cached value is
// not a number).
func isText(f *excelize.File, sheet, cell string) bool {
	v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	_, err := strconv.ParseFloat(v, 64)
	return err != nil
}

// TestStalenessWarningIsReadable: the warning that turns on when an
// assumption is edited spans the sheet's columns in a row as high as its
// text, so that it prints whole (it was cut to "Aanname / s" in column A).
func TestStalenessWarningIsReadable(t *testing.T) {
	res := smallExtract(t, 300, 5)
	f := openWorkbook(t, res, fixedProvenance)
	merged, err := f.GetMergeCells(sheetOverview)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range merged {
		formula, _ := f.GetCellFormula(sheetOverview, m.GetStartAxis())
		if !strings.Contains(formula, "Aannames gewijzigd sinds de berekening") {
			continue
		}
		_, row, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		if h, _ := f.GetRowHeight(sheetOverview, row); h < 30 {
			t.Errorf("the warning's row is %v pt high: its text needs more lines", h)
		}
		if col, _, _ := excelize.CellNameToCoordinates(m.GetEndAxis()); col < 6 {
			t.Errorf("the warning spans %s:%s only", m.GetStartAxis(), m.GetEndAxis())
		}
		return
	}
	t.Error("the staleness warning is not in a merged range of the sheet Overzicht")
}
