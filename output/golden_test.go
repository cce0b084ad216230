package output

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ (make golden)")

// fixedProvenance makes outputs comparable from run to run.
var fixedProvenance = Provenance{ToolVersion: "test", RunTime: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}

func estimate(t testing.TB, name string) *raming.Result {
	t.Helper()
	sc, err := scenario.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := raming.Estimate(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `make golden` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, accept it with `make golden`.\n%s", path, firstDiff(string(got), string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  got  %s\n  want %s", i+1, gl, wl)
		}
	}
	return ""
}

// simulated is deck-exact with a small seeded Monte Carlo run.
func simulated(t testing.TB) *raming.Result {
	t.Helper()
	sc, err := scenario.Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	res, err := raming.Simulate(sc, nil, raming.MC{Seed: 1, Iterations: 1000, Workers: 2, Percentiles: []float64{10, 90}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// goldenResults are the results the golden files pin: each built-in
// scenario, and deck-exact with a seeded Monte Carlo run.
func goldenResults(t *testing.T) map[string]*raming.Result {
	results := map[string]*raming.Result{"deck-exact-montecarlo": simulated(t)}
	for _, name := range scenario.BuiltinNames() {
		results[name] = estimate(t, name)
	}
	return results
}

func TestJSONGolden(t *testing.T) {
	for name, res := range goldenResults(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJSON(&buf, res, fixedProvenance, Options{}); err != nil {
				t.Fatal(err)
			}
			golden(t, "summary-"+name+".json", buf.Bytes())
		})
	}
}

func TestWorkbookGolden(t *testing.T) {
	for name, res := range goldenResults(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteWorkbook(&buf, res, fixedProvenance, Options{}); err != nil {
				t.Fatal(err)
			}
			golden(t, "workbook-"+name+".txt", []byte(dumpWorkbook(t, buf.Bytes())))
		})
	}
}

// dumpWorkbook lists every non-empty cell as "sheet!A1 value | =formula | numfmt",
// sorted: a diffable picture of the workbook (the xlsx zip itself is not).
func dumpWorkbook(t testing.TB, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	for si, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
				fo, _ := f.GetCellFormula(sheet, cell)
				if v == "" && fo == "" {
					continue
				}
				line := fmt.Sprintf("%02d %s!%s %q", si, sheet, padCell(cell), v)
				if fo != "" {
					line += " =" + fo
				}
				if st, _ := f.GetCellStyle(sheet, cell); st != 0 {
					if s, err := f.GetStyle(st); err == nil && s.CustomNumFmt != nil {
						line += " [" + *s.CustomNumFmt + "]"
					}
				}
				lines = append(lines, line)
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// padCell makes B10 sort after B9.
func padCell(cell string) string {
	i := strings.IndexAny(cell, "0123456789")
	return fmt.Sprintf("%s%04s", cell[:i], cell[i:])
}

// TestWorkbookOpensOnTheOverview: the workbook opens on its first sheet, and
// only that sheet is selected (a reader grouping sheets by accident would
// edit them all at once).
func TestWorkbookOpensOnTheOverview(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, estimate(t, "deck"), fixedProvenance, Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want 0 (%s)", got, f.GetSheetName(0))
	}
	files, parts := zipParts(t, buf.Bytes())
	var selected []string
	for _, zf := range files {
		b := parts[zf.Name]
		if strings.HasPrefix(zf.Name, "xl/worksheets/sheet") && (bytes.Contains(b, []byte(`tabSelected="true"`)) || bytes.Contains(b, []byte(`tabSelected="1"`))) {
			selected = append(selected, zf.Name)
		}
	}
	if !slices.Equal(selected, []string{"xl/worksheets/sheet1.xml"}) {
		t.Errorf("selected sheets %v, want only the first (xl/worksheets/sheet1.xml)", selected)
	}
}
