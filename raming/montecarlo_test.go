package raming

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

var update = flag.Bool("update", false, "rewrite golden files (make golden)")

func loadScenario(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func simulate(t testing.TB, sc *scenario.Scenario, mc MC) *Result {
	t.Helper()
	res, err := Simulate(sc, nil, mc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestNoUncertaintyEqualsDeterministic: with every distribution removed,
// each draw, and so every percentile, equals the exact figure to the cent.
func TestNoUncertaintyEqualsDeterministic(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	for _, e := range sc.Entries() {
		e.Uncertainty = nil
	}
	res := simulate(t, sc, MC{Seed: 1, Iterations: 200, Workers: 2})
	i := 0
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			cs := res.MonteCarlo.Cases[i]
			i++
			want := c.Total.Value.Round(2)
			for _, got := range []float64{cs.TotalStats.Mean, cs.TotalStats.At(5), cs.TotalStats.At(50), cs.TotalStats.At(95)} {
				if !decimal.NewFromFloat(got).Round(2).Equal(want) {
					t.Errorf("%s: Monte Carlo %.4f, deterministic %s", c.ID, got, want)
				}
			}
			// Per budget year, the float spread matches the exact one up to
			// the cent the exact allocation moves between years.
			for k, y := range c.Profile.Years {
				band := cs.Years[k]
				if band.Year != y.Year || math.Abs(band.P50-y.Cash.Total.InexactFloat64()) > 0.011 || band.P5 != band.P95 {
					t.Errorf("%s %d: Monte Carlo cash P5 %.2f P50 %.2f P95 %.2f, deterministic %s", c.ID, y.Year, band.P5, band.P50, band.P95, y.Cash.Total)
				}
			}
		}
	}
}

// TestUniformInputAnalyticQuantiles: one uniform input in a linear model
// (variant D: damage × average damage) gives the analytic percentiles,
// within three standard errors.
func TestUniformInputAnalyticQuantiles(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	for _, e := range sc.Entries() {
		e.Uncertainty = nil
	}
	lo, hi := decimal.NewFromInt(10000), decimal.NewFromInt(30000)
	sc.D.CWSAverageDamage.Uncertainty = &scenario.Uncertainty{Distribution: scenario.Uniform, Min: &lo, Max: &hi, Why: "test"}
	res := simulate(t, sc, MC{Seed: 7, Iterations: 20000, Workers: 2})
	d := caseSim(t, res, "D")
	for _, pv := range d.TotalStats.Percentiles {
		want := 3918.75 * (10000 + 20000*pv.P/100)
		if math.Abs(pv.Value-want) > 3*pv.SE {
			t.Errorf("P%g: got %.0f, want %.0f ± 3 × %.0f", pv.P, pv.Value, want, pv.SE)
		}
	}
	if want := 3918.75 * 20000; math.Abs(d.TotalStats.Mean-want) > 3*d.TotalStats.SE {
		t.Errorf("mean: got %.0f, want %.0f ± 3 × %.0f", d.TotalStats.Mean, want, d.TotalStats.SE)
	}
}

func caseSim(t testing.TB, res *Result, id string) CaseSim {
	t.Helper()
	for _, c := range res.MonteCarlo.Cases {
		if c.CaseID == id {
			return c
		}
	}
	t.Fatalf("no simulated case %s", id)
	return CaseSim{}
}

// simulateRecord draws a simulation's iterations and returns their record
// with the simulator and the series' extremes, for tests of the draws
// themselves (a Simulation keeps only their statistics).
func simulateRecord(t testing.TB, sc *scenario.Scenario, pop *input.Population, mc MC) (*simulator, *record, *extremes) {
	t.Helper()
	res, err := Estimate(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	in, err := newInputSampler(sc)
	if err != nil {
		t.Fatal(err)
	}
	s := newSimulator(res, in, mc)
	rec, ext := s.newRecord(mc.Iterations), s.newExtremes()
	s.runRange(context.Background(), rec, ext, 0, mc.Iterations, mc.Iterations, new(atomic.Int64))
	return s, rec, ext
}

// seriesDraws replays series i of the first n iterations from the record.
func seriesDraws(t testing.TB, s *simulator, rec *record, i, n int) []float64 {
	t.Helper()
	x := make([]float64, n)
	if err := s.pass(context.Background(), rec, n, n, nil, nil, []int{i}, func(_, lo int, v []float64) { copy(x[lo:], v) }); err != nil {
		t.Fatal(err)
	}
	return x
}

// inputDraws are the draws of input k.
func inputDraws(t testing.TB, s *simulator, rec *record, k, n int) []float64 {
	return seriesDraws(t, s, rec, s.seriesOf(seriesInput, k, 0), n)
}

// TestSameSeedAnyWorkers: the same seed gives identical draws and
// statistics for 1, 2 and 8 workers, with and without an extract; another
// seed gives other draws.
func TestSameSeedAnyWorkers(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	pop := &input.Population{Source: "test", Records: syntheticRecords(2000, 3), RowsRead: 2000}
	for _, p := range []*input.Population{nil, pop} {
		mc := MC{Seed: 42, Iterations: 3000, Workers: 1}
		_, base, baseExt := simulateRecord(t, sc, p, mc)
		baseSim := simulateWith(t, sc, p, mc).MonteCarlo
		for _, w := range []int{2, 8} {
			mc.Workers = w
			_, got, ext := simulateRecord(t, sc, p, mc)
			if !reflect.DeepEqual(got, base) || !reflect.DeepEqual(ext, baseExt) {
				t.Fatalf("%d workers: the draws differ from 1 worker's", w)
			}
			sim := simulateWith(t, sc, p, mc).MonteCarlo
			sim.Memory = baseSim.Memory // the buffers grow with the workers
			if !reflect.DeepEqual(sim, baseSim) {
				t.Errorf("%d workers: the statistics differ from 1 worker's", w)
			}
		}
	}
	base := simulate(t, sc, MC{Seed: 42, Iterations: 3000, Workers: 2}).MonteCarlo
	other := simulate(t, sc, MC{Seed: 43, Iterations: 3000, Workers: 2}).MonteCarlo
	if other.Cases[0].TotalStats.Mean == base.Cases[0].TotalStats.Mean {
		t.Error("seeds 42 and 43 give the same mean")
	}
}

func simulateWith(t testing.TB, sc *scenario.Scenario, pop *input.Population, mc MC) *Result {
	t.Helper()
	res, err := Simulate(sc, pop, mc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestDrawsRespectIntervals: every input given by a 90% interval falls
// inside it about 90% of the time, and never outside its natural bounds.
func TestDrawsRespectIntervals(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	s, rec, _ := simulateRecord(t, sc, nil, MC{Seed: 3, Iterations: 20000, Workers: 2})
	entries := map[string]scenario.Entry{}
	for _, e := range sc.Entries() {
		entries[e.ID] = e
	}
	checked := 0
	for k, in := range s.in.inputs {
		e := entries[in.ID]
		draws := inputDraws(t, s, rec, k, 20000)
		for _, x := range draws {
			if x < 0 || (e.Unit == scenario.Share && x > 1) {
				t.Fatalf("%s: draw %v outside its unit's bounds", in.ID, x)
			}
		}
		u := e.Uncertainty
		if u.Low == nil {
			continue
		}
		// The stated interval, moved as the sampler moves the distribution
		// to the value (here the file's own value: only a shift or scale
		// of the shape's median onto it).
		sh, err := newShape(e)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := u.Low.InexactFloat64(), u.High.InexactFloat64()
		if v := e.Value.InexactFloat64(); multiplicative(e.Unit) {
			lo, hi = lo*v/sh.median, hi*v/sh.median
		} else {
			lo, hi = lo+v-sh.median, hi+v-sh.median
		}
		inside := 0
		for _, x := range draws {
			if x >= lo && x <= hi {
				inside++
			}
		}
		share := float64(inside) / float64(len(draws))
		if math.Abs(share-0.90) > 0.01 {
			t.Errorf("%s (%s): %.3f of the draws inside the 90%% interval %g-%g", in.ID, in.Distribution, share, lo, hi)
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("checked %d inputs with an interval, want the built-in scenario's", checked)
	}
}

// TestMovesWith: B's CWS damage moves with A's draw in proportion.
func TestMovesWith(t *testing.T) {
	s, rec, _ := simulateRecord(t, loadScenario(t, "deck-exact"), nil, MC{Seed: 5, Iterations: 500, Workers: 1})
	var a, b []float64
	for k, in := range s.in.inputs {
		switch in.ID {
		case "A.cws_average_damage":
			a = inputDraws(t, s, rec, k, 500)
		case "B.cws_average_damage":
			b = inputDraws(t, s, rec, k, 500)
		}
	}
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d draws of A.cws_average_damage, %d of B's: the inputs are not both drawn", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("iteration %d: A %v, B %v; B moves with A and has the same value", i, a[i], b[i])
		}
	}
}

// TestMonteCarloGolden pins the seeded simulation like math/rand/v2's
// regression test: P5/P50/P95 of every case for seed 1, 4,000 iterations.
func TestMonteCarloGolden(t *testing.T) {
	res := simulate(t, loadScenario(t, "deck-exact"), MC{Seed: 1, Iterations: 4000, Workers: 2})
	var b strings.Builder
	for _, c := range res.MonteCarlo.Cases {
		s := c.TotalStats
		fmt.Fprintf(&b, "%-8s mean %.2f P5 %.2f P50 %.2f P95 %.2f\n", c.CaseID, s.Mean, s.At(5), s.At(50), s.At(95))
	}
	const path = "testdata/montecarlo-seed1.txt"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `make golden`)", err)
	}
	if string(want) != b.String() {
		t.Errorf("seeded Monte Carlo changed; if intended, run `make golden`.\ngot:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestPercentileIsExcelInc(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct{ p, want float64 }{{95, 9.55}, {50, 5.5}, {5, 1.45}, {0, 1}, {100, 10}}
	for _, tt := range tests {
		if got := percentile(x, tt.p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("P%g of 1..10: got %v, want %v (Excel PERCENTILE.INC)", tt.p, got, tt.want)
		}
	}
}

// TestWeightedPercentileIsExcelIncForEqualWeights: B's amounts use the
// same percentile definition as every other figure: with equal weights it
// is PERCENTILE.INC, and a value of weight 2 counts as two values.
func TestWeightedPercentileIsExcelIncForEqualWeights(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	one := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	for _, p := range []float64{0, 5, 10, 50, 90, 95, 100} {
		if got, want := weightedPercentile(x, one, p), percentile(x, p); math.Abs(got-want) > 1e-12 {
			t.Errorf("P%g: weighted %v, PERCENTILE.INC %v", p, got, want)
		}
	}
	if got := weightedPercentile([]float64{1, 2, 3}, []float64{1, 0, 1}, 50); got != 2 {
		t.Errorf("weight 0 left out: got %v, want 2 (the middle of 1 and 3)", got)
	}
}

func TestSpearman(t *testing.T) {
	var s sorter
	ranks := func(x []float64) rankSeries { return s.sort(x).ranks(nil) }
	x := ranks([]float64{1, 2, 3, 4, 5})
	if got := spearman(x, ranks([]float64{10, 20, 30, 40, 1000})); math.Abs(got-1) > 1e-12 {
		t.Errorf("monotone: got %v, want 1", got)
	}
	if got := spearman(x, ranks([]float64{5, 4, 3, 2, 1})); math.Abs(got+1) > 1e-12 {
		t.Errorf("reversed: got %v, want -1", got)
	}
	if got := ranks([]float64{3, 1, 3, 2}).r2; !slices.Equal(got, []uint32{7, 2, 7, 4}) {
		t.Errorf("ties: doubled ranks %v, want [7 2 7 4] (3.5, 1, 3.5, 2)", got)
	}
}

// TestAutoStopsWhenStable: --iterations auto doubles until every case's
// P95 is known to 0.5%, and says so.
func TestAutoStopsWhenStable(t *testing.T) {
	res := simulate(t, loadScenario(t, "deck-exact"), MC{Seed: 2, Iterations: 2000, Auto: true, Workers: 2})
	sim := res.MonteCarlo
	if !sim.Converged || sim.Iterations < 2000 || sim.Iterations > MaxIterations {
		t.Fatalf("converged %v after %d iterations", sim.Converged, sim.Iterations)
	}
	for _, c := range sim.Cases {
		p95, se := c.TotalStats.At(95), c.TotalStats.SEAt(95)
		if 1.96*se > AutoTolerance*p95 {
			t.Errorf("%s: P95 %.0f ± %.0f is not stable to 0.5%%", c.CaseID, p95, 1.96*se)
		}
	}
}
