package output

import (
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"raming/raming"
)

// TestReconciliationDoc checks the tool columns of docs/reconciliation.md
// against the engine, so the document cannot drift from the code.
func TestReconciliationDoc(t *testing.T) {
	b, err := os.ReadFile("../docs/reconciliation.md")
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]*raming.Result{"deck": estimate(t, "deck"), "deck-exact": estimate(t, "deck-exact")}
	rows := 0
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 7 || strings.HasPrefix(strings.TrimSpace(cells[1]), "figure") || strings.HasPrefix(cells[1], "---") || strings.TrimSpace(cells[1]) == "---" {
			continue
		}
		figure := strings.TrimSpace(cells[1])
		for i, sc := range []string{"deck", "deck-exact"} {
			want := strings.TrimSpace(cells[3+i])
			got, ok := reconFigure(results[sc], figure)
			if !ok {
				t.Errorf("%q: no such figure in the engine", figure)
				continue
			}
			if !got.Equal(decimal.RequireFromString(want)) {
				t.Errorf("%s, scenario %s: the document says %s, the engine gives %s", figure, sc, want, got)
			}
		}
		rows++
	}
	if rows < 30 {
		t.Errorf("found %d figure rows, want every figure of the two slides", rows)
	}
}

var million = decimal.NewFromInt(1_000_000)

// reconFigure returns a figure named like "A-15k scheme" (EUR mln),
// "A-15k population" (persons) or "A total low" (EUR mln).
func reconFigure(res *raming.Result, figure string) (decimal.Decimal, bool) {
	f := strings.Fields(figure)
	for _, v := range res.Variants {
		if len(f) == 3 && f[0] == v.ID && f[1] == "total" {
			if f[2] == "low" {
				return v.TotalLow.Div(million), true
			}
			return v.TotalHigh.Div(million), true
		}
		for _, c := range v.Cases {
			if c.ID != f[0] {
				continue
			}
			switch strings.Join(f[1:], " ") {
			case "population":
				return c.Population.Value, true
			case "cws files":
				return c.CWSPopulation.Value, true
			case "scheme":
				return c.Scheme.Value.Div(million), true
			case "cws":
				return c.CWS.Value.Div(million), true
			case "total":
				return c.Total.Value.Div(million), true
			}
		}
	}
	return decimal.Zero, false
}
