package output

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"raming/input"
	"raming/raming"
	"raming/scenario"
)

// sweepOf sweeps the deck's options on a synthetic 2,000-row extract
// with sets holding some options (fewer combinations), with a band of
// iterations (0: none).
func sweepOf(t testing.TB, iterations int, sets ...string) ([]raming.SweepRow, *scenario.Scenario, raming.MC) {
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
	mc := raming.MC{Seed: 1, Iterations: iterations, Workers: 2}
	rows, err := raming.SweepWithBands(sc, pop, mc)
	if err != nil {
		t.Fatal(err)
	}
	return rows, sc, mc
}

func sweepWorkbook(t testing.TB, rows []raming.SweepRow, sc *scenario.Scenario, mc raming.MC) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSweepWorkbook(&buf, rows, sc, mc, fixedProvenance, 10, 2000); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSweepWorkbook reads the sweep's workbook as an analyst would: the
// ranking first, with the scenario's own combination and its rank, the
// cheapest first; options in Dutch; no empty column (the band's columns
// only with a band); the chart's series named by cells.
func TestSweepWorkbook(t *testing.T) {
	for _, iterations := range []int{0, 100} {
		rows, sc, mc := sweepOf(t, iterations, "b.peildatum=2020-12-31", "b.base=30000", "b.offset_30k=none")
		b := sweepWorkbook(t, rows, sc, mc)
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(f.GetSheetList(), ","); got != "Rangschikking,Combinaties,Toelichting" {
			t.Errorf("sheets %s", got)
		}
		ranking, _ := f.GetRows(sheetRanking)
		text := ""
		for _, r := range ranking {
			text += strings.Join(r, "|") + "\n"
		}
		for _, want := range []string{"Keuze van het scenario (vet in elke lijst): rang", "Goedkoopste combinaties", "Duurste combinaties",
			"Per toegangsdrempel", "Laagste kosten per persoon met toegang", "Hard", "Zacht", "Aandeel jaren"} {
			if !strings.Contains(text, want) {
				t.Errorf("the ranking lacks %q:\n%s", want, text)
			}
		}
		for _, code := range []string{"|none|", "|share|", "|proportional-split|", "|uht-step|", "|soft|"} {
			if strings.Contains(text, code) {
				t.Errorf("the ranking shows the code %s instead of its Dutch label", code)
			}
		}
		combos, _ := f.GetRows(sheetCombos)
		if len(combos) != len(rows)+1 {
			t.Fatalf("%d rows on %s, want %d and a header", len(combos), sheetCombos, len(rows))
		}
		for c, h := range combos[0] {
			filled := false
			for _, r := range combos[1:] {
				filled = filled || c < len(r) && r[c] != ""
			}
			if !filled {
				t.Errorf("column %q is empty", h)
			}
		}
		if has := slices.Contains(combos[0], "Totaal P95"); has != (iterations > 0) {
			t.Errorf("a column Totaal P95: %v, with %d iterations", has, iterations)
		}
		f.Close()
		for _, ref := range chartRefs(t, b) {
			if !strings.Contains(ref, "!$") {
				t.Errorf("a chart reference %q is not a cell reference", ref)
			}
		}
	}
}

// chartRefs are the references (<f>) of the workbook's charts.
func chartRefs(t *testing.T, xlsx []byte) []string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, "xl/charts/chart") {
			continue
		}
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		for _, m := range regexp.MustCompile(`<(?:c:)?f>([^<]*)</(?:c:)?f>`).FindAllStringSubmatch(string(b), -1) {
			refs = append(refs, m[1])
		}
	}
	if len(refs) == 0 {
		t.Fatal("no chart references")
	}
	return refs
}

// TestSweepWorkbookInLibreOffice opens the sweep's workbook in
// LibreOffice with a Dutch profile: every formula recalculates to its
// cached value, and the printed pages have no ### and no number with more
// than two decimals.
func TestSweepWorkbookInLibreOffice(t *testing.T) {
	rows, sc, mc := sweepOf(t, 100, "b.peildatum=2020-12-31", "b.base=30000", "b.offset_30k=none")
	b := sweepWorkbook(t, rows, sc, mc)
	path := filepath.Join(t.TempDir(), "s.xlsx")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "s.pdf")
	cells := recalcInLibreOffice(t, path, "--pdf", pdf)
	if len(cells) < 2*len(rows) {
		t.Fatalf("LibreOffice found %d formula cells", len(cells))
	}
	sameAsCached(t, b, cells)
	pages := pdfPages(t, pdf)
	if !strings.Contains(pages[0], "Stand: 2 januari 2026") {
		t.Errorf("the first page's footer lacks the run's date:\n%s", pages[0])
	}
	for i, page := range pages {
		if strings.Contains(page, "###") {
			t.Errorf("page %d shows ### (a column too narrow):\n%s", i+1, page)
		}
		if m := tooManyDecimals.FindString(page); m != "" {
			t.Errorf("page %d shows a number with more than two decimals (%s):\n%s", i+1, m, page)
		}
	}
}

// TestTextsFitTheirColumns: in the sweep's and the comparison's
// workbooks, every text that does not wrap fits its column (or the
// columns a note spans), so that no printed page cuts it; estimated as
// the run's sheets do (textLines).
func TestTextsFitTheirColumns(t *testing.T) {
	rows, sc, mc := sweepOf(t, 50, "b.peildatum=2020-12-31", "b.base=30000", "b.offset_30k=none")
	var cmp bytes.Buffer
	if err := WriteCompareWorkbook(&cmp, comparison(t, true, 100, "funnel.affected_share=0.7", "b.threshold=soft", "b.minimum_one_year=true"), fixedProvenance, Options{}); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"sweep": sweepWorkbook(t, rows, sc, mc), "compare": cmp.Bytes()} {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range f.GetSheetList() {
			merged, _ := f.GetMergeCells(sh)
			inMerge := map[string]bool{}
			for _, m := range merged {
				inMerge[m.GetStartAxis()] = true
			}
			all, _ := f.GetRows(sh)
			for r, row := range all {
				for c, v := range row {
					cell := cellName(c+1, r+1)
					if v == "" || inMerge[cell] {
						continue
					}
					if typ, _ := f.GetCellType(sh, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						continue // numbers show ### when too narrow: the PDF test
					}
					style, _ := f.GetCellStyle(sh, cell)
					st, _ := f.GetStyle(style)
					if st != nil && st.Alignment != nil && st.Alignment.WrapText {
						continue
					}
					width, _ := f.GetColWidth(sh, colName(c+1))
					if next := c + 1; next < len(row) && row[next] == "" || next >= len(row) {
						continue // an empty cell beside: the text runs into it
					}
					if float64(utf8.RuneCountInString(v)) > math.Max(1, width*1.15) {
						t.Errorf("%s %s!%s: %q does not fit a column of width %v", name, sh, cell, v, width)
					}
				}
			}
		}
		f.Close()
	}
}
