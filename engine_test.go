package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raming/input"
	"raming/raming"
	"raming/scenario"
)

// TestEngineSameAsCommandLine: a resident engine (raming.Engine, which a
// web page keeps) answers a what-if with the figures `raming run` writes to
// its JSON summary for the same --set values and seed, to the cent: every
// case's total, its Monte Carlo percentiles and its band per budget year.
func TestEngineSameAsCommandLine(t *testing.T) {
	pop := writeExtract(t, 2000, "standard")
	sc, err := scenario.Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	extract, err := input.ReadFile(pop, input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := raming.NewEngine(sc, extract)
	if err != nil {
		t.Fatal(err)
	}
	for _, sets := range [][]string{nil, {"A.cws_average_damage=42000", "funnel.affected_share=0.7"}, {"b.threshold=soft"}} {
		out := filepath.Join(t.TempDir(), "r.json")
		args := []string{"run", "--population", pop, "--iterations", "1500", "--seed", "5", "--json", out, "-q"}
		for _, kv := range sets {
			args = append(args, "--set", kv)
		}
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatal(stderr)
		}
		var summary struct {
			Variants []struct {
				Cases []struct {
					ID         string
					Total      string
					MonteCarlo struct {
						Percentiles []struct {
							P     float64
							Value string
						}
					} `json:"monte_carlo"`
					PerYear []struct {
						Year       int
						MonteCarlo *struct{ P5, P50, P95 string } `json:"monte_carlo"`
					} `json:"per_year"`
				}
			}
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &summary); err != nil {
			t.Fatal(err)
		}
		res, err := e.Run(context.Background(), raming.Request{Sets: sets, MC: raming.MC{Seed: 5, Iterations: 1500, Workers: 2, Percentiles: []float64{90}}})
		if err != nil {
			t.Fatal(err)
		}
		cents := func(x float64) string { return fmt.Sprintf("%.2f", x) }
		checked := 0
		for _, v := range summary.Variants {
			for _, c := range v.Cases {
				what := strings.Join(sets, " ") + " " + c.ID
				if got := res.Case(c.ID).Total.Value.StringFixed(2); got != c.Total {
					t.Errorf("%s: total %s, the command line %s", what, got, c.Total)
				}
				ms := res.MonteCarlo.Case(c.ID)
				for _, p := range c.MonteCarlo.Percentiles {
					if got := cents(ms.TotalStats.At(p.P)); got != p.Value {
						t.Errorf("%s: P%g %s, the command line %s", what, p.P, got, p.Value)
					}
					checked++
				}
				for _, y := range c.PerYear {
					for _, band := range ms.Years {
						if band.Year == y.Year && y.MonteCarlo != nil {
							if got := [3]string{cents(band.P5), cents(band.P50), cents(band.P95)}; got != [3]string{y.MonteCarlo.P5, y.MonteCarlo.P50, y.MonteCarlo.P95} {
								t.Errorf("%s %d: band %v, the command line %+v", what, y.Year, got, *y.MonteCarlo)
							}
							checked++
						}
					}
				}
			}
		}
		if checked < 50 {
			t.Errorf("%v: checked %d figures", sets, checked)
		}
	}
}
