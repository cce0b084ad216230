package output

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"raming/input"
	"raming/raming"
	"raming/scenario"
)

// loCell is one formula cell as LibreOffice recalculated it.
type loCell struct {
	Sheet, Cell, Formula string
	Value                float64
	String               string
	Text                 bool // the formula's result is text
	Error                int
}

// requireLibreOffice skips the test when LibreOffice is not installed,
// unless RAMING_REQUIRE_LIBREOFFICE=1 (as in CI, which installs it).
func requireLibreOffice(t *testing.T) {
	t.Helper()
	_, errOffice := exec.LookPath("soffice")
	errUno := exec.Command("/usr/bin/python3", "-c", "import uno").Run()
	if errOffice != nil || errUno != nil {
		if os.Getenv("RAMING_REQUIRE_LIBREOFFICE") == "1" {
			t.Fatalf("LibreOffice is required but missing (soffice: %v, python3-uno: %v); install libreoffice-calc-nogui python3-uno", errOffice, errUno)
		}
		t.Skip("LibreOffice (libreoffice-calc-nogui, python3-uno) not installed")
	}
}

// recalcInLibreOffice opens the workbook in LibreOffice headless with a
// Dutch (nl-NL) profile, as a Dutch reader would, recalculates everything
// and returns the formula cells; args go to tools/lo_recalc.py (--set,
// --pdf, --cells). It skips the test when LibreOffice is not installed,
// unless RAMING_REQUIRE_LIBREOFFICE=1 (as in CI, which installs it).
func recalcInLibreOffice(t *testing.T, path string, args ...string) []loCell {
	t.Helper()
	requireLibreOffice(t)
	out, err := exec.Command("/usr/bin/python3", append(append([]string{"../tools/lo_recalc.py", "--locale", "nl-NL"}, args...), path)...).Output()
	if err != nil {
		t.Fatalf("lo_recalc.py: %v", err)
	}
	var cells []loCell
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var c loCell
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		cells = append(cells, c)
	}
	return cells
}

// TestLibreOfficeRecalculates opens each workbook in a real client,
// recalculates every formula and compares it with the value the engine
// cached in the file: they must agree to the cent.
func TestLibreOfficeRecalculates(t *testing.T) {
	results := map[string]*raming.Result{"deck": estimate(t, "deck"), "deck-exact-montecarlo": simulated(t), "extract": onExtract(t),
		"wet-2023-published": adoptedWithPublished(t), "baseline": withBaseline(t, nil, []string{"funnel.affected_share=0.40"})}
	for name, res := range results {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name+".xlsx")
			var buf bytes.Buffer
			if err := WriteWorkbook(&buf, res, fixedProvenance, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			cells := recalcInLibreOffice(t, path)
			if len(cells) < 50 {
				t.Fatalf("LibreOffice found %d formula cells, want the whole workbook's", len(cells))
			}
			f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for _, c := range cells {
				raw, _ := f.GetCellValue(c.Sheet, c.Cell, excelize.Options{RawCellValue: true})
				cached, err := strconv.ParseFloat(raw, 64)
				switch {
				case c.Error != 0:
					t.Errorf("%s!%s %s: LibreOffice error %d", c.Sheet, c.Cell, c.Formula, c.Error)
				case c.Text && raw != c.String: // a text formula, in the Dutch locale
					t.Errorf("%s!%s %s: LibreOffice %q, engine %q", c.Sheet, c.Cell, c.Formula, c.String, raw)
				case !c.Text && err != nil:
					t.Errorf("%s!%s: cached value %q is not a number", c.Sheet, c.Cell, raw)
				case !c.Text && math.Abs(cached-c.Value) >= 0.005:
					t.Errorf("%s!%s %s: LibreOffice %v, engine %v", c.Sheet, c.Cell, c.Formula, c.Value, cached)
				}
			}
		})
	}
}

// TestLibreOfficeCheckCanFail makes sure the round trip really recalculates:
// a workbook whose cached value is wrong must be caught.
func TestLibreOfficeCheckCanFail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wrong.xlsx")
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{2.0, 3.0, excelize.Cell{Formula: "A1*B1", Value: 7.0}})
	sw.Flush()
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	cells := recalcInLibreOffice(t, path)
	if len(cells) != 1 || cells[0].Value != 6 {
		t.Fatalf("got %+v, want LibreOffice to recompute A1*B1 = 6 over the cached 7", cells)
	}
}

// onExtract is the deck scenario on a synthetic 2,000-row extract with a
// small Monte Carlo run: the funnel counted, variant B per record.
func onExtract(t *testing.T) *raming.Result {
	t.Helper()
	var buf bytes.Buffer
	if err := input.Generate(&buf, input.GenerateOptions{Rows: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	pop, err := input.Read(&buf, input.Options{Source: "synthetic"})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	res, err := raming.Simulate(sc, pop, raming.MC{Seed: 1, Iterations: 500, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// writeTemp writes a result's workbook to a temporary file.
func writeTemp(t *testing.T, res *raming.Result, prov Provenance) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, res, prov, Options{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfPages converts a PDF to text, one string per page.
func pdfPages(t *testing.T, pdf string) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("RAMING_REQUIRE_LIBREOFFICE") == "1" {
			t.Fatal("pdftotext is required but missing; install poppler-utils")
		}
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(string(out), "\f")
}

// tooManyDecimals finds a number with three or more decimals as a Dutch
// reader sees it (decimal comma), e.g. 0,333 or 659,0565.
var tooManyDecimals = regexp.MustCompile(`\d,\d{3,}`)

// english finds words of English that Dutch does not have (the workbook
// is Dutch; keys such as cws_appeal_share are not words).
var english = regexp.MustCompile(`(?i)(^|[\s(:;,"'])(the|and|with|which|this|these|that|not|were|could|should|would|from|into|than|been|have|does|only|value|values|rows|column|file|amount|warning|rejected|ignored|empty|skipped|because|after)($|[\s).:;,"'])`)

// minFontPoints is the smallest text a printed page may have.
const minFontPoints = 8

// lineHeightEm is the height of pdftotext's word box in ems for the
// workbook's font (Carlito, metric-compatible with Calibri: ascent 0.952
// + descent 0.269): a word box of 9.77 pt is text of 8 pt.
const lineHeightEm = 1.221

// wordHeights are the heights (pt) of the words of each page of a PDF,
// smallest first, with the word. A word's height is the larger side of
// its box: the height of a word that runs left to right, and the width of
// one set upright (a chart's rotated labels). For a word of one or two
// characters that is its line's height either way; a longer word can
// only seem larger, and every printed line has short words.
func wordHeights(t *testing.T, pdf string) [][]wordBox {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	box := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	var pages [][]wordBox
	for _, page := range strings.Split(string(out), "<page ")[1:] {
		var words []wordBox
		for _, m := range box.FindAllStringSubmatch(page, -1) {
			x0, _ := strconv.ParseFloat(m[1], 64)
			y0, _ := strconv.ParseFloat(m[2], 64)
			x1, _ := strconv.ParseFloat(m[3], 64)
			y1, _ := strconv.ParseFloat(m[4], 64)
			words = append(words, wordBox{m[5], max(y1-y0, x1-x0)})
		}
		slices.SortFunc(words, func(a, b wordBox) int { return cmp.Compare(a.height, b.height) })
		pages = append(pages, words)
	}
	return pages
}

type wordBox struct {
	word   string
	height float64
}

// TestPrintedPagesReadAsFinished prints the workbooks a budget officer
// opens (an extract with variant B per record, the adopted scheme beside
// the published figures, a run compared with the previous one, and the
// deck's Monte Carlo run) as LibreOffice does in a Dutch locale and reads
// every page: no text under 8 pt (the page fitted to A4's width), no "###"
// (a column too narrow) and no mark of a cut text, no number with more
// than two decimals, no English, and the budget sheet's columns.
func TestPrintedPagesReadAsFinished(t *testing.T) {
	results := map[string]*raming.Result{"deck-exact-montecarlo": simulated(t), "extract": onExtract(t), "wet-2023-published": adoptedWithPublished(t),
		"baseline": withBaseline(t, nil, []string{"funnel.affected_share=0.60"})}
	for name, res := range results {
		t.Run(name, func(t *testing.T) {
			pdf := filepath.Join(t.TempDir(), "r.pdf")
			recalcInLibreOffice(t, writeTemp(t, res, fixedProvenance), "--pdf", pdf)
			pages := pdfPages(t, pdf)
			heights := wordHeights(t, pdf)
			budget := false
			for i, page := range pages {
				if strings.Contains(page, "###") {
					t.Errorf("page %d shows ### (a column too narrow):\n%s", i+1, page)
				}
				if strings.ContainsAny(page, "▸►") {
					t.Errorf("page %d shows a mark of a cut text:\n%s", i+1, page)
				}
				if m := tooManyDecimals.FindString(page); m != "" {
					t.Errorf("page %d shows a number with more than two decimals (%s):\n%s", i+1, m, page)
				}
				if m := english.FindString(page); m != "" {
					t.Errorf("page %d has English (%q):\n%s", i+1, strings.TrimSpace(m), page)
				}
				if i < len(heights) && len(heights[i]) > 0 {
					if w := heights[i][0]; w.height/lineHeightEm < minFontPoints-0.05 {
						t.Errorf("page %d prints %q at %.1f pt, under %d pt:\n%s", i+1, w.word, w.height/lineHeightEm, minFontPoints, page)
					}
				}
				if strings.Contains(page, "bedragen x € 1 mln") && strings.Contains(page, "Verplichtingen") {
					budget = true
					year := DefaultBudgetYear(fixedProvenance.RunTime)
					for _, col := range []string{"eerdere", "latere", fmt.Sprint(year - 2), fmt.Sprint(year + 5), "Struc.", "Totaal"} {
						if !strings.Contains(page, col) {
							t.Errorf("budget page %d lacks its column %s (begroting %d: eerdere jaren, %d ... %d, latere jaren, Struc., Totaal):\n%s", i+1, col, year, year-2, year+5, page)
						}
					}
				}
			}
			if !budget {
				t.Error("no printed page has the budget table (\"bedragen x € 1 mln\", Verplichtingen)")
			}
		})
	}
}

// TestEditedAssumptionFollows changes an assumption cell in LibreOffice,
// as a user would, and checks that the live figures follow to the cent
// (the variant sheets, the overview, the budget table) and that the
// overview's warning cell says the Monte Carlo figures are stale.
func TestEditedAssumptionFollows(t *testing.T) {
	res := simulated(t)
	path := writeTemp(t, res, fixedProvenance)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Aannames")
	f.Close()
	row := 0
	for i, r := range rows {
		if len(r) > 0 && r[0] == "funnel.affected_share" {
			row = i + 1
		}
	}
	if row == 0 {
		t.Fatal("no row funnel.affected_share on Aannames")
	}
	sc, _ := scenario.Load("deck-exact")
	if err := sc.Set("funnel.affected_share", "0.7"); err != nil {
		t.Fatal(err)
	}
	want, err := raming.Estimate(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	cells := recalcInLibreOffice(t, path, "--set", fmt.Sprintf("Aannames!C%d=0.7", row), "--cells", "Overzicht!A3")
	got := map[string]loCell{}
	for _, c := range cells {
		got[c.Sheet+"!"+c.Cell] = c
	}
	// Every case's total on its variant sheet, and on the overview.
	checked := 0
	x, _ := excelize.OpenFile(path)
	defer x.Close()
	for _, v := range want.Variants {
		sheet := variantSheet(v.Header)
		cols, _ := x.GetRows(sheet)
		for i, c := range v.Cases {
			cell := fmt.Sprintf("%s!%s", sheet, cellName(2+i, 8))
			if label, _ := x.GetCellValue(sheet, "A8"); !strings.HasPrefix(label, "Totale kosten") {
				t.Fatalf("%s: row 8 is %q, not the total", sheet, label)
			}
			lo, ok := got[cell]
			if !ok {
				t.Errorf("%s: no formula", cell)
				continue
			}
			if math.Abs(lo.Value-c.Total.Value.InexactFloat64()) >= 0.005 {
				t.Errorf("%s (%s): LibreOffice %.2f after the change, the engine %s", cell, c.ID, lo.Value, c.Total.Value.StringFixed(2))
			}
			checked++
		}
		_ = cols
	}
	// The budget table's total of A's central case follows too.
	budgetRows, _ := x.GetRows(sheetBudget)
	for i, r := range budgetRows {
		if len(r) > 0 && r[0] == "Uitgaven" {
			last := len(r)
			cell := fmt.Sprintf("%s!%s", sheetBudget, cellName(last, i+1))
			if lo := got[cell]; math.Abs(lo.Value-want.Case("A-15k").Total.Value.InexactFloat64()) >= 0.005 {
				t.Errorf("%s: budget total %.2f after the change, the engine %s", cell, lo.Value, want.Case("A-15k").Total.Value.StringFixed(2))
			}
			checked++
			break
		}
	}
	if checked < 10 {
		t.Errorf("checked %d figures, want every case and the budget table", checked)
	}
	if w := got["Overzicht!A3"]; !strings.Contains(w.String, "Aannames gewijzigd") {
		t.Errorf("the overview's warning cell says %q after the change, want \"Aannames gewijzigd ...\"", w.String)
	}
}

// extractResult is the deck scenario on the synthetic 2,000-row extract
// of onExtract, with the --set changes given, deterministic.
func extractResult(t *testing.T, sets ...string) *raming.Result {
	t.Helper()
	var buf bytes.Buffer
	if err := input.Generate(&buf, input.GenerateOptions{Rows: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	pop, err := input.Read(&buf, input.Options{Source: "synthetic"})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.SetAll(sets); err != nil {
		t.Fatal(err)
	}
	res, err := raming.Estimate(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestEditedFunnelShareMovesB edits the affected share on Aannames to
// 0.70 in LibreOffice, as a budget officer would, on a run with an
// extract (variant B per record), and checks every live figure against
// the workbook of the same run with --set funnel.affected_share=0.70, to
// the cent: B's cost (its sums per weight group times the live shares),
// every variant sheet's figures, the overview, the funnel, and the
// totals of the budget table and Kasritme (whose columns keep the run's
// distribution over the years, as their notes say).
func TestEditedFunnelShareMovesB(t *testing.T) {
	path := writeTemp(t, extractResult(t), fixedProvenance)
	want := extractResult(t, "funnel.affected_share=0.70")
	wantPath := writeTemp(t, want, fixedProvenance)
	f, err := excelize.OpenFile(wantPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(sheetAssumptions)
	row := 0
	for i, r := range rows {
		if len(r) > 0 && r[0] == "funnel.affected_share" {
			row = i + 1
		}
	}
	if row == 0 {
		t.Fatal("no row funnel.affected_share on Aannames")
	}
	cells := recalcInLibreOffice(t, path, "--set", fmt.Sprintf("Aannames!C%d=0.7", row))
	orig, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	checked, bChecked, marked := 0, false, 0
	totalCols := map[string]string{}
	for _, sheet := range []string{sheetBudget, sheetCash} {
		rows, _ := f.GetRows(sheet)
		for i, r := range rows {
			for j, v := range r {
				if v == "Totaal" {
					totalCols[sheet+"!"+colName(j+1)] = fmt.Sprint(i + 1)
				}
			}
		}
	}
	for _, c := range cells {
		if c.Text || c.Error != 0 {
			if c.Error != 0 {
				t.Errorf("%s!%s %s: LibreOffice error %d", c.Sheet, c.Cell, c.Formula, c.Error)
			}
			continue
		}
		col := strings.TrimRight(c.Cell, "0123456789")
		switch {
		case c.Sheet == sheetBudget || c.Sheet == sheetCash:
			if _, ok := totalCols[c.Sheet+"!"+col]; !ok {
				continue // a column of the run's distribution over the years
			}
		case c.Sheet == sheetOverview || c.Sheet == sheetFunnel || strings.HasPrefix(c.Sheet, "B ") || strings.HasPrefix(c.Sheet, "A ") ||
			strings.HasPrefix(c.Sheet, "C ") || strings.HasPrefix(c.Sheet, "D ") || strings.HasPrefix(c.Sheet, "E "):
		default:
			continue
		}
		if toolMarked(t, orig, c.Sheet, c.Cell) {
			marked++ // the tool's figure (a small cell of the extract): it says it follows no edit
			continue
		}
		raw, _ := f.GetCellValue(c.Sheet, c.Cell, excelize.Options{RawCellValue: true})
		engine, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			t.Errorf("%s!%s: the --set workbook has %q there, not a number", c.Sheet, c.Cell, raw)
			continue
		}
		if math.Abs(engine-c.Value) >= 0.005 {
			t.Errorf("%s!%s %s: LibreOffice after the edit %.2f, --set %.2f", c.Sheet, c.Cell, c.Formula, c.Value, engine)
		}
		checked++
		if c.Sheet == variantSheet(want.Variant("B").Header) && c.Cell == "B8" {
			bChecked = true
			if b := want.Case("B-opties").Total.Value.InexactFloat64(); math.Abs(c.Value-b) >= 0.005 {
				t.Errorf("B's total after the edit %.2f, --set %.2f", c.Value, b)
			}
		}
	}
	if !bChecked || checked < 100 {
		t.Errorf("checked %d live figures (B's total: %v), want B's total and every live figure", checked, bChecked)
	}
	t.Logf("%d live figures follow the edit to the cent; %d formula cells show the tool's figures, marked", checked, marked)
}

// toolMarked reports whether a cell has the look of a figure the tool
// computed for the run's assumptions (toolFill): it follows no edit.
func toolMarked(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return len(st.Fill.Color) > 0 && strings.EqualFold(st.Fill.Color[0], toolFill.Color[0])
}
