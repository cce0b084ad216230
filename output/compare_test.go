package output

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/input"
	"raming/raming"
	"raming/scenario"
)

// comparison compares the deck with itself changed by otherSets on a
// synthetic 2,000-row extract (nil pop: without one).
func comparison(t testing.TB, withExtract bool, iterations int, otherSets ...string) *raming.ScenarioComparison {
	t.Helper()
	var pop *input.Population
	if withExtract {
		var buf bytes.Buffer
		if err := input.Generate(&buf, input.GenerateOptions{Rows: 2000, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		var err error
		if pop, err = input.Read(&buf, input.Options{Source: "synthetic"}); err != nil {
			t.Fatal(err)
		}
	}
	sc, err := scenario.Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	e, err := raming.NewEngine(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Compare(context.Background(), raming.CompareRequest{OtherSets: otherSets, MC: raming.MC{Seed: 1, Iterations: iterations, Workers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCompareJSON reads the comparison's JSON as another tool would: every
// shared case with base and other as a run's case (total, monte_carlo),
// the difference, P(other cheaper), the attribution adding up to the
// point difference, and the differences per budget year.
func TestCompareJSON(t *testing.T) {
	for _, iterations := range []int{0, 300} {
		c := comparison(t, true, iterations, "funnel.affected_share=0.7", "b.threshold=soft", "A.cws_average_damage.low=20000")
		var buf bytes.Buffer
		if err := WriteCompareJSON(&buf, c, fixedProvenance, Options{}); err != nil {
			t.Fatal(err)
		}
		var j struct {
			Differences []struct{ Key, Kind string }
			Attribution struct{ Method string }
			MonteCarlo  *struct{ Iterations int } `json:"monte_carlo"`
			Cases       []struct {
				ID          string
				Base, Other struct {
					Total      string
					MonteCarlo *struct{ P50 string } `json:"monte_carlo"`
				}
				Difference struct {
					Point        string
					P5, P50, P95 *string
				}
				PCheaper    *string `json:"p_other_cheaper"`
				Attribution []struct{ Key, Contribution string }
				PerYear     []struct {
					Year  int
					Point string
					P50   *string
				} `json:"per_year"`
				Suppressed bool
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
			t.Fatal(err)
		}
		if len(j.Differences) != 3 || j.Attribution.Method != "shapley" || (j.MonteCarlo != nil) != (iterations > 0) || len(j.Cases) != len(c.Cases) {
			t.Fatalf("differences %v, method %s, cases %d", j.Differences, j.Attribution.Method, len(j.Cases))
		}
		shown := 0
		for _, jc := range j.Cases {
			if jc.Suppressed {
				// C's difference rests on 3 people (helped early, refused,
				// gedupeerd unknown) whose share affected_share moves.
				if jc.Base.Total != "suppressed" || jc.Other.Total != "suppressed" || jc.Difference.Point != "suppressed" || len(jc.Attribution)+len(jc.PerYear) > 0 {
					t.Errorf("%s: suppressed, yet shows %+v", jc.ID, jc)
				}
				continue
			}
			shown++
			base, other := decimal.RequireFromString(jc.Base.Total), decimal.RequireFromString(jc.Other.Total)
			point := decimal.RequireFromString(jc.Difference.Point)
			if !other.Sub(base).Sub(point).Abs().LessThanOrEqual(decimal.RequireFromString("0.01")) {
				t.Errorf("%s: other %s − base %s is not the difference %s", jc.ID, other, base, point)
			}
			sum := decimal.Zero
			for _, a := range jc.Attribution {
				sum = sum.Add(decimal.RequireFromString(a.Contribution))
			}
			if !sum.Equal(point) {
				t.Errorf("%s: the attribution adds up to %s, the difference is %s", jc.ID, sum, point)
			}
			simulated := jc.Base.MonteCarlo != nil && jc.Other.MonteCarlo != nil && jc.Difference.P5 != nil && jc.Difference.P95 != nil && jc.PCheaper != nil
			if simulated != (iterations > 0) {
				t.Errorf("%s: the Monte Carlo figures are there: %v, want %v", jc.ID, simulated, iterations > 0)
			}
			if len(jc.PerYear) == 0 {
				t.Errorf("%s: no difference per budget year", jc.ID)
			}
			years := decimal.Zero
			for _, y := range jc.PerYear {
				years = years.Add(decimal.RequireFromString(y.Point))
				if (y.P50 != nil) != (iterations > 0) {
					t.Errorf("%s %d: a band %v without a simulation or none with one", jc.ID, y.Year, y.P50)
				}
			}
			if !years.Sub(point).Abs().LessThanOrEqual(decimal.RequireFromString("0.01")) {
				t.Errorf("%s: the years' differences add up to %s, the difference is %s", jc.ID, years, point)
			}
		}
		if shown < len(j.Cases)/2 {
			t.Errorf("%d of %d cases shown", shown, len(j.Cases))
		}
	}
}

// TestCompareTable: stdout's table per central case and the largest
// shares.
func TestCompareTable(t *testing.T) {
	c := comparison(t, false, 300, "funnel.affected_share=0.7", "A-15k.lump_sum=16000")
	var buf bytes.Buffer
	if err := WriteCompareTable(&buf, c, []string{"c.xlsx"}, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"P5 - P95", "P(other cheaper)", "A-15k", "funnel.affected_share -", "A-15k.lump_sum +", "Shapley", "wrote c.xlsx"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "A-30k") {
		t.Errorf("the table shows a case that is not central:\n%s", out)
	}
}

// TestCompareWorkbookInLibreOffice opens the comparison's workbook in
// LibreOffice with a Dutch profile, recalculates every formula (the
// differences, the waterfalls' running totals, the sums of the shares)
// and compares it with the value cached in the file; then prints it and
// reads every page: no "###", no number with more than two decimals,
// and the sheets' titles.
func TestCompareWorkbookInLibreOffice(t *testing.T) {
	for name, c := range map[string]*raming.ScenarioComparison{
		"extract, Monte Carlo":  comparison(t, true, 300, "funnel.affected_share=0.7", "b.threshold=soft", "A.cws_average_damage.low=20000"),
		"deck, point estimates": comparison(t, false, 0, "A-15k.lump_sum=16000", "D.cws_average_damage=21000"),
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCompareWorkbook(&buf, c, fixedProvenance, Options{}); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "c.xlsx")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			pdf := filepath.Join(t.TempDir(), "c.pdf")
			cells := recalcInLibreOffice(t, path, "--pdf", pdf)
			if len(cells) < 20 {
				t.Fatalf("LibreOffice found %d formula cells", len(cells))
			}
			sameAsCached(t, buf.Bytes(), cells)
			pages := pdfPages(t, pdf)
			text := strings.Join(pages, "\n")
			for _, want := range []string{"Vergelijking van twee scenario's", "Toerekening van het verschil", "Verschil per begrotingsjaar", "Sleutels die verschillen", "Herkomst",
				"Stand: 2 januari 2026"} {
				if !strings.Contains(text, want) {
					t.Errorf("no printed page has %q", want)
				}
			}
			for i, page := range pages {
				if strings.Contains(page, "###") {
					t.Errorf("page %d shows ### (a column too narrow):\n%s", i+1, page)
				}
				if m := tooManyDecimals.FindString(page); m != "" {
					t.Errorf("page %d shows a number with more than two decimals (%s):\n%s", i+1, m, page)
				}
			}
		})
	}
}

// sameAsCached fails for every formula cell whose value LibreOffice
// recalculated differs from the one cached in the workbook by a cent or
// more, or that LibreOffice could not compute.
func sameAsCached(t *testing.T, xlsx []byte, cells []loCell) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
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
		case c.Text && raw != c.String:
			t.Errorf("%s!%s %s: LibreOffice %q, cached %q", c.Sheet, c.Cell, c.Formula, c.String, raw)
		case !c.Text && err != nil:
			t.Errorf("%s!%s: cached value %q is not a number", c.Sheet, c.Cell, raw)
		case !c.Text && math.Abs(cached-c.Value) >= 0.005:
			t.Errorf("%s!%s %s: LibreOffice %v, cached %v", c.Sheet, c.Cell, c.Formula, c.Value, cached)
		}
	}
}
