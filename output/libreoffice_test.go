package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	Error                int
}

// recalcInLibreOffice opens the workbook in LibreOffice headless,
// recalculates everything and returns the formula cells. It skips the test
// when LibreOffice is not installed, unless RAMING_REQUIRE_LIBREOFFICE=1
// (as in CI, which installs it).
func recalcInLibreOffice(t *testing.T, path string) []loCell {
	t.Helper()
	_, errOffice := exec.LookPath("soffice")
	errUno := exec.Command("/usr/bin/python3", "-c", "import uno").Run()
	if errOffice != nil || errUno != nil {
		if os.Getenv("RAMING_REQUIRE_LIBREOFFICE") == "1" {
			t.Fatalf("LibreOffice is required but missing (soffice: %v, python3-uno: %v); install libreoffice-calc-nogui python3-uno", errOffice, errUno)
		}
		t.Skip("LibreOffice (libreoffice-calc-nogui, python3-uno) not installed")
	}
	out, err := exec.Command("/usr/bin/python3", "../tools/lo_recalc.py", path).Output()
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
	results := map[string]*raming.Result{"deck": estimate(t, "deck"), "deck-exact-montecarlo": simulated(t), "extract": onExtract(t)}
	for name, res := range results {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name+".xlsx")
			var buf bytes.Buffer
			if err := WriteWorkbook(&buf, res, fixedProvenance); err != nil {
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
				if err != nil {
					t.Errorf("%s!%s: cached value %q is not a number", c.Sheet, c.Cell, raw)
					continue
				}
				if c.Error != 0 || math.Abs(cached-c.Value) >= 0.005 {
					t.Errorf("%s!%s %s: LibreOffice %v (error %d), engine %v", c.Sheet, c.Cell, c.Formula, c.Value, c.Error, cached)
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
