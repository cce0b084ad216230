package raming

import (
	"bytes"
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

// generated is a synthetic extract of n rows read back, as a run reads one.
func generated(t testing.TB, n int, seed uint64) *input.Population {
	t.Helper()
	var buf bytes.Buffer
	if err := input.Generate(&buf, input.GenerateOptions{Rows: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	pop, err := input.Read(&buf, input.Options{Source: "generated"})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

// symmetric is deck-exact with every distribution of its own replaced by
// a normal around the value with an sd of 2% of it (moves_with kept), and
// growth of the reporting population without uncertainty: every input
// symmetric around its point value.
func symmetric(t testing.TB) *scenario.Scenario {
	sc := loadScenario(t, "deck-exact")
	for _, e := range sc.Entries() {
		if e.Uncertainty == nil || e.Uncertainty.MovesWith != "" {
			continue
		}
		if e.Value.IsZero() {
			e.Uncertainty = nil
			continue
		}
		sd := e.Value.Mul(decimal.RequireFromString("0.02"))
		e.Uncertainty = &scenario.Uncertainty{Distribution: scenario.Normal, SD: &sd, Why: "test: symmetric"}
	}
	return sc
}

// TestP50IsThePointEstimateWhenInputsAreSymmetric: with every input
// symmetric around its point value, each case's P50 equals its point
// estimate within three Monte Carlo standard errors, on the scenario's
// population and on an extract (whose unknowns are drawn binomially), and
// 0.05% for the effects of second order: variant C's higher threshold
// takes the ratio of two drawn shares, whose median is not quite the
// ratio of their values, which puts the P50 of C-10% on an extract about
// two standard errors below its point estimate (over seeds 1 to 12, from
// −4 to +3 standard errors, with gonum's binomial sampler as with this one).
func TestP50IsThePointEstimateWhenInputsAreSymmetric(t *testing.T) {
	for name, pop := range map[string]*input.Population{"scenario": nil, "extract": generated(t, 4000, 3)} {
		t.Run(name, func(t *testing.T) {
			res, err := Simulate(symmetric(t), pop, MC{Seed: 11, Iterations: 20000, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range res.MonteCarlo.Cases {
				p50, se := c.TotalStats.At(50), c.TotalStats.SEAt(50)
				if math.Abs(p50-c.Point) > 3*se+5e-4*math.Abs(c.Point)+0.01 {
					t.Errorf("%s: P50 %.0f, point estimate %.0f (%.1f standard errors of %.0f apart)", c.CaseID, p50, c.Point, (p50-c.Point)/se, se)
				}
				if c.PointPercentile < 45 || c.PointPercentile > 55 {
					t.Errorf("%s: the point estimate sits at percentile %.1f", c.CaseID, c.PointPercentile)
				}
			}
		})
	}
}

// TestSetMovesTheBand: --set funnel.affected_share=0.70 moves the P50 of
// every case proportional to that share as much as its point estimate
// (within 1%): the distribution follows the value.
func TestSetMovesTheBand(t *testing.T) {
	before := simulate(t, loadScenario(t, "deck-exact"), MC{Seed: 4, Iterations: 10000, Workers: 2})
	sc := loadScenario(t, "deck-exact")
	if err := sc.Set("funnel.affected_share", "0.70"); err != nil {
		t.Fatal(err)
	}
	after := simulate(t, sc, MC{Seed: 4, Iterations: 10000, Workers: 2})
	for _, id := range []string{"A-15k", "A-30k", "B-33%", "B-66%", "C-10%", "C-30%", "D", "E-als-D"} {
		b, a := before.MonteCarlo.Case(id), after.MonteCarlo.Case(id)
		point, p50 := a.Point/b.Point, a.TotalStats.At(50)/b.TotalStats.At(50)
		if math.Abs(p50/point-1) > 0.01 {
			t.Errorf("%s: point estimate ×%.4f, P50 ×%.4f", id, point, p50)
		}
	}
}

// TestReportGrowthScalesEveryVariant: --set funnel.report_growth=0.2 on an
// extract scales every variant's point estimate by 1.2, to the cent, also
// variant B computed per record (E-helft is not linear in the population:
// its mediation is a fixed number of cases).
func TestReportGrowthScalesEveryVariant(t *testing.T) {
	pop := generated(t, 3000, 5)
	before, err := Estimate(loadScenario(t, "deck-exact"), pop)
	if err != nil {
		t.Fatal(err)
	}
	sc := loadScenario(t, "deck-exact")
	if err := sc.Set("funnel.report_growth", "0.2"); err != nil {
		t.Fatal(err)
	}
	after, err := Estimate(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range before.Variants {
		for _, c := range v.Cases {
			if c.ID == "E-helft" {
				continue
			}
			want := c.Total.Value.Mul(decimal.RequireFromString("1.2")).Round(2)
			if got := after.Case(c.ID).Total.Value.Round(2); !got.Equal(want) {
				t.Errorf("%s: %s with 20%% growth, want 1.2 × %s = %s", c.ID, got, c.Total.Value.Round(2), want)
			}
		}
	}
}

// TestHigherHardshipThresholdNeverAdmitsMore: on generated extracts, variant
// C's high threshold (10%) admits no more people and costs no more than the
// lower one (30%), in the estimate and in every simulated iteration.
func TestHigherHardshipThresholdNeverAdmitsMore(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		pop := generated(t, 2000, seed)
		res, err := Estimate(loadScenario(t, "deck-exact"), pop)
		if err != nil {
			t.Fatal(err)
		}
		high, low := res.Case("C-10%"), res.Case("C-30%")
		if high.Population.Value.GreaterThan(low.Population.Value) || high.Total.Value.GreaterThan(low.Total.Value) {
			t.Errorf("seed %d: C-10%% admits %s and costs %s, C-30%% %s and %s", seed, high.Population.Value, high.Total.Value, low.Population.Value, low.Total.Value)
		}
		s, rec, _ := simulateRecord(t, loadScenario(t, "deck-exact"), pop, MC{Seed: seed, Iterations: 300, Workers: 2})
		var h, l []float64
		for j, c := range s.cases {
			switch c.id {
			case "C-10%":
				h = seriesDraws(t, s, rec, s.seriesOf(seriesScheme, j, 0), 300)
			case "C-30%":
				l = seriesDraws(t, s, rec, s.seriesOf(seriesScheme, j, 0), 300)
			}
		}
		for i := range h {
			// scheme = population × average amount: compare the populations.
			if h[i]/60000 > l[i]/45000+1e-6 {
				t.Fatalf("seed %d, iteration %d: C-10%% admits %.2f, C-30%% %.2f", seed, i, h[i]/60000, l[i]/45000)
			}
		}
	}
}
