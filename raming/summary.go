package raming

import (
	"cmp"
	"context"
	"math"
	"runtime/debug"
	"slices"
	"sync/atomic"

	"raming/internal/goroutine"
)

// seriesKind is what a series of draws is.
type seriesKind uint8

const (
	seriesInput   seriesKind = iota // input a
	seriesScheme                    // case a's scheme cost
	seriesCWS                       // case a's CWS cost
	seriesTotal                     // case a's total
	seriesWithout                   // case a's total with risk b held
	seriesYear                      // case a's cash in budget year b
	seriesDiff                      // pair a's difference
	// seriesPair is a comparison's difference other − base (pairing) of
	// case a's total (b = 0) or of its cash in calendar year first+b−1.
	seriesPair
)

// series is one series of draws the summaries describe: a value per
// iteration, replayed from the record for every pass over it.
type series struct {
	kind seriesKind
	a, b int
}

// newSeries lists every series the summaries describe: each input, each
// case with draws of its own (scheme, CWS, total, the total with each risk
// held, the cash per budget year), and each pair of central cases.
func (s *simulator) newSeries() []series {
	var out []series
	for k := range s.in.inputs {
		out = append(out, series{seriesInput, k, 0})
	}
	for j, c := range s.cases {
		if c.same >= 0 {
			continue
		}
		out = append(out, series{seriesScheme, j, 0}, series{seriesCWS, j, 0}, series{seriesTotal, j, 0})
		for k := range s.risks {
			out = append(out, series{seriesWithout, j, k})
		}
		for y := range bandYears {
			out = append(out, series{seriesYear, j, y})
		}
	}
	for p := range s.pairs {
		out = append(out, series{seriesDiff, p, 0})
	}
	return out
}

// column returns series i's values in the worker's block of n lanes.
func (s *simulator) column(w *worker, i, n int) []float64 {
	sr := s.series[i]
	switch sr.kind {
	case seriesInput:
		return w.col(s.in.inputSlot[sr.a])[:n]
	case seriesScheme:
		return w.col(s.cases[sr.a].scheme)[:n]
	case seriesCWS:
		return w.col(s.cases[sr.a].cws)[:n]
	case seriesTotal:
		return w.total[sr.a][:n]
	case seriesWithout:
		return w.without[sr.b*len(s.cases)+sr.a][:n]
	case seriesYear:
		return w.years[sr.a][sr.b][:n]
	case seriesPair:
		return w.pdiff[sr.a*s.pair.stride()+sr.b][:n]
	}
	return w.diff[sr.a][:n]
}

// seriesOf returns the index of a series.
func (s *simulator) seriesOf(kind seriesKind, a, b int) int {
	return slices.Index(s.series, series{kind, a, b})
}

// extremes are each series' lowest and highest value, as sort keys.
type extremes struct {
	lo, hi []uint64
}

func (s *simulator) newExtremes() *extremes {
	e := &extremes{lo: make([]uint64, len(s.series)), hi: make([]uint64, len(s.series))}
	for i := range e.lo {
		e.lo[i] = math.MaxUint64
	}
	return e
}

func (e *extremes) add(i int, x []float64) {
	lo, hi := e.lo[i], e.hi[i]
	for _, v := range x {
		k := sortKey(v)
		lo, hi = min(lo, k), max(hi, k)
	}
	e.lo[i], e.hi[i] = lo, hi
}

func (e *extremes) merge(o *extremes) {
	for i := range e.lo {
		e.lo[i], e.hi[i] = min(e.lo[i], o.lo[i]), max(e.hi[i], o.hi[i])
	}
}

// replayChunk is the number of blocks the workers evaluate side by side
// before the series' values of those blocks are summarised.
const replayChunk = 8

// pass is one pass of the summaries over iterations [0, n): the workers
// evaluate a chunk of blocks side by side, replayed from the record (or
// drawn and recorded, from iteration drawFrom on, as the simulation's main
// run), then take the series wanted in groups and hand each series'
// values of the chunk's blocks, in iteration order, to visit(series,
// first iteration, values): each series sees its values in iteration
// order, series are visited side by side. With ext, the lowest and
// highest values of the series tracked (nil: all) are merged into it.
func (s *simulator) pass(ctx context.Context, rec *record, n, drawFrom int, ext *extremes, tracked func(i int) bool, wanted []int, visit func(i, lo int, x []float64)) error {
	workers := max(1, s.mc.Workers)
	for len(s.workers) < workers {
		s.workers = append(s.workers, s.newWorker())
	}
	var mine []*extremes
	if ext != nil {
		mine = make([]*extremes, workers)
		for w := range mine {
			mine[w] = s.newExtremes()
		}
	}
	groups := make([][]int, min(len(wanted), 4*workers)) // indexes into wanted
	for c := range wanted {
		groups[c%len(groups)] = append(groups[c%len(groups)], c)
	}
	var progress atomic.Int64
	progress.Store(int64(drawFrom))
	nd := s.needsOf(wanted)
	// A run that keeps its values stores those of the series it keeps in
	// its first pass (storeSlot); a pass whose series are all kept reads
	// them instead of replaying the iterations.
	stored := s.stored >= n && !slices.ContainsFunc(wanted, func(i int) bool { return s.storeSlot[i] < 0 })
	storing := s.store != nil && s.stored < n && drawFrom < n
	inStore := func(i int) bool { return (stored || storing) && s.storeSlot[i] >= 0 }
	if !stored && slices.ContainsFunc(wanted, func(i int) bool { return !inStore(i) }) &&
		(len(s.chunk) < replayChunk || len(s.chunk[0]) < len(wanted)*lanes) {
		s.chunk = make([][]float64, replayChunk)
		for b := range s.chunk {
			s.chunk[b] = make([]float64, len(s.series)*lanes)
		}
	}
	for start := 0; start < n; start += replayChunk * lanes {
		if err := cancelled(ctx); err != nil {
			return err
		}
		blocks := min(replayChunk, (n-start+lanes-1)/lanes)
		at := func(b, c int) []float64 {
			if i := wanted[c]; inStore(i) {
				k := s.storeSlot[i]
				return s.store[start/lanes+b][k*lanes : (k+1)*lanes]
			}
			return s.chunk[b][c*lanes : (c+1)*lanes]
		}
		if !stored {
			goroutine.Parallel(workers, blocks, func(w, b int) {
				lo := start + b*lanes
				k := min(lanes, n-lo)
				draw := lo >= drawFrom
				s.blockFor(s.workers[w], lo, k, rec, draw, nd)
				for c, i := range wanted {
					x := s.column(s.workers[w], i, k)
					copy(at(b, c), x)
					if ext != nil && (tracked == nil || tracked(i)) {
						mine[w].add(i, x)
					}
				}
				if draw && s.mc.Progress != nil {
					s.mc.Progress(int(progress.Add(int64(k))), n)
				}
			})
		}
		goroutine.Parallel(workers, len(groups), func(_, g int) {
			for _, c := range groups[g] {
				for b := range blocks {
					lo := start + b*lanes
					k := min(lanes, n-lo)
					visit(wanted[c], lo, at(b, c)[:k])
				}
			}
		})
	}
	if storing {
		s.stored = n
	}
	for _, m := range mine {
		ext.merge(m)
	}
	if drawFrom < n && s.mc.Progress != nil {
		s.mc.Progress(n, n)
	}
	return nil
}

// summaries makes the summary of every series of n draws, with what each
// reports: inputs, cases' costs and differences their Stats (totals also
// their curve and the point's rank), years their bands, the totals with a
// risk held their P50.
func (s *simulator) summaries(ext *extremes, n int, ps []float64) []*summary {
	out := make([]*summary, len(s.series))
	for i, sr := range s.series {
		w := want{batches: true, sd: true, histogram: true}
		switch sr.kind {
		case seriesTotal:
			w.curve = true
		case seriesWithout:
			w = want{}
		case seriesYear:
			w.sd, w.histogram = false, false
		case seriesPair:
			w.sd, w.histogram = sr.b == 0, sr.b == 0
		}
		qs := ps
		if sr.kind == seriesWithout {
			qs = []float64{50}
		}
		out[i] = newSummary(n, ext.lo[i], ext.hi[i], qs, w)
		// A total's rank is the point estimate's; a comparison's
		// difference (seriesPair) keeps the point 0: its rank is the share
		// of iterations in which the other costs less.
		if sr.kind == seriesTotal {
			out[i].point = s.cases[sr.a].point
		}
	}
	return out
}

// passes runs the summaries' passes over the series wanted: the first
// (sums, the selections' histograms, counts; from iteration drawFrom on it
// is the simulation's main run, which draws and records), the second
// (squared deviations, histograms, the values the selections gather),
// and more while a selection is not done. ext holds the series' extremes
// over the iterations before drawFrom; after the first pass, over all.
func (s *simulator) passes(ctx context.Context, rec *record, n, drawFrom int, ext *extremes, sums []*summary, wanted []int) error {
	for _, i := range wanted {
		if sel := sums[i].sel; sel != nil {
			sel.begin()
		}
	}
	// The first pass's histograms keep each bucket's lowest and highest
	// value: a series with a selection has its extremes from them
	// (selection.extremes), the others are tracked.
	tracked := func(i int) bool { return sums[i].sel == nil }
	err := s.pass(ctx, rec, n, drawFrom, ext, tracked, wanted, func(i, lo int, x []float64) {
		sm := sums[i]
		sm.first(lo, x)
		if sr := s.series[i]; sr.kind == seriesTotal || sr.kind == seriesPair && sr.b == 0 {
			blo, bhi := rankBounds(sm.point)
			for _, v := range x {
				if v < blo {
					sm.below++
				}
				if v <= bhi {
					sm.upTo++
				}
			}
		} else if sr.kind == seriesDiff {
			for _, v := range x {
				if v > 0 {
					sm.more++
				}
			}
		}
	})
	if err != nil {
		return err
	}
	for _, i := range wanted {
		if sel := sums[i].sel; sel != nil {
			ext.lo[i], ext.hi[i] = sel.extremes()
		}
		sums[i].afterFirst(ext.lo[i], ext.hi[i])
	}
	for pass := 0; ; pass++ {
		var more []int
		for _, i := range wanted {
			sm := sums[i]
			if sm.sel != nil && !sm.sel.done() || pass == 0 && (sm.want.sd || sm.bins != nil) {
				more = append(more, i)
			}
		}
		if len(more) == 0 {
			return nil
		}
		visit := func(i, lo int, x []float64) { sums[i].sel.addBlock(lo, x) }
		if pass == 0 {
			visit = func(i, lo int, x []float64) { sums[i].second(lo, x) }
		}
		if err := s.pass(ctx, rec, n, n, nil, nil, more, visit); err != nil {
			return err
		}
		for _, i := range more {
			if sel := sums[i].sel; sel != nil && !sel.done() {
				sel.end()
				if !sel.done() {
					sel.begin()
				}
			}
		}
	}
}

// stable reports whether every case's P95 over the first n iterations is
// known to AutoTolerance: the half-width of its 95% confidence interval
// (1.96 × batch-means SE) is at most 0.5% of it.
func (s *simulator) stable(ctx context.Context, rec *record, ext *extremes, n int) (bool, error) {
	sums := make([]*summary, len(s.series))
	var wanted []int
	for i, sr := range s.series {
		if sr.kind == seriesTotal {
			sums[i] = newSummary(n, ext.lo[i], ext.hi[i], []float64{95}, want{batches: true})
			wanted = append(wanted, i)
		}
	}
	if err := s.passes(ctx, rec, n, n, ext, sums, wanted); err != nil {
		return false, err
	}
	for _, i := range wanted {
		pv := sums[i].percentiles([]float64{95})[0]
		if pv.Value != 0 && 1.96*pv.SE > AutoTolerance*math.Abs(pv.Value) {
			return false, nil
		}
	}
	return true, nil
}

// summarise computes the statistics of n iterations from their record:
// every series' summary over the passes, then the ranks of each case's
// total and of each input with a distribution of its own, for the
// sensitivity.
// Iterations from drawFrom on are drawn and recorded in the first pass
// (the main run); ext holds the extremes of those before, from which the
// first pass's histograms are spread.
func (s *simulator) summarise(ctx context.Context, rec *record, ext *extremes, n, drawFrom int, converged bool) (*Simulation, error) {
	ps := slices.Clone(DefaultPercentiles)
	for _, p := range s.mc.Percentiles {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	sim := &Simulation{Seed: s.mc.Seed, Iterations: n, Percentiles: ps, Converged: converged,
		Auto: s.mc.Auto, ExtractDraws: s.draws() > 0}
	for i, in := range s.in.inputs {
		if slices.Contains(s.risks, s.in.inputSlot[i]) {
			sim.Risks = append(sim.Risks, in.ID)
		}
	}
	sums := s.summaries(ext, n, ps)
	wanted := make([]int, len(s.series))
	for i := range wanted {
		wanted[i] = i
	}
	if err := s.passes(ctx, rec, n, drawFrom, ext, sums, wanted); err != nil {
		return nil, err
	}
	if n >= bigRun {
		// The values the selections gathered are garbage now: collect them
		// and give their memory back before the sensitivity's buffers are
		// made, so that the peak is the larger of the two, not their sum.
		s.chunk = nil
		debug.FreeOSMemory()
	}
	workers := max(1, s.mc.Workers)
	nc := len(s.cases)
	sim.Cases = make([]CaseSim, nc)
	rs := make([]rankScratch, s.rankWorkers(n))
	totalRanks, err := s.totalRanks(ctx, rec, n, rs)
	if err != nil {
		return nil, err
	}
	goroutine.Parallel(workers, nc, func(w, j int) {
		c := s.cases[j]
		if c.same >= 0 {
			return
		}
		cs := &sim.Cases[j]
		total := sums[s.seriesOf(seriesTotal, j, 0)]
		cs.TotalStats = total.stats(ps)
		for k := range cs.Curve {
			cs.Curve[k] = total.percentile(float64(k + 1))
		}
		cs.PointPercentile = total.rank()
		cs.SchemeStats = sums[s.seriesOf(seriesScheme, j, 0)].stats(ps)
		cs.CWSStats = sums[s.seriesOf(seriesCWS, j, 0)].stats(ps)
		for k, id := range sim.Risks {
			p50 := sums[s.seriesOf(seriesWithout, j, k)].percentile(50)
			cs.Risks = append(cs.Risks, RiskContribution{InputID: id, P50Without: p50, Contribution: cs.TotalStats.At(50) - p50})
		}
		for y := range bandYears {
			sm := sums[s.seriesOf(seriesYear, j, y)]
			b := YearBand{Year: s.opening + y, Mean: sm.mean, Percentiles: sm.percentiles(ps)}
			b.P5, b.P50, b.P95 = b.At(5), b.At(50), b.At(95)
			cs.Years = append(cs.Years, b)
		}
		// Drop trailing years in which nothing is paid in any draw.
		for len(cs.Years) > 1 && cs.Years[len(cs.Years)-1].P95 == 0 && cs.Years[len(cs.Years)-1].Mean == 0 {
			cs.Years = cs.Years[:len(cs.Years)-1]
		}
	})
	for j, c := range s.cases {
		cs := &sim.Cases[j]
		if c.same >= 0 {
			*cs, totalRanks[j] = sim.Cases[c.same], totalRanks[c.same]
		}
		cs.VariantID, cs.CaseID, cs.Point = c.variant, c.id, c.point
	}
	sim.Comparisons = make([]Comparison, len(s.pairs))
	for p, pair := range s.pairs {
		sm := sums[s.seriesOf(seriesDiff, p, 0)]
		sim.Comparisons[p] = Comparison{X: s.cases[pair[0]].variant, Y: s.cases[pair[1]].variant, Diff: sm.stats(ps), PXMore: float64(sm.more) / float64(n)}
	}
	// The inputs, and the Spearman correlation of each with every case's
	// total. Inputs that move with another carry no information of their own.
	sim.Inputs = make([]Input, len(s.in.inputs))
	rho := make([][]float64, len(s.in.inputs))
	goroutine.Parallel(len(rs), len(s.in.inputs), func(w, k int) {
		in := s.in.inputs[k]
		in.Stats = sums[s.seriesOf(seriesInput, k, 0)].stats(ps)
		sim.Inputs[k] = in
		if in.MovesWith != "" {
			return
		}
		// An input of its own is an uncertain assumption: its draws are
		// in the record.
		sc := &rs[w]
		draws := rec.inputs[slices.IndexFunc(s.in.uncertain, func(u drawn) bool { return u.slot == s.in.inputSlot[k] })][:n]
		r := sc.ranksFloat32(draws, sc.out)
		sc.out = r.r2
		rho[k] = make([]float64, nc)
		for j := range rho[k] {
			rho[k][j] = spearman(r, totalRanks[j])
		}
	})
	for j := range sim.Cases {
		cs := &sim.Cases[j]
		for k, in := range sim.Inputs {
			if in.MovesWith == "" && rho[k][j] != 0 {
				cs.Sensitivity = append(cs.Sensitivity, Sensitivity{InputID: in.ID, Rho: rho[k][j]})
			}
		}
		slices.SortStableFunc(cs.Sensitivity, func(a, b Sensitivity) int {
			return cmp.Compare(math.Abs(b.Rho), math.Abs(a.Rho))
		})
	}
	for _, v := range s.variants {
		for j, c := range s.cases {
			if c.variant == v.ID && c.id == v.CentralCase {
				sim.Variants = append(sim.Variants, VariantSim{ID: c.variant, CentralCase: c.id, Stats: sim.Cases[j].TotalStats})
			}
		}
	}
	if s.pair != nil {
		s.pairedOutcomes(sums, ps)
	}
	return sim, nil
}

// bigRun is the number of iterations from which a run collects its
// garbage between the summaries' passes and the sensitivity (memory).
const bigRun = 100_000

// rankWorkers is how many series are ranked side by side for the
// sensitivity: every worker's, unless the buffers for it would be large
// (from 500,000 iterations, one at a time: the memory per iteration of the
// peak is the record's, the ranks of the totals' and one rankScratch).
func (s *simulator) rankWorkers(n int) int {
	return max(1, min(s.mc.Workers, (1<<19)/max(1, n)))
}

// rankScratch is one worker's buffers for ranking a series: a rankSorter
// and an input's ranks.
type rankScratch struct {
	rankSorter
	out []uint32
}

// rankScratchBytes is what a rankScratch holds per iteration.
const rankScratchBytes = rankSorterBytes + 4

// totalRanks returns the ranks of each case's total (the same for a case
// that copies another's draws). A total's draws are not kept: each case's
// are replayed from the record, through the instructions its costs need,
// then sorted.
func (s *simulator) totalRanks(ctx context.Context, rec *record, n int, rs []rankScratch) ([]rankSeries, error) {
	var own []int
	for j, c := range s.cases {
		if c.same < 0 {
			own = append(own, j)
		}
	}
	out := make([]rankSeries, len(s.cases))
	goroutine.Parallel(len(rs), len(own), func(w, i int) {
		if ctx.Err() != nil {
			return
		}
		j := own[i]
		c := s.cases[j]
		m := s.workers[w].machine
		code := s.codeFor(c.scheme, c.cws)
		sc := &rs[w]
		sc.reset(n)
		if s.stored >= n && s.storeSlot[s.seriesOf(seriesTotal, j, 0)] >= 0 { // the run's values are at hand
			t := s.storeSlot[s.seriesOf(seriesTotal, j, 0)]
			for i := range n {
				sc.put(i, sortKey(s.store[i/lanes][t*lanes+i%lanes]))
			}
			out[j] = sc.rank(make([]uint32, n))
			return
		}
		for lo := 0; lo < n; lo += lanes {
			k := min(lanes, n-lo)
			for u := range s.in.uncertain {
				rec.loadInputs(u, lo, m.col(s.in.uncertain[u].slot)[:k])
			}
			s.in.moveLanes(m, k)
			m.replay, m.at = rec, lo
			m.exec(code, k)
			scheme, cws := m.col(c.scheme), m.col(c.cws)
			for t := range k {
				sc.put(lo+t, sortKey(scheme[t]+cws[t]))
			}
		}
		m.replay = nil
		out[j] = sc.rank(make([]uint32, n))
	})
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	for j, c := range s.cases {
		if c.same >= 0 {
			out[j] = out[c.same]
		}
	}
	return out, nil
}
