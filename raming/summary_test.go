package raming

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"raming/input"
)

// TestSortedMatchesSorting: one radix sort per series gives exactly (to
// the bit) the figures of sorting the series for its percentiles, sorting
// each batch for the batch-means errors and sorting (value, iteration)
// pairs for the ranks, on series with ties, negative values, constants and
// lengths that are no multiple of the 20 batches.
func TestSortedMatchesSorting(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	ps := []float64{0, 1, 5, 10, 20, 50, 80, 90, 95, 99.5, 100}
	series := map[string][]float64{"constant": slices.Repeat([]float64{1234.5}, 1000), "zero": make([]float64, 77), "one": {3}}
	for _, n := range []int{2, 39, 40, 41, 999, 10007} {
		normal, ties, mixed, close := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			normal[i] = 5e7 + 1e7*r.NormFloat64()
			ties[i] = float64(r.IntN(7)) * 1000
			mixed[i] = []float64{-2.5, 0, 1e-9, 3e8, -1e12}[r.IntN(5)] * r.Float64()
			close[i] = []float64{1e6, -1e6}[r.IntN(2)] + 1e-4*float64(r.IntN(100)) // long runs with the same upper bits
		}
		// One far value puts nearly every other in one bucket; infinities
		// span every key.
		outlier, inf := slices.Clone(normal), slices.Clone(mixed)
		outlier[n/2] = 1e300
		inf[0], inf[n-1] = math.Inf(1), math.Inf(-1)
		for kind, x := range map[string][]float64{"normal": normal, "ties": ties, "mixed": mixed, "close": close, "outlier": outlier, "inf": inf} {
			series[fmt.Sprint(kind, n)] = x
		}
	}
	var s sorter
	for name, x := range series {
		got := s.sortValues(x)
		want := slices.Clone(x)
		slices.Sort(want)
		if !slices.Equal(got.vals, want) {
			t.Fatalf("%s: sorted values differ", name)
		}
		for _, p := range ps {
			if g, w := percentile(got.vals, p), percentile(want, p); !same(g, w) {
				t.Errorf("%s: P%g %v, want %v", name, p, g, w)
			}
		}
		if g, w := got.batchSEs(ps), referenceBatchSEs(x, ps); !slices.EqualFunc(g, w, same) {
			t.Errorf("%s: batch-means errors %v, want %v", name, g, w)
		}
		var g []float64
		for _, r2 := range got.ranks(nil).r2 {
			g = append(g, float64(r2)/2)
		}
		if w := referenceRanks(x); !slices.Equal(g, w) {
			t.Errorf("%s: ranks differ", name)
		}
		for _, at := range []float64{x[0], x[len(x)/2] + 1e-6, -1e20, 1e20} {
			if math.IsInf(at, 0) {
				continue // a point estimate is finite
			}
			if g, w := got.rank(at), referencePercentileRank(x, at); g != w {
				t.Errorf("%s: percentile rank of %v: %v, want %v", name, at, g, w)
			}
		}
	}
}

func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// referenceBatchSEs is the batch-means standard error by sorting each batch.
func referenceBatchSEs(draws []float64, ps []float64) []float64 {
	out := make([]float64, len(ps))
	n := len(draws) / batches
	if n < 2 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	est := make([][]float64, len(ps))
	for b := range batches {
		buf := slices.Clone(draws[b*n : (b+1)*n])
		slices.Sort(buf)
		for i, p := range ps {
			est[i] = append(est[i], percentile(buf, p))
		}
	}
	for i := range ps {
		_, sd := meanSD(est[i])
		out[i] = sd / math.Sqrt(batches)
	}
	return out
}

// referenceRanks ranks by sorting (value, iteration) pairs.
func referenceRanks(x []float64) []float64 {
	type pair struct {
		v float64
		i int
	}
	ps := make([]pair, len(x))
	for i, v := range x {
		ps[i] = pair{v, i}
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.v, b.v) })
	r := make([]float64, len(x))
	for i := 0; i < len(ps); {
		j := i
		for j+1 < len(ps) && ps[j+1].v == ps[i].v {
			j++
		}
		for k := i; k <= j; k++ {
			r[ps[k].i] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

// referencePercentileRank counts the draws below and equal to x.
func referencePercentileRank(draws []float64, x float64) float64 {
	below, equal := 0, 0
	tol := 1e-5 + 1e-12*math.Abs(x)
	for _, d := range draws {
		switch {
		case d < x-tol:
			below++
		case d <= x+tol:
			equal++
		}
	}
	return 100 * (float64(below) + float64(equal)/2) / float64(len(draws))
}

// TestIterationAllocatesNothing: a block of iterations, with an extract,
// its binomial draws and its bands per year, allocates nothing, drawn and
// recorded or replayed.
func TestIterationAllocatesNothing(t *testing.T) {
	pop := &input.Population{Source: "test", Records: syntheticRecords(2000, 1), RowsRead: 2000}
	s, rec, _ := simulateRecord(t, loadScenario(t, "deck-exact"), pop, MC{Seed: 1, Iterations: 100, Workers: 1})
	w := s.newWorker()
	for _, draw := range []bool{true, false} {
		if allocs := testing.AllocsPerRun(50, func() { s.block(w, 0, 100, rec, draw) }); allocs != 0 {
			t.Errorf("a block (drawn: %v) allocates %v times", draw, allocs)
		}
	}
}

// TestMemoryEstimate: the estimate grows with the iterations by what an
// iteration keeps, and MaxMemory refuses a run that needs more before it
// draws.
func TestMemoryEstimate(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	pop := &input.Population{Source: "test", Records: syntheticRecords(1000, 1), RowsRead: 1000}
	s, _, _ := simulateRecord(t, sc, pop, MC{Seed: 1, Iterations: 10, Workers: 2})
	perIteration := float64(s.memory(2_000_000)-s.memory(1_000_000)) / 1e6
	if perIteration > 600 {
		t.Errorf("%.0f bytes per iteration", perIteration)
	}
	_, err := Simulate(sc, pop, MC{Seed: 1, Iterations: 1_000_000, Workers: 2, MaxMemory: 100 << 20})
	var me *MemoryError
	if !errors.As(err, &me) || me.Need < 100<<20 {
		t.Errorf("1,000,000 iterations with 100 MB: got %v, want a MemoryError", err)
	}
}

// TestSummariesMatchSorting: every figure of a simulation, which the
// summaries compute from the record in passes without keeping a series,
// is the figure of sorting that series (reference_test.go), to the bit:
// the inputs', the cases' totals, costs, curves and points' ranks, the
// totals with a risk held, the bands per budget year over every
// iteration, and the comparisons; on an extract and without, for a
// count of iterations that is no multiple of the 20 batches.
func TestSummariesMatchSorting(t *testing.T) {
	pop := &input.Population{Source: "test", Records: syntheticRecords(3000, 2), RowsRead: 3000}
	for _, p := range []*input.Population{nil, pop} {
		for _, n := range []int{30, 12_345, 41_003} { // the last not kept (storeBytes): replayed
			mc := MC{Seed: 4, Iterations: n, Workers: 2, Percentiles: []float64{1, 99}}
			sc := loadScenario(t, "deck-exact")
			sim := simulateWith(t, sc, p, mc).MonteCarlo
			s, rec, _ := simulateRecord(t, sc, p, mc)
			ps := sim.Percentiles
			var sorter sorter
			ref := func(i int) sorted { return sorter.sortValues(seriesDraws(t, s, rec, i, n)) }
			check := func(what string, got, want any) { // %v prints every bit of a float, and NaN as NaN
				t.Helper()
				if g, w := fmt.Sprintf("%v", got), fmt.Sprintf("%v", want); g != w {
					t.Fatalf("extract %v, %d iterations, %s:\n%s\nwant\n%s", p != nil, n, what, g, w)
				}
			}
			for k, in := range sim.Inputs {
				check(in.ID, in.Stats, ref(s.seriesOf(seriesInput, k, 0)).stats(ps))
			}
			for j, c := range s.cases {
				cs := sim.Cases[j]
				o := s.own(j)
				total := ref(s.seriesOf(seriesTotal, o, 0))
				check(c.id+" total", cs.TotalStats, total.stats(ps))
				for k := range cs.Curve {
					check(fmt.Sprintf("%s P%d", c.id, k+1), cs.Curve[k], percentile(total.vals, float64(k+1)))
				}
				check(c.id+" point's rank", cs.PointPercentile, total.rank(c.point))
				check(c.id+" scheme", cs.SchemeStats, ref(s.seriesOf(seriesScheme, o, 0)).stats(ps))
				check(c.id+" CWS", cs.CWSStats, ref(s.seriesOf(seriesCWS, o, 0)).stats(ps))
				for k := range s.risks {
					check(c.id+" without", cs.Risks[k].P50Without, percentile(ref(s.seriesOf(seriesWithout, o, k)).vals, 50))
				}
				for y, b := range cs.Years {
					x := ref(s.seriesOf(seriesYear, o, y))
					mean, _ := meanSD(x.draws)
					want := YearBand{Year: b.Year, Mean: mean, Percentiles: x.percentiles(ps)}
					want.P5, want.P50, want.P95 = want.At(5), want.At(50), want.At(95)
					check(fmt.Sprintf("%s %d", c.id, b.Year), b, want)
				}
			}
			for q, pair := range s.pairs {
				x := ref(s.seriesOf(seriesDiff, q, 0))
				more := 0
				for _, v := range x.draws {
					if v > 0 {
						more++
					}
				}
				check(fmt.Sprint(pair), sim.Comparisons[q].Diff, x.stats(ps))
				check(fmt.Sprint(pair, " P(X > Y)"), sim.Comparisons[q].PXMore, float64(more)/float64(n))
			}
		}
	}
}

// TestCurve: a case's curve is its total's percentiles P1 to P99, rising,
// and agrees with the reported percentiles.
func TestCurve(t *testing.T) {
	sim := simulate(t, loadScenario(t, "deck-exact"), MC{Seed: 2, Iterations: 3000, Workers: 2}).MonteCarlo
	for _, c := range sim.Cases {
		if !slices.IsSorted(c.Curve[:]) {
			t.Errorf("%s: the curve falls somewhere", c.CaseID)
		}
		for _, p := range []int{5, 10, 50, 90, 95} {
			if c.Curve[p-1] != c.TotalStats.At(float64(p)) {
				t.Errorf("%s: curve at %d %v, P%d %v", c.CaseID, p, c.Curve[p-1], p, c.TotalStats.At(float64(p)))
			}
		}
	}
}

// TestWeightedPercentileSkipsZeroWeights: leaving values of weight 0 out
// as it goes gives exactly what removing them first gives.
func TestWeightedPercentileSkipsZeroWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for range 2000 {
		n := 1 + r.IntN(12)
		xs, ws := make([]float64, n), make([]float64, n)
		for i := range xs {
			xs[i] = float64(r.IntN(20)) * 100
			ws[i] = []float64{0, 0.375, 0.5, 0.75, 1}[r.IntN(5)]
		}
		slices.Sort(xs)
		var fx, fw []float64 // without the zero weights
		for i := range xs {
			if ws[i] > 0 {
				fx, fw = append(fx, xs[i]), append(fw, ws[i])
			}
		}
		for _, p := range []float64{0, 10, 50, 90, 100} {
			if got, want := weightedPercentile(xs, ws, p), weightedPercentile(fx, fw, p); !same(got, want) {
				t.Fatalf("%v %v P%g: %v, without the zero weights %v", xs, ws, p, got, want)
			}
		}
	}
}

// Draws that are not finite give no histogram rather than a panic.
func TestHistogramOfInfiniteDraws(t *testing.T) {
	for _, xs := range [][]float64{{1, math.Inf(1)}, {math.Inf(-1), 0}, {math.NaN(), 1}} {
		if h := histogram(xs, 30); len(h) > 1 {
			t.Errorf("%v: histogram %v", xs, h)
		}
	}
}

// TestRankSorterMatchesSorting: the ranks of the lean sort of the
// sensitivity are those of sorting (value, iteration) pairs, on series
// with ties, signed zeros, long runs of equal upper bits and infinities,
// and so are those of ranksFloat32 on the same draws in single precision.
func TestRankSorterMatchesSorting(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	var rs rankSorter
	for _, n := range []int{1, 2, 3, 70, 1000, 50_000} {
		for name, f := range map[string]func() float64{
			"normal": func() float64 { return 5e7 + 1e7*r.NormFloat64() },
			"ties":   func() float64 { return float64(r.IntN(5)) },
			"zeros":  func() float64 { return []float64{0, math.Copysign(0, -1), 1}[r.IntN(3)] },
			"close":  func() float64 { return 1e6 + 1e-4*float64(r.IntN(1000)) }, // one run of equal upper bits
			"inf":    func() float64 { return []float64{math.Inf(1), math.Inf(-1), r.Float64()}[r.IntN(3)] },
		} {
			x := gen(n, f)
			got := rs.ranks(n, func(i int) uint64 { return sortKey(x[i]) }, nil)
			want := referenceRanks(x)
			for i := range x {
				if float64(got.r2[i])/2 != want[i] {
					t.Fatalf("%s, %d draws: rank of draw %d (%v) %v, want %v", name, n, i, x[i], float64(got.r2[i])/2, want[i])
				}
			}
			// The same draws in single precision, as an assumption's are
			// recorded (ranksFloat32).
			x32, x64 := make([]float32, n), make([]float64, n)
			for i, v := range x {
				x32[i] = float32(v)
				x64[i] = float64(x32[i])
			}
			got, want = rs.ranksFloat32(x32, nil), referenceRanks(x64)
			for i := range x {
				if float64(got.r2[i])/2 != want[i] {
					t.Fatalf("%s, %d draws in single precision: rank of draw %d (%v) %v, want %v", name, n, i, x32[i], float64(got.r2[i])/2, want[i])
				}
			}
		}
	}
}

// TestMemoryEstimateIsHonest: the memory a simulation estimates before it
// draws (Simulation.Memory, which --max-memory checks) covers the heap it
// holds at its peak (sampled every millisecond, the collector running
// often so that the heap in use is about what is live), and is not far
// above it, for a short run (values kept) and a long one (replayed), on an
// extract.
func TestMemoryEstimateIsHonest(t *testing.T) {
	if testing.Short() {
		t.Skip("hundreds of thousands of iterations")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	sc := loadScenario(t, "deck")
	pop := generated(t, 11000, 1)
	for _, n := range []int{10_000, 150_000} {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		var peak atomic.Uint64
		done := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(time.Millisecond):
				}
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}()
		res, err := Simulate(sc, pop, MC{Seed: 1, Iterations: n, Workers: 2})
		close(done)
		<-sampled
		if err != nil {
			t.Fatal(err)
		}
		held := int64(peak.Load()) - int64(base.HeapInuse)
		est := res.MonteCarlo.Memory
		t.Logf("%d iterations: estimate %d MB, held at most %d MB", n, est>>20, held>>20)
		if held > est*11/10 {
			t.Errorf("%d iterations: the simulation held %d MB, more than the %d MB it estimated", n, held>>20, est>>20)
		}
		if held < est/3 {
			t.Errorf("%d iterations: the simulation held %d MB, far less than the %d MB it estimated", n, held>>20, est>>20)
		}
	}
}

// ranks writes the ranks (1..n, ties averaged) of the draws, doubled (so
// that a tie's mean rank is a whole number), in iteration order, into
// dst's backing array.
func (s sorted) ranks(dst []uint32) rankSeries {
	n := len(s.keys)
	dst = resize(dst, n)
	for i := 0; i < n; {
		j := i
		for j+1 < n && fromSortKey(s.keys[j+1]) == fromSortKey(s.keys[i]) {
			j++
		}
		twice := uint32(i + j + 2)
		for k := i; k <= j; k++ {
			dst[s.iter[k]] = twice
		}
		i = j + 1
	}
	return newRankSeries(dst)
}

// ranks writes the ranks (1..n, ties averaged) of the draws whose sort keys
// key(i) gives, doubled (so that a tie's mean rank is a whole number), in
// iteration order, into dst's backing array. Ties are draws of equal value
// (−0 and +0 among them), as sorted.ranks counts them.
func (r *rankSorter) ranks(n int, key func(i int) uint64, dst []uint32) rankSeries {
	r.reset(n)
	for i := range n {
		r.put(i, key(i))
	}
	return r.rank(dst)
}
