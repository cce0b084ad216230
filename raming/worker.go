package raming

import (
	"context"
	"sync"
	"sync/atomic"

	"raming/internal/goroutine"
)

// worker is one goroutine's state for evaluating iterations: a machine
// whose lanes are a block's iterations, and the figures of a block that
// are not slots: so that an iteration allocates nothing.
type worker struct {
	*machine
	// saved are the columns an evaluation with a risk held changes.
	saved []float64
	// total is each case's total, without each case's total with each risk
	// held ([risk × cases + case]), diff each pair's difference, years each
	// case's cash per budget year, flows each flow's shares per year.
	total, without, diff [][lanes]float64
	years                [][bandYears][]float64
	flows                []flowLanes
	// partner replays the base of a comparison (pairing) beside the
	// block, and pdiff holds the differences of each case the two share
	// ([case × stride + 0]: the total; + 1 + y: calendar year y).
	partner *worker
	pdiff   [][lanes]float64
}

func (s *simulator) newWorker() *worker {
	nc := len(s.cases)
	w := &worker{machine: newMachine(s.compiler), total: make([][lanes]float64, nc), without: make([][lanes]float64, len(s.risks)*nc),
		diff: make([][lanes]float64, len(s.pairs)), years: make([][bandYears][]float64, nc), flows: make([]flowLanes, len(s.flows))}
	for _, slots := range s.heldSlots {
		w.saved = resize(w.saved, max(len(w.saved), len(slots)*lanes))
	}
	for j := range w.years {
		for y := range w.years[j] {
			w.years[j][y] = make([]float64, lanes)
		}
	}
	return w
}

// runRange evaluates iterations [from, to) on the workers, which take
// blocks of lanes iterations in turn, so that a worker slowed down by the
// machine does not hold the others up, and records them. Every iteration
// writes only its own index, and draws on its own stream: the outcome does
// not depend on which worker evaluates it. Each worker keeps the lowest
// and highest value of every series, merged into ext. Progress counts
// towards total. A cancelled ctx stops every worker at its next block.
func (s *simulator) runRange(ctx context.Context, rec *record, ext *extremes, from, to, total int, progress *atomic.Int64) {
	workers := min(s.mc.Workers, (to-from+lanes-1)/lanes)
	var next atomic.Int64
	next.Store(int64(from))
	var wg sync.WaitGroup
	var p goroutine.Carrier
	var mu sync.Mutex
	defer p.Rethrow()
	for len(s.workers) < workers {
		s.workers = append(s.workers, s.newWorker())
	}
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer p.Catch()
			w, mine := s.workers[k], s.newExtremes()
			for {
				lo := int(next.Add(lanes)) - lanes
				if lo >= to || ctx.Err() != nil {
					break
				}
				n := min(lanes, to-lo)
				s.block(w, lo, n, rec, true)
				for i := range s.series {
					mine.add(i, s.column(w, i, n))
				}
				if s.mc.Progress != nil {
					s.mc.Progress(int(progress.Add(int64(n))), total)
				}
			}
			mu.Lock()
			ext.merge(mine)
			mu.Unlock()
		}()
	}
	wg.Wait()
}

// block evaluates iterations lo to lo+n−1 in the worker's lanes: drawn and
// recorded (draw), or replayed from their record. Afterwards every
// series' values of the block are at hand (column).
func (s *simulator) block(w *worker, lo, n int, rec *record, draw bool) {
	s.blockFor(w, lo, n, rec, draw, nil)
}

// needs says which figures of a block beyond the slots a pass needs: each
// case's cash per budget year, the totals with a risk held, the pairs'
// differences (nil: all).
type needs struct {
	years, flows   []bool // by case, by flow
	without, diffs bool
	pairs          bool // the differences with the base of a comparison
}

// needsOf returns what the series wanted need.
func (s *simulator) needsOf(wanted []int) *needs {
	nd := &needs{years: make([]bool, len(s.cases)), flows: make([]bool, len(s.flows))}
	for _, i := range wanted {
		switch sr := s.series[i]; sr.kind {
		case seriesYear:
			nd.years[sr.a], nd.flows[s.cases[sr.a].flow] = true, true
		case seriesWithout:
			nd.without = true
		case seriesDiff:
			nd.diffs = true
		case seriesPair:
			nd.pairs = true
			if sr.b > 0 {
				j := s.own(s.pair.cases[sr.a][1])
				nd.years[j], nd.flows[s.cases[j].flow] = true, true
			}
		}
	}
	return nd
}

// blockFor is block computing only what nd says a pass needs (nd nil: all;
// a drawn block always evaluates the risks held, whose draws it records).
func (s *simulator) blockFor(w *worker, lo, n int, rec *record, draw bool, nd *needs) {
	if draw {
		s.evaluate(lo, n, w)
		for k, u := range s.in.uncertain {
			rec.storeInputs(k, lo, w.col(u.slot)[:n])
		}
		recordDraws(w.machine, s.code, rec, lo, n)
	} else {
		for k, u := range s.in.uncertain {
			rec.loadInputs(k, lo, w.col(u.slot)[:n])
		}
		s.in.moveLanes(w.machine, n)
		w.replay, w.at = rec, lo
		w.exec(s.code, n)
	}
	nc := len(s.cases)
	if nd == nil || nd.without || draw {
		for k := range s.risks {
			s.evaluateHeld(w, k, n)
			if draw {
				recordDraws(w.machine, s.held[k], rec, lo, n)
			}
			s.caseTotals(w, w.without[k*nc:(k+1)*nc], n)
			s.restoreHeld(w, k)
		}
	}
	w.replay = nil
	s.caseTotals(w, w.total, n)
	for f := range s.flows {
		if nd == nil || nd.flows[f] {
			s.lanesOf(w.machine, f, n, &w.flows[f])
		}
	}
	for j, c := range s.cases {
		if c.same < 0 && (nd == nil || nd.years[j]) {
			caseYears(&w.flows[c.flow], w.col(c.scheme), w.col(c.cws), n, &w.years[j])
		}
	}
	if s.pair != nil && (nd == nil || nd.pairs) {
		s.pairBlock(w, lo, n)
	}
	if nd != nil && !nd.diffs {
		return
	}
	for p, pair := range s.pairs {
		out, x, y := w.diff[p][:n], w.total[s.own(pair[0])], w.total[s.own(pair[1])]
		for t := range out {
			out[t] = x[t] - y[t]
		}
	}
}

// caseTotals writes each case's total of the block (scheme + CWS) into
// out, one column per case, for the cases with draws of their own.
func (s *simulator) caseTotals(w *worker, out [][lanes]float64, n int) {
	for j, c := range s.cases {
		if c.same < 0 {
			o, scheme, cws := out[j][:n], w.col(c.scheme), w.col(c.cws)
			for t := range o {
				o[t] = scheme[t] + cws[t]
			}
		}
	}
}

// recordDraws records the Binomial draws of code's instructions, run on
// m for iterations lo to lo+n−1.
func recordDraws(m *machine, code []instr, rec *record, lo, n int) {
	for _, in := range code {
		if in.op == opBinomial {
			rec.draws[in.draw].store(lo, m.col(int(in.dst))[:n])
		}
	}
}

// evaluate draws iterations lo to lo+n−1 in the worker's lanes, each
// input and Binomial node from its own random stream of the iteration
// (streamSeed): the uncertain assumptions, and from them every quantity,
// draw and case (the compiled code).
func (s *simulator) evaluate(lo, n int, w *worker) {
	w.seed, w.lo = s.mc.Seed, lo
	s.in.drawLanes(w.machine, n)
	w.exec(s.code, n)
}

// evaluateHeld evaluates the lanes evaluate drew last again, with the
// input of risk k held at its value and everything else as drawn: the
// other inputs, and every Binomial draw that does not depend on the held
// input (worked out when compiling: compiler.heldCode). Those that do are
// drawn again from their own streams of the iteration, on the same random
// numbers with the held input's n and p (or replayed). restoreHeld undoes
// it.
func (s *simulator) evaluateHeld(w *worker, k, n int) {
	for i, slot := range s.heldSlots[k] {
		copy(w.saved[i*lanes:(i+1)*lanes], w.col(slot))
	}
	hold := s.risks[k]
	fill(w.col(hold)[:n], s.in.point[hold])
	s.in.moveLanes(w.machine, n)
	w.exec(s.held[k], n)
}

// restoreHeld restores the lanes as evaluate left them.
func (s *simulator) restoreHeld(w *worker, k int) {
	for i, slot := range s.heldSlots[k] {
		copy(w.col(slot), w.saved[i*lanes:(i+1)*lanes])
	}
}
