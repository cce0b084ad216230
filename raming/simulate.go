package raming

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"raming/input"
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
	res, _, err := m.simulation(ctx, mc)
	return res, err
}

// simulation is simulate, which also returns the simulator, with the
// record of its iterations.
func (m *Model) simulation(ctx context.Context, mc MC) (*Result, *simulator, error) {
	p, err := m.plan(ctx, mc, nil)
	if err != nil {
		return nil, nil, err
	}
	return p.run(ctx)
}

// planned is a simulation estimated, compiled and held against the memory
// limit, before its first draw.
type planned struct {
	res    *Result
	s      *simulator
	memory int64
}

// plan estimates the model and compiles its simulation, or refuses it
// when it would need more memory than mc.MaxMemory. With pair (not nil)
// the simulation is the other side of a comparison: pair returns the
// base's simulator (planned, not necessarily run) and the cases the two
// share for the estimate of this one (pairWith), and the memory limit
// holds for the two together, before either draws.
func (m *Model) plan(ctx context.Context, mc MC, pair func(res *Result) (*simulator, [][2]int)) (*planned, error) {
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
	s := m.engine.simulator(res, in, mc)
	var other int64 // the base's memory, in a comparison
	if pair != nil {
		base, cases := pair(res)
		s.pairWith(base, cases)
		other = base.memory(mc.Iterations)
	}
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
	if mc.MaxMemory > 0 && memory+other > mc.MaxMemory {
		return nil, &MemoryError{Iterations: n, Need: memory + other, Limit: mc.MaxMemory}
	}
	return &planned{res: res, s: s, memory: memory}, nil
}

// run draws the planned simulation and summarises it.
func (p *planned) run(ctx context.Context) (*Result, *simulator, error) {
	var err error
	if p.res.MonteCarlo, err = p.s.simulate(ctx); err != nil {
		return nil, nil, err
	}
	p.res.MonteCarlo.Memory = p.memory
	return p.res, p.s, nil
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
	// pairs are the central cases compared, as case indices.
	pairs [][2]int
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
	// series are every series of draws the summaries describe.
	series []series
	// workers and chunk are the buffers of the summaries' passes; store,
	// when a run is short enough (storeBytes), holds every series' values
	// of every block (stored iterations of them), so that the passes
	// after the first read them instead of replaying the iterations.
	workers   []*worker
	chunk     [][]float64
	store     [][]float64
	storeSlot []int // series i's place in a block of the store (−1: not kept)
	stored    int
	// rec is the record of the iterations, once simulate has drawn them.
	rec *record
	// pair, when set, makes this the other side of a comparison of two
	// scenarios (pairWith).
	pair *pairing
}

// storeBytes bounds the values a run keeps for its passes: a run of n
// iterations keeps those of the s series that vary in its pilot when
// 8·s·n is at most this, about 30,000 iterations of the built-in scenario
// on an extract.
const storeBytes = 24 << 20

type caseProgram struct {
	variant, id string
	scheme, cws int     // slots
	point       float64 // the deterministic total
	// same is an earlier case with the same expressions (-1: none), whose
	// draws this case copies; flow indexes simulator.flows.
	same, flow int
}

// own is the case whose draws case j has: itself, or the case it copies.
func (s *simulator) own(j int) int {
	if c := s.cases[j].same; c >= 0 {
		return c
	}
	return j
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
	// The central cases, compared pairwise in variant order.
	var central []int
	for _, v := range s.variants {
		for j, c := range s.cases {
			if c.variant == v.ID && c.id == v.CentralCase {
				central = append(central, j)
			}
		}
	}
	for i, x := range central {
		for _, y := range central[i+1:] {
			s.pairs = append(s.pairs, [2]int{x, y})
		}
	}
	s.series = s.newSeries()
	return s
}

// memory estimates the bytes a simulation of n iterations holds at its
// peak: the record of every iteration (recordBytes) and the larger of what
// the summaries' passes hold (the values the selections gather: about 32
// buckets of each series, the run's and its batches', and the values of a
// short run: storeBytes) and what its sensitivity holds (the ranks of
// every case's total and, per rank worker, the buffers ranking one
// series: a large run collects the passes' garbage first); besides,
// whatever the iterations, the workers' blocks, the histograms, a chunk
// of values and the summaries' own bookkeeping (modelBytes).
func (s *simulator) memory(n int) int64 {
	nc := int64(0) // the cases with draws of their own
	for _, c := range s.cases {
		if c.same < 0 {
			nc++
		}
	}
	workers := int64(max(1, s.mc.Workers))
	series := int64(len(s.series))
	k := int64(selectionBuckets(n))
	passes := series * 32 * 8 * (int64(n)/k + 1)
	passes += min(int64((n+lanes-1)/lanes)*lanes*series*8, storeBytes) // at most the store's bound
	ranks := 4*nc*int64(n) + int64(s.rankWorkers(n))*int64(n)*rankScratchBytes
	b := s.recordBytes()*int64(n) + max(passes, ranks)
	b += series*(k*(4+16)+batches*k*4) + workers*int64(s.slots())*lanes*8 + replayChunk*series*lanes*8
	return b + modelBytes
}

// modelBytes is what a simulation holds besides its iterations' data and
// buffers: the compiled model, the workers' other buffers, the summaries'
// bookkeeping and the result (measured: TestMemoryEstimateIsHonest).
const modelBytes = 6 << 20

// pilotIterations are the first iterations a run of fixed length draws
// before the others, to spread the summaries' histograms over their range.
const pilotIterations = 1024

// simulate runs the iterations and summarises them, or stops with the
// cause of ctx's end. A run of fixed length draws a pilot of its first
// iterations, then the others in the summaries' first pass; an Auto run
// draws in rounds, doubling until every case's P95 is stable, and then
// summarises.
func (s *simulator) simulate(ctx context.Context) (*Simulation, error) {
	n := s.mc.Iterations
	if !s.mc.Auto {
		rec, ext := s.newRecord(n), s.newExtremes()
		s.rec = rec
		pilot := min(n, pilotIterations)
		s.runRange(ctx, rec, ext, 0, pilot, n, new(atomic.Int64))
		if err := cancelled(ctx); err != nil {
			return nil, err
		}
		s.storeSlot = make([]int, len(s.series))
		kept := 0
		for i := range s.series {
			s.storeSlot[i] = -1
			if ext.lo[i] != ext.hi[i] {
				s.storeSlot[i], kept = kept, kept+1
			}
		}
		if blocks := (n + lanes - 1) / lanes; blocks*lanes*kept*8 <= storeBytes {
			s.store = make([][]float64, blocks)
			for b := range s.store {
				s.store[b] = make([]float64, kept*lanes)
			}
		}
		return s.summarise(ctx, rec, ext, n, pilot, true)
	}
	rec, ext := s.newRecord(s.maxIterations), s.newExtremes()
	s.rec = rec
	done := 0
	var progress atomic.Int64
	for {
		s.runRange(ctx, rec, ext, done, n, n, &progress)
		if err := cancelled(ctx); err != nil {
			return nil, err
		}
		done = n
		stable, err := s.stable(ctx, rec, ext, n)
		if err != nil {
			return nil, err
		}
		if stable || n >= s.maxIterations {
			return s.summarise(ctx, rec, ext, n, n, stable)
		}
		n = min(2*n, s.maxIterations)
	}
}

// rebind returns a simulator for res with the sampler in and mc that
// shares s's compiled instructions, cases and series (read-only): res has
// the same structure as the result s was compiled from, so only the
// values differ, and the instructions read every value from the slots
// (the assumptions' from in, the cases' points from res).
func (s *simulator) rebind(res *Result, in *inputSampler, mc MC) *simulator {
	c := *s.compiler
	c.in = in
	r := *s
	r.compiler, r.mc, r.variants, r.maxIterations, r.workers, r.chunk, r.store, r.storeSlot, r.stored = &c, mc, res.Variants, 0, nil, nil, nil, nil, 0
	r.rec, r.pair = nil, nil
	r.cases = slices.Clone(s.cases)
	j := 0
	for _, v := range res.Variants {
		for _, cs := range v.Cases {
			r.cases[j].point = cs.Total.Value.InexactFloat64()
			j++
		}
	}
	return &r
}

// structureKey describes what a compiled model depends on besides values:
// the assumptions (which are drawn, which move with which), the phasing's
// whole years, every quantity's and case's expression (operations, names,
// constants, each Binomial node by its first place) and the deck's
// rounding factors. Two results with the same key compile to the same
// instructions.
func structureKey(res *Result, in *inputSampler) string {
	var b strings.Builder
	for _, inp := range in.inputs {
		fmt.Fprintf(&b, "%s~%s|", inp.ID, inp.MovesWith)
	}
	for _, u := range in.uncertain {
		fmt.Fprintf(&b, "%d|", u.slot)
	}
	ph := &res.Scenario.Phasing
	fmt.Fprintf(&b, "phasing %s %s %s %v %v %s|", ph.IntakeYears.Value, ph.CWSLagYears.Value, ph.OpeningYear.Value,
		ph.OpeningYearShare.Given(), ph.CWSRampYears.Given(), ph.CWSRampYears.Value)
	nodes := map[*Expr]int{}
	var expr func(e *Expr)
	expr = func(e *Expr) {
		switch {
		case e.IsConstant():
			b.WriteString(e.Value.String())
			return
		case e.Op == OpValue || e.Op == OpRef:
			fmt.Fprintf(&b, "%d:%s", e.Op, e.Name)
			return
		case e.Op == OpBinomial:
			if k, ok := nodes[e]; ok {
				fmt.Fprintf(&b, "B%d", k)
				return
			}
			nodes[e] = len(nodes)
			fmt.Fprintf(&b, "B%d:%s", nodes[e], e.Name)
		}
		fmt.Fprintf(&b, "(%d", e.Op)
		for _, a := range e.Args {
			b.WriteByte(' ')
			expr(a)
		}
		b.WriteByte(')')
	}
	for _, q := range res.Quantities {
		b.WriteString(q.ID + "=")
		if q.Rounded != nil && !q.Exact.Value.IsZero() {
			fmt.Fprintf(&b, "%v*", q.Rounded.Value.InexactFloat64()/q.Exact.Value.InexactFloat64())
		}
		expr(q.Exact)
		b.WriteByte('|')
	}
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			fmt.Fprintf(&b, "%s/%s/%s:", v.ID, v.CentralCase, c.ID)
			for _, e := range []*Expr{c.Scheme, c.CWS, c.Population, c.CWSPopulation} {
				expr(e)
				b.WriteByte(';')
			}
		}
	}
	return b.String()
}
