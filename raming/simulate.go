package raming

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"raming/input"
	"raming/internal/goroutine"
	"raming/scenario"
)

// Simulate runs the deterministic estimate and then the Monte Carlo
// simulation on it. Each iteration draws the uncertain assumptions, then
// every figure as the estimate computes it, compiled to float64 (compiler),
// where each Binomial node (with an extract: the unknown values of the
// extract, counts of rows) is a draw, and evaluates every case on those
// same draws (common random numbers). The deck's rounding is not applied in
// the simulation: it describes the spread around the exact figures. It is
// an Engine's run without changes.
func Simulate(sc *scenario.Scenario, pop *input.Population, mc MC) (*Result, error) {
	if err := checkIterations(mc); err != nil {
		return nil, err
	}
	e, err := NewEngine(sc, pop)
	if err != nil {
		return nil, err
	}
	return e.Run(context.Background(), Request{MC: mc})
}

// checkIterations refuses a simulation of fewer than 1 or more than
// IterationLimit iterations.
func checkIterations(mc MC) error {
	if mc.Iterations < 1 || mc.Iterations > IterationLimit {
		return fmt.Errorf("a simulation takes 1 to %d iterations, not %d", IterationLimit, mc.Iterations)
	}
	return nil
}

// Simulate estimates the model and simulates it.
func (m *Model) Simulate(mc MC) (*Result, error) { return m.simulate(context.Background(), mc) }

// simulate estimates the model and simulates it, or stops with the cause
// of ctx's end.
func (m *Model) simulate(ctx context.Context, mc MC) (*Result, error) {
	if err := checkIterations(mc); err != nil {
		return nil, err
	}
	if mc.Workers < 1 {
		mc.Workers = 1
	}
	res, err := m.estimate(ctx)
	if err != nil {
		return nil, err
	}
	in, err := newInputSampler(m.Scenario)
	if err != nil {
		return nil, err
	}
	s := newSimulator(res, in, mc)
	n := mc.Iterations
	if mc.Auto {
		// An auto run stops at MaxIterations, or earlier where the memory
		// limit would be exceeded (it then reports not converged).
		s.maxIterations = max(n, MaxIterations)
		for mc.MaxMemory > 0 && s.maxIterations > n && s.memory(s.maxIterations) > mc.MaxMemory {
			s.maxIterations = max(n, s.maxIterations/2)
		}
		n = s.maxIterations
	}
	memory := s.memory(n)
	if mc.MaxMemory > 0 && memory > mc.MaxMemory {
		return nil, &MemoryError{Iterations: n, Need: memory, Limit: mc.MaxMemory}
	}
	if res.MonteCarlo, err = s.simulate(ctx); err != nil {
		return nil, err
	}
	res.MonteCarlo.Memory = memory
	return res, nil
}

// simulator is a result compiled for simulation, with the sampler of its
// scenario's assumptions.
type simulator struct {
	// maxIterations caps an Auto run: MaxIterations, or less under MC.MaxMemory.
	maxIterations int
	*compiler
	mc       MC
	cases    []caseProgram
	flows    []flowProgram
	variants []Variant
	// risks are the slots of the inputs with upside risk only; held the
	// instructions to run again with each held at its value
	// (compiler.heldCode), and heldSlots the slots they change.
	risks     []int
	held      [][]instr
	heldSlots [][]int
	// the phasing: whole years at their point values, the rest per draw
	intake, lag, opening    int
	uhtCap, cwsCap, cashLag int
	cwsStart, ramp          int // the ramp-up's first capacity (slot) and years (0: none)
	openShare               int // slot of phasing.opening_year_share (-1: the whole year)
	recordSize              int // the values of a phasing record
	// scratch are the summaries' buffers per worker.
	scratch []summaryScratch
}

type caseProgram struct {
	variant, id string
	scheme, cws int     // slots
	point       float64 // the deterministic total
	// same is an earlier case with the same expressions (-1: none), whose
	// draws this case copies; flow indexes simulator.flows.
	same, flow int
}

// flowProgram computes what the flow of files over the years depends on:
// the files at UHT and at the CWS. Cases with the same files share one.
type flowProgram struct {
	population, cwsFiles int // slots
	exprs                [2]*Expr
}

// newSimulator compiles a result for simulation, with the sampler of its
// scenario's assumptions (newInputSampler): every quantity in the order it
// was computed, then every case.
func newSimulator(res *Result, in *inputSampler, mc MC) *simulator {
	s := &simulator{compiler: newCompiler(in), mc: mc, variants: res.Variants}
	for _, q := range res.Quantities {
		s.addQuantity(q)
	}
	ph := &res.Scenario.Phasing
	s.intake, s.lag = int(ph.IntakeYears.Value.IntPart()), int(ph.CWSLagYears.Value.IntPart())
	s.uhtCap, s.cwsCap, s.cashLag = in.fieldSlot(&ph.UHTCapacity), in.fieldSlot(&ph.CWSCapacity), in.fieldSlot(&ph.CashLagShare)
	s.opening = int(ph.OpeningYear.Value.IntPart())
	if ph.CWSRampYears.Given() {
		s.cwsStart, s.ramp = in.fieldSlot(&ph.CWSCapacityStart), int(ph.CWSRampYears.Value.IntPart())
	}
	s.openShare = -1
	if ph.OpeningYearShare.Given() {
		s.openShare = in.fieldSlot(&ph.OpeningYearShare)
	}
	var exprs [][4]*Expr // of each case: scheme, CWS, population, CWS files
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			cp := caseProgram{variant: v.ID, id: c.ID, point: c.Total.Value.InexactFloat64(), same: -1, flow: -1}
			e := [4]*Expr{c.Scheme, c.CWS, c.Population, c.CWSPopulation}
			for i, other := range exprs {
				if slices.EqualFunc(e[:], other[:], sameExpr) {
					cp.same = i
					break
				}
			}
			for i, f := range s.flows {
				if sameExpr(f.exprs[0], e[2]) && sameExpr(f.exprs[1], e[3]) {
					cp.flow = i
					break
				}
			}
			if cp.flow < 0 {
				cp.flow = len(s.flows)
				s.flows = append(s.flows, flowProgram{population: s.compile(c.Population), cwsFiles: s.compile(c.CWSPopulation), exprs: [2]*Expr{e[2], e[3]}})
			}
			if cp.same < 0 {
				cp.scheme, cp.cws = s.compile(c.Scheme), s.compile(c.CWS)
			}
			s.cases, exprs = append(s.cases, cp), append(exprs, e)
		}
	}
	for i, in := range s.in.inputs {
		if in.MovesWith == "" && in.Point == scenario.PointBase {
			slot := s.in.inputSlot[i]
			code := s.heldCode(slot)
			slots := append([]int{slot}, s.in.moversOf(slot)...)
			for _, in := range code {
				if !slices.Contains(slots, int(in.dst)) {
					slots = append(slots, int(in.dst))
				}
			}
			s.risks, s.held, s.heldSlots = append(s.risks, slot), append(s.held, code), append(s.heldSlots, slots)
		}
	}
	s.recordSize = recFlows + 2*len(s.flows)
	return s
}

// draws holds what the summaries need of every iteration, indexed by
// iteration: the inputs, each case's scheme and CWS cost (the total is
// their sum), and each case's total with each risk held at its value; for
// the first MaxBandIterations iterations also what spreading a case over
// the budget years reads (the bands per year are computed from it in the
// summaries: caseYears). Nothing else of an iteration is kept. A case
// that copies another's draws (caseProgram.same) shares its series.
type draws struct {
	n, bandN    int
	inputs      [][]float64 // [input]
	scheme, cws [][]float64 // [case]
	without     [][]float64 // [risk × cases + case]
	// phasing holds a phasing record per band iteration: bandN ×
	// simulator.recordSize values.
	phasing []float64
}

// grow extends every series to n iterations (the phasing records to at
// most MaxBandIterations), keeping what is drawn.
func (s *simulator) grow(d *draws, n int) {
	nc := len(s.cases)
	// ext extends k series; with perCase, series i is case i mod nc's, and
	// a case that copies another's draws shares that case's series.
	ext := func(xs [][]float64, k int, perCase bool) [][]float64 {
		if xs == nil {
			xs = make([][]float64, k)
		}
		for i, x := range xs {
			switch {
			case perCase && s.cases[i%nc].same >= 0:
				xs[i] = xs[i-i%nc+s.cases[i%nc].same]
			case x == nil:
				xs[i] = make([]float64, n)
			default:
				xs[i] = append(x, make([]float64, n-len(x))...)
			}
		}
		return xs
	}
	d.n, d.bandN = n, min(n, MaxBandIterations)
	d.inputs = ext(d.inputs, len(s.in.inputs), false)
	d.scheme, d.cws = ext(d.scheme, nc, true), ext(d.cws, nc, true)
	d.without = ext(d.without, len(s.risks)*nc, true)
	if need := d.bandN * s.recordSize; len(d.phasing) < need {
		d.phasing = append(d.phasing, make([]float64, need-len(d.phasing))...)
	}
}

// memory estimates the bytes a simulation of n iterations holds at its
// peak: the draws it keeps, the ranks of every case's total (for the
// sensitivity) and each worker's buffers for the summaries (a sort with
// the iterations, a series and its ranks; a case's cash per budget year in
// as many workers as there are cases); an Auto run also holds the previous
// round's draws while they grow.
func (s *simulator) memory(n int) int64 {
	nc := int64(0) // the cases with draws of their own
	for _, c := range s.cases {
		if c.same < 0 {
			nc++
		}
	}
	bandN := int64(min(n, MaxBandIterations))
	perIteration := 8 * (int64(len(s.in.inputs)) + 2*nc + int64(len(s.risks))*nc)
	b := perIteration*int64(n) + 8*int64(s.recordSize)*bandN
	b += 8 * nc * int64(n)
	workers := int64(max(1, s.mc.Workers))
	b += workers*int64(n)*(sorterBytes+16) + min(workers, nc)*8*bandYears*bandN
	if s.mc.Auto {
		b += perIteration * int64(n) / 2
	}
	return b
}

// simulate runs the iterations (in rounds when Auto) and summarises them,
// or stops with the cause of ctx's end.
func (s *simulator) simulate(ctx context.Context) (*Simulation, error) {
	var d draws
	n, done := s.mc.Iterations, 0
	converged := true
	var progress atomic.Int64
	for {
		s.grow(&d, n)
		s.runRange(ctx, &d, done, n, &progress)
		if err := cancelled(ctx); err != nil {
			return nil, err
		}
		done = n
		if !s.mc.Auto {
			break
		}
		if converged = s.stable(&d); converged || n >= s.maxIterations {
			break
		}
		n = min(2*n, s.maxIterations)
	}
	return s.summarise(&d, converged), nil
}

// worker is one goroutine's state for drawing iterations: a machine
// whose lanes are a block's iterations, each reseeded for its iteration,
// and the buffers the evaluations with a risk held work in, so that an
// iteration allocates nothing.
type worker struct {
	*machine
	// stream is each lane's random stream after the inputs' draws, and
	// saved the columns an evaluation with a risk held changes.
	stream [lanes]rand.PCG
	saved  []float64
}

func (s *simulator) newWorker() *worker {
	w := &worker{machine: newMachine(s.compiler)}
	for _, slots := range s.heldSlots {
		w.saved = resize(w.saved, max(len(w.saved), len(slots)*lanes))
	}
	return w
}

// runRange evaluates iterations [from, to) on the workers, which take
// blocks of lanes iterations in turn, so that a worker slowed down by the
// machine does not hold the others up. Every iteration writes only its own
// index, and draws on its own stream: the outcome does not depend on which
// worker evaluates it. A cancelled ctx stops every worker at its next block.
func (s *simulator) runRange(ctx context.Context, d *draws, from, to int, progress *atomic.Int64) {
	workers := min(s.mc.Workers, (to-from+lanes-1)/lanes)
	var next atomic.Int64
	next.Store(int64(from))
	var wg sync.WaitGroup
	var p goroutine.Carrier
	defer p.Rethrow()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer p.Catch()
			w := s.newWorker()
			for {
				lo := int(next.Add(lanes)) - lanes
				if lo >= to || ctx.Err() != nil {
					return
				}
				hi := min(lo+lanes, to)
				s.iterate(lo, hi-lo, w, d)
				if s.mc.Progress != nil {
					s.mc.Progress(int(progress.Add(int64(hi-lo))), to)
				}
			}
		}()
	}
	wg.Wait()
	if s.mc.Progress != nil {
		s.mc.Progress(to, to)
	}
}

// evaluate draws iterations lo to lo+n−1 in the worker's lanes, each on
// its own random stream: the uncertain assumptions, and from them every
// quantity, draw and case (the compiled code).
func (s *simulator) evaluate(lo, n int, w *worker) {
	for t := range n {
		w.pcg[t].Seed(s.mc.Seed, uint64(lo+t))
	}
	s.in.drawLanes(w.machine, n)
	if len(s.risks) > 0 {
		copy(w.stream[:n], w.pcg[:n])
	}
	w.exec(s.code, n)
}

// evaluateHeld evaluates the lanes evaluate drew last again, with the
// input of risk k held at its value and everything else as drawn: the
// other inputs, and every Binomial draw that does not depend on the held
// input (worked out when compiling: compiler.heldCode). Those that do are
// drawn again, in order, from each lane's stream as it was after the
// inputs' draws. restoreHeld undoes it.
func (s *simulator) evaluateHeld(w *worker, k, n int) {
	for i, slot := range s.heldSlots[k] {
		copy(w.saved[i*lanes:(i+1)*lanes], w.col(slot))
	}
	hold := s.risks[k]
	fill(w.col(hold)[:n], s.in.point[hold])
	s.in.moveLanes(w.machine, n)
	copy(w.pcg[:n], w.stream[:n])
	w.exec(s.held[k], n)
}

// restoreHeld restores the lanes as evaluate left them.
func (s *simulator) restoreHeld(w *worker, k int) {
	for i, slot := range s.heldSlots[k] {
		copy(w.col(slot), w.saved[i*lanes:(i+1)*lanes])
	}
}

// iterate evaluates iterations lo to lo+n−1, and again with each input of
// upside risk only held at its value, and records the outcome.
func (s *simulator) iterate(lo, n int, w *worker, d *draws) {
	s.evaluate(lo, n, w)
	for j, slot := range s.in.inputSlot {
		copy(d.inputs[j][lo:lo+n], w.col(slot))
	}
	for j, c := range s.cases {
		if c.same < 0 {
			copy(d.scheme[j][lo:lo+n], w.col(c.scheme))
			copy(d.cws[j][lo:lo+n], w.col(c.cws))
		}
	}
	for t := range min(n, d.bandN-lo) {
		i := lo + t
		s.recordPhasing(w.machine, t, d.phasing[i*s.recordSize:(i+1)*s.recordSize])
	}
	nc := len(s.cases)
	for k := range s.risks {
		s.evaluateHeld(w, k, n)
		for j, c := range s.cases {
			if c.same < 0 {
				out, scheme, cws := d.without[k*nc+j][lo:lo+n], w.col(c.scheme), w.col(c.cws)
				for t := range out {
					out[t] = scheme[t] + cws[t]
				}
			}
		}
		s.restoreHeld(w, k)
	}
}

// stable reports whether every case's P95 is known to AutoTolerance: the
// half-width of its 95% confidence interval (1.96 × batch-means SE) is at
// most 0.5% of it.
func (s *simulator) stable(d *draws) bool {
	workers, scratch := s.summaryBuffers()
	unstable := make([]bool, len(s.cases))
	goroutine.Parallel(workers, len(s.cases), func(w, j int) {
		x := scratch[w].sortTotal(d, j)
		p95 := percentile(x.vals, 95)
		unstable[j] = p95 != 0 && 1.96*x.batchSEs([]float64{95})[0] > AutoTolerance*math.Abs(p95)
	})
	return !slices.Contains(unstable, true)
}
