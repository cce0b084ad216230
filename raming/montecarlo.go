package raming

import (
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

// MC configures a Monte Carlo simulation.
type MC struct {
	// Seed and the iteration number select each iteration's random stream
	// (PCG with the seed and the iteration as its two words), so the result
	// depends on (scenario, population, Seed, Iterations) only, never on Workers.
	Seed uint64
	// Iterations is the number of draws; with Auto it is the minimum.
	Iterations int
	// Auto keeps drawing, in rounds, until the P95 of every case is stable
	// to AutoTolerance (batch means), or MaxIterations is reached.
	Auto bool
	// Workers run blocks of iterations in parallel (at least 1).
	Workers int
	// Percentiles to report besides DefaultPercentiles (0-100).
	Percentiles []float64
	// Progress, if set, is told the iterations done so far and the total
	// planned; it is called from several goroutines.
	Progress func(done, total int)
	// MaxMemory, if positive, refuses (MemoryError) a run whose estimated
	// peak memory (Simulation.Memory) is larger, before the first draw; an
	// Auto run stops earlier instead (at MaxIterations halved until it fits,
	// but not below Iterations).
	MaxMemory int64
}

// DefaultPercentiles are reported for every case: the band P5-P95, the
// median, and P10, P20, P80, P90 for a budget's risk levels.
var DefaultPercentiles = []float64{5, 10, 20, 50, 80, 90, 95}

// AutoTolerance is the relative half-width of the 95% confidence interval
// of each case's P95 at which Auto stops: 0.5%.
const AutoTolerance = 0.005

// MaxIterations caps an Auto run.
const MaxIterations = 1_000_000

// IterationLimit is the most iterations a simulation or a sweep's bands
// accept: beyond it the memory estimate itself would not be meaningful
// (100 million iterations of the built-in scenario need about 30 GB).
const IterationLimit = 100_000_000

// HistogramBins is the number of bars of each histogram.
const HistogramBins = 30

// MaxBandIterations bounds the iterations the per-year bands describe: the
// first MaxBandIterations (all of them in a run of at most that many, as
// the default 10,000). A longer run spends its memory and time on the
// cases' totals, which use every iteration; the bands' batch-means standard
// errors (YearBand.Percentiles) include the sampling error of the subsample.
const MaxBandIterations = 10_000

// Simulation is the outcome of a Monte Carlo run.
type Simulation struct {
	Seed        uint64
	Iterations  int
	Percentiles []float64 // reported percentiles, ascending; DefaultPercentiles always among them
	// Converged is false when an Auto run hit MaxIterations first.
	Converged bool
	Auto      bool
	// BandIterations is the number of iterations the per-year bands
	// describe: the first min(Iterations, MaxBandIterations).
	BandIterations int
	// Memory is the estimate, made before the first draw, of the bytes
	// the simulation holds at its peak (see MC.MaxMemory).
	Memory int64
	// Inputs are the uncertain assumptions with the spread of their draws.
	Inputs []Input
	// Risks are the inputs whose value is a floor with upside risk only
	// (point = "base"): each case reports how much of its P50 above the
	// point estimate they account for (CaseSim.Risks).
	Risks []string
	// Cases hold every case's statistics, in variant order.
	Cases []CaseSim
	// Variants summarise each variant by its central case.
	Variants []VariantSim
	// Comparisons are every pair of variants, on their central cases.
	Comparisons []Comparison
	// ExtractDraws is true when unknown values of an extract were drawn
	// (binomial counts), adding sampling noise to the assumptions' spread.
	ExtractDraws bool
}

// Input is one uncertain assumption.
type Input struct {
	ID, Label    string
	Distribution string // e.g. "beta", or "moves with A.cws_average_damage"
	// MovesWith names the input whose draw this one copies in proportion
	// ("" for an input with its own distribution).
	MovesWith string
	// Point is what the assumption's value is to its distribution.
	Point scenario.PointKind
	Stats Stats
}

// CaseSim is a case's simulated cost.
type CaseSim struct {
	VariantID, CaseID string
	// TotalStats, SchemeStats and CWSStats summarise the draws of the
	// total, the scheme cost and the CWS cost.
	TotalStats, SchemeStats, CWSStats Stats
	// Curve is the total's distribution as percentiles P1 to P99
	// (Curve[k-1] is P_k), for an S-curve.
	Curve [99]float64
	// Sensitivity ranks the inputs by their rank correlation with the total.
	Sensitivity []Sensitivity
	// Years are the bands of the cash total (excl. uitvoering) per budget year.
	Years []YearBand
	// Point is the deterministic estimate of the case's total, and
	// PointPercentile its percentile rank among the draws (0-100): the
	// share of draws below it, counting draws equal to it half.
	Point, PointPercentile float64
	// Risks split the P50's distance from the point estimate: for each
	// input with upside risk only, the P50 minus the P50 of the same draws
	// with that input held at its value.
	Risks []RiskContribution
}

// RiskContribution is how much an input with upside risk only (such as
// growth of the reporting population) raises a case's P50.
type RiskContribution struct {
	InputID      string
	P50Without   float64 // the P50 with the input held at its value
	Contribution float64 // P50 − P50Without
}

// YearBand is the spread of a case's cash in one budget year, over the
// first Simulation.BandIterations iterations (every iteration up to
// MaxBandIterations). Beyond that the band is a subsample of the run: its
// error is the sampling error of MaxBandIterations draws, which each
// percentile's batch-means standard error (SE) states. For the built-in
// scenario that is about 0.5% of a year's P95 (at most 1.5% in the years
// with at least 5% of the case's cost; docs/performance.md).
type YearBand struct {
	Year         int
	Mean         float64
	P5, P50, P95 float64
	// Percentiles are the band at every reported percentile
	// (Simulation.Percentiles), with their standard errors.
	Percentiles []PercentileValue
}

// At returns the band's value at percentile p (NaN if not reported).
func (b YearBand) At(p float64) float64 { return percentileAt(b.Percentiles, p).Value }

// bandYears is the number of budget years the Monte Carlo follows from the
// opening year; cash after it is counted in the last one.
const bandYears = 20

// Stats summarise draws.
type Stats struct {
	Mean, SD float64
	// SE is the standard error of the mean (SD/√n); MeanStable the mean
	// rounded to the digits that are stable at that error.
	SE, MeanStable float64
	Percentiles    []PercentileValue
	Histogram      []Bin
}

// PercentileValue is one percentile with its batch-means standard error,
// and the value rounded to the digits that are stable at that error.
type PercentileValue struct {
	P, Value, SE, Stable float64
}

// percentileAt returns percentile p of ps (NaN values if not computed).
func percentileAt(ps []PercentileValue, p float64) PercentileValue {
	for _, pv := range ps {
		if pv.P == p {
			return pv
		}
	}
	return PercentileValue{P: p, Value: math.NaN(), SE: math.NaN(), Stable: math.NaN()}
}

// At returns the value of percentile p (NaN if not computed).
func (s Stats) At(p float64) float64 { return percentileAt(s.Percentiles, p).Value }

// SEAt returns the standard error of percentile p (NaN if not computed).
func (s Stats) SEAt(p float64) float64 { return percentileAt(s.Percentiles, p).SE }

// Case returns the simulated case with the given id; the simulation covers
// every case of its result, so an unknown id is a programming error.
func (s *Simulation) Case(id string) *CaseSim {
	for i := range s.Cases {
		if s.Cases[i].CaseID == id {
			return &s.Cases[i]
		}
	}
	panic("raming: no simulated case " + id)
}

// Sensitivity is the Spearman rank correlation of an input with a case's
// total. Inputs that move with another are left out: they carry no
// information of their own.
type Sensitivity struct {
	InputID string
	Rho     float64
}

// VariantSim is a variant's spread, that of its central case
// (Variant.CentralCase).
type VariantSim struct {
	ID, CentralCase string
	Stats           Stats
}

// Comparison is the difference X − Y of two variants' central cases, drawn
// on common random numbers.
type Comparison struct {
	X, Y string
	Diff Stats
	// PXMore is the share of iterations in which X costs more than Y.
	PXMore float64
}

// Simulate runs the deterministic estimate and then the Monte Carlo
// simulation on it. Each iteration draws the uncertain assumptions, then
// (with an extract) the unknown values of the extract as exact binomial
// counts per group of identical rows, and evaluates every case on those
// same draws (common random numbers). The deck's rounding is not applied in
// the simulation: it describes the spread around the exact figures.
func Simulate(sc *scenario.Scenario, pop *input.Population, mc MC) (*Result, error) {
	m, err := NewModel(sc, pop)
	if err != nil {
		return nil, err
	}
	return m.Simulate(mc)
}

// Simulate estimates the model and simulates it.
func (m *Model) Simulate(mc MC) (*Result, error) {
	if mc.Iterations < 1 || mc.Iterations > IterationLimit {
		return nil, fmt.Errorf("a simulation takes 1 to %d iterations, not %d", IterationLimit, mc.Iterations)
	}
	if mc.Workers < 1 {
		mc.Workers = 1
	}
	res, err := m.Estimate()
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
	res.MonteCarlo = s.simulate()
	res.MonteCarlo.Memory = memory
	return res, nil
}

// MemoryError refuses a simulation whose estimated memory exceeds
// MC.MaxMemory.
type MemoryError struct {
	Iterations  int
	Need, Limit int64 // bytes
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("%d Monte Carlo iterations need about %d MB, more than the %d MB allowed: use fewer iterations or --workers, or allow more memory (--max-memory)",
		e.Iterations, e.Need>>20, e.Limit>>20)
}

// program evaluates a compiled expression on the slot values.
type program func(v []float64) float64

// inputSampler draws the scenario's uncertain assumptions into a vector of
// slots, one per assumption (and, in a simulator, one per quantity), and
// compiles expressions over those slots.
type inputSampler struct {
	point     []float64 // point value per slot
	slot      map[string]int
	uncertain []drawn
	movers    []mover
	inputs    []Input
	inputSlot []int // slot of each input
}

type drawn struct {
	slot int
	draw sampler
}

type mover struct {
	slot, other int
	ratio, max  float64
}

func newInputSampler(sc *scenario.Scenario) (*inputSampler, error) {
	s := &inputSampler{slot: map[string]int{}}
	entries := sc.Entries()
	for _, e := range entries {
		s.slot[e.ID] = len(s.point)
		s.point = append(s.point, e.Value.InexactFloat64())
	}
	for _, e := range entries {
		u := e.Uncertainty
		if u == nil {
			continue
		}
		in := Input{ID: e.ID, Label: e.Label, Distribution: string(u.Kind(e.Unit)), Point: u.Point.Kind()}
		if u.MovesWith != "" {
			mx := math.Inf(1)
			if e.Unit == scenario.Share {
				mx = 1
			}
			other := entries[s.slot[u.MovesWith]]
			s.movers = append(s.movers, mover{slot: s.slot[e.ID], other: s.slot[u.MovesWith],
				ratio: e.Value.InexactFloat64() / other.Value.InexactFloat64(), max: mx})
			in.Distribution, in.MovesWith = "moves with "+u.MovesWith, u.MovesWith
		} else {
			draw, err := newSampler(e)
			if err != nil {
				return nil, &ModelError{Msg: err.Error()}
			}
			s.uncertain = append(s.uncertain, drawn{slot: s.slot[e.ID], draw: draw})
		}
		s.inputs = append(s.inputs, in)
		s.inputSlot = append(s.inputSlot, s.slot[e.ID])
	}
	return s, nil
}

// draw sets v to the point values and draws every uncertain assumption;
// the input in slot hold (if not -1) is drawn but held at its value, so
// the rest of the stream is the same as without holding it.
func (s *inputSampler) draw(r *rand.Rand, v []float64, hold int) {
	copy(v, s.point)
	for _, u := range s.uncertain {
		v[u.slot] = u.draw(r)
	}
	if hold >= 0 {
		v[hold] = s.point[hold]
	}
	s.move(v)
}

// move sets the inputs that move with another in proportion to its draw.
func (s *inputSampler) move(v []float64) {
	for _, m := range s.movers {
		v[m.slot] = math.Min(m.max, m.ratio*v[m.other])
	}
}

// simulator holds a compiled result.
type simulator struct {
	// maxIterations caps an Auto run: MaxIterations, or less under MC.MaxMemory.
	maxIterations int
	*inputSampler
	mc        MC
	quantity  []compiled // in computation order
	cases     []caseProgram
	flows     []flowProgram
	variants  []Variant
	counts    *extractCounts
	hardship  []int // slots of variant C's case shares, parallel to hardshipQ
	lowest    []int // slots of the lowest threshold's share each case nests in
	hardshipQ []int // slots of variant C's case populations
	groups    []groupSlot
	// risks are the slots of the inputs with upside risk only.
	risks []int
	// the phasing: whole years at their point values, the rest per draw
	intake, lag, opening    int
	uhtCap, cwsCap, cashLag int
	cwsStart, ramp          int // the ramp-up's first capacity (slot) and years (0: none)
	openShare               int // slot of phasing.opening_year_share (-1: the whole year)
	recordSize              int // the values of a phasing record
	// slots of the funnel, for the extract's draws
	growth, affectedShare, togetherShare, base, remaining, affected, damage int
	// scratch are the summaries' buffers per worker.
	scratch []summaryScratch
}

type compiled struct {
	slot int
	prog program
	skip bool // drawn from the extract instead
	// factor carries the deck's rounding into the draws: rounded ÷ exact
	// at the point values (1 without rounding).
	factor float64
}

// groupSlot is a share of access of variant B's records, drawn binomially.
type groupSlot struct {
	slot, group int
	n           float64
}

type caseProgram struct {
	variant, id string
	scheme, cws program
	point       float64 // the deterministic total
	// same is an earlier case with the same expressions (-1: none), whose
	// draws this case copies; flow indexes simulator.flows.
	same, flow int
}

// flowProgram computes what the flow of files over the years depends on:
// the files at UHT and at the CWS. Cases with the same files share one.
type flowProgram struct {
	population, cwsFiles program
	exprs                [2]*Expr
}

// newSimulator compiles a result for simulation, with the sampler of its
// scenario's assumptions (newInputSampler), which it extends with a slot
// per quantity.
func newSimulator(res *Result, in *inputSampler, mc MC) *simulator {
	s := &simulator{inputSampler: in, mc: mc, counts: res.counts, variants: res.Variants}
	for _, q := range res.Quantities {
		s.slot[q.ID] = len(s.point)
		s.point = append(s.point, q.Exact.Value.InexactFloat64())
	}
	s.growth, s.affectedShare, s.togetherShare = s.slot["funnel.report_growth"], s.slot["funnel.affected_share"], s.slot["funnel.together_share"]
	s.base, s.remaining, s.affected, s.damage = s.slot["funnel.base"], s.slot["funnel.remaining"], s.slot["funnel.affected"], s.slot["funnel.damage"]
	ph := res.Scenario.Phasing
	s.intake, s.lag = int(ph.IntakeYears.Value.IntPart()), int(ph.CWSLagYears.Value.IntPart())
	s.uhtCap, s.cwsCap, s.cashLag = s.slot["phasing.uht_capacity"], s.slot["phasing.cws_capacity"], s.slot["phasing.cash_lag_share"]
	s.opening = int(ph.OpeningYear.Value.IntPart())
	if ph.CWSRampYears.Given() {
		s.cwsStart, s.ramp = s.slot["phasing.cws_capacity_start"], int(ph.CWSRampYears.Value.IntPart())
	}
	s.openShare = -1
	if ph.OpeningYearShare.Given() {
		s.openShare = s.slot["phasing.opening_year_share"]
	}
	drawnFromExtract := map[string]bool{}
	if s.counts != nil {
		for _, id := range []string{"funnel.base", "funnel.remaining", "funnel.affected", "funnel.damage"} {
			drawnFromExtract[id] = true
		}
		for _, h := range res.hardship {
			drawnFromExtract[h.quantity] = true
			s.hardship = append(s.hardship, s.slot[h.share])
			s.lowest = append(s.lowest, s.slot[h.lowest])
			s.hardshipQ = append(s.hardshipQ, s.slot[h.quantity])
		}
		for _, g := range res.groupDraws {
			drawnFromExtract[g.quantity] = true
			s.groups = append(s.groups, groupSlot{slot: s.slot[g.quantity], group: g.group, n: float64(g.n)})
		}
	}
	for _, q := range res.Quantities {
		c := compiled{slot: s.slot[q.ID], prog: s.compile(q.Exact), skip: drawnFromExtract[q.ID], factor: 1}
		if q.Rounded != nil && !q.Exact.Value.IsZero() {
			c.factor = q.Rounded.Value.InexactFloat64() / q.Exact.Value.InexactFloat64()
		}
		s.quantity = append(s.quantity, c)
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
	for i, in := range s.inputs {
		if in.MovesWith == "" && in.Point == scenario.PointBase {
			s.risks = append(s.risks, s.inputSlot[i])
		}
	}
	s.recordSize = recFlows + 2*len(s.flows)
	return s
}

// sameExpr reports whether two expressions compute the same figure in the
// same way (as variant E's case that costs what variant D costs).
func sameExpr(a, b *Expr) bool {
	if a == b {
		return true
	}
	if a.Op != b.Op || a.Name != b.Name || len(a.Args) != len(b.Args) || !a.Value.Equal(b.Value) {
		return false
	}
	for i := range a.Args {
		if !sameExpr(a.Args[i], b.Args[i]) {
			return false
		}
	}
	return true
}

// compile turns an expression into a float64 program over the slots.
func (s *inputSampler) compile(e *Expr) program {
	switch e.Op {
	case OpValue, OpRef:
		o := s.operand(e)
		if i := o.slot; i >= 0 {
			return func(v []float64) float64 { return v[i] }
		}
		c := o.c
		return func([]float64) float64 { return c }
	case OpMul:
		os := s.operands(e.Args)
		return func(v []float64) float64 {
			x := 1.0
			for _, o := range os {
				x *= o.eval(v)
			}
			return x
		}
	case OpAdd:
		os := s.operands(e.Args)
		return func(v []float64) float64 {
			x := 0.0
			for _, o := range os {
				x += o.eval(v)
			}
			return x
		}
	case OpSub:
		a, b := s.operand(e.Args[0]), s.operand(e.Args[1])
		return func(v []float64) float64 { return a.eval(v) - b.eval(v) }
	case OpDiv:
		a, b := s.operand(e.Args[0]), s.operand(e.Args[1])
		return func(v []float64) float64 { return a.eval(v) / b.eval(v) }
	case OpMax0:
		a := s.operand(e.Args[0])
		return func(v []float64) float64 { return math.Max(0, a.eval(v)) }
	}
	panic(fmt.Sprintf("raming: unknown operation %d", e.Op))
}

// operand is an argument of an operation: a slot's value, a constant, or
// a program for any other expression. Reading a slot or a constant costs
// no call.
type operand struct {
	slot int // the slot read (-1: none)
	c    float64
	prog program // nil for a slot or a constant
}

func (o operand) eval(v []float64) float64 {
	switch {
	case o.prog != nil:
		return o.prog(v)
	case o.slot >= 0:
		return v[o.slot]
	}
	return o.c
}

func (s *inputSampler) operand(e *Expr) operand {
	if e.Op != OpValue && e.Op != OpRef {
		return operand{slot: -1, prog: s.compile(e)}
	}
	if i, ok := s.slot[e.Name]; ok && e.Name != "" {
		return operand{slot: i}
	}
	return operand{slot: -1, c: e.Value.InexactFloat64()}
}

func (s *inputSampler) operands(es []*Expr) []operand {
	os := make([]operand, len(es))
	for i, e := range es {
		os[i] = s.operand(e)
	}
	return os
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

// A phasing record is what cashYears reads of an iteration, so that the
// bands per budget year can be computed after the iterations without
// keeping a value per case and year: the capacities, the cash lag, the
// share of the opening year and the ramp's first capacity, then the files
// at UHT and at the CWS of each flowProgram. These are its offsets.
const (
	recUHTCap = iota
	recCWSCap
	recCashLag
	recOpenShare
	recCWSStart
	recFlows // flow f's files at UHT at recFlows+2f, at the CWS at recFlows+2f+1
)

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
	d.inputs = ext(d.inputs, len(s.inputs), false)
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
	perIteration := 8 * (int64(len(s.inputs)) + 2*nc + int64(len(s.risks))*nc)
	b := perIteration*int64(n) + 8*int64(s.recordSize)*bandN
	b += 8 * nc * int64(n)
	workers := int64(max(1, s.mc.Workers))
	b += workers*int64(n)*(sorterBytes+16) + min(workers, nc)*8*bandYears*bandN
	if s.mc.Auto {
		b += perIteration * int64(n) / 2
	}
	return b
}

// simulate runs the iterations (in rounds when Auto) and summarises them.
func (s *simulator) simulate() *Simulation {
	var d draws
	n, done := s.mc.Iterations, 0
	converged := true
	var progress atomic.Int64
	for {
		s.grow(&d, n)
		s.runRange(&d, done, n, &progress)
		done = n
		if !s.mc.Auto {
			break
		}
		if converged = s.stable(&d); converged || n >= s.maxIterations {
			break
		}
		n = min(2*n, s.maxIterations)
	}
	return s.summarise(&d, converged)
}

// worker is one goroutine's state for drawing iterations: its random
// stream, reseeded for every iteration, and the buffers an iteration
// works in, so that an iteration allocates nothing.
type worker struct {
	pcg   rand.PCG
	rnd   *rand.Rand
	v     []float64 // the slots
	drawn []float64 // the slots as drawn, before the quantities
	// The extract's drawn counts: affected, with damage, variant C's
	// cases, variant B's weight groups (parallel to simulator.groups).
	affected, damage float64
	hard, group      []float64
}

func (s *simulator) newWorker() *worker {
	w := &worker{v: make([]float64, len(s.point)), drawn: make([]float64, len(s.point)),
		hard: make([]float64, len(s.hardship)), group: make([]float64, len(s.groups))}
	w.rnd = rand.New(&w.pcg)
	return w
}

// runRange evaluates iterations [from, to) on the workers, which take
// blocks of iterationBlock iterations in turn, so that a worker slowed down
// by the machine does not hold the others up. Every iteration writes only
// its own index, and draws on its own stream: the outcome does not depend
// on which worker evaluates it.
func (s *simulator) runRange(d *draws, from, to int, progress *atomic.Int64) {
	workers := min(s.mc.Workers, (to-from+iterationBlock-1)/iterationBlock)
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
				lo := int(next.Add(iterationBlock)) - iterationBlock
				if lo >= to {
					return
				}
				hi := min(lo+iterationBlock, to)
				for i := lo; i < hi; i++ {
					s.iterate(i, w, d)
				}
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

// iterationBlock is how many iterations a worker takes at a time.
const iterationBlock = 256

// evaluate draws iteration i on its own random stream into w.v: the
// uncertain assumptions, the extract's unknown values, and from them every
// quantity.
func (s *simulator) evaluate(i int, w *worker) {
	w.pcg.Seed(s.mc.Seed, uint64(i))
	s.draw(w.rnd, w.v, -1)
	copy(w.drawn, w.v)
	if s.counts != nil {
		s.drawExtract(w)
	}
	s.compute(w)
}

// evaluateHeld evaluates the iteration evaluate drew last again, with the
// input in slot hold held at its value and everything else as drawn. The
// draws are those of the same stream (the held input is drawn too, so
// the stream goes on as without holding it); only extract counts that
// depend on the held input are drawn again.
func (s *simulator) evaluateHeld(i int, w *worker, hold int) {
	if s.counts != nil && s.extractDrawsWith(hold) {
		w.pcg.Seed(s.mc.Seed, uint64(i))
		s.draw(w.rnd, w.v, hold)
		s.drawExtract(w)
	} else {
		copy(w.v, w.drawn)
		w.v[hold] = s.point[hold]
		s.move(w.v)
	}
	s.compute(w)
}

// extractDrawsWith reports whether the extract's counts are drawn with the
// value in slot.
func (s *simulator) extractDrawsWith(slot int) bool {
	return slot == s.affectedShare || slot == s.togetherShare || slices.Contains(s.hardship, slot) || slices.Contains(s.lowest, slot)
}

// compute sets the quantities counted on the extract (its drawn counts,
// grown by the reporting population's growth) and computes every other
// quantity.
func (s *simulator) compute(w *worker) {
	v := w.v
	if c := s.counts; c != nil {
		g := 1 + v[s.growth]
		v[s.base] = float64(c.used) * g
		v[s.remaining] = float64(c.used-c.restored) * g
		v[s.affected] = w.affected * g
		v[s.damage] = w.damage * g
		for j, slot := range s.hardshipQ {
			v[slot] = w.hard[j] * g
		}
		for j, gs := range s.groups {
			v[gs.slot] = w.group[j] / gs.n
		}
	}
	for _, q := range s.quantity {
		if !q.skip {
			v[q.slot] = q.prog(v) * q.factor
		}
	}
}

// iterate evaluates iteration i, and again with each input of upside risk
// only held at its value, and records the outcome.
func (s *simulator) iterate(i int, w *worker, d *draws) {
	s.evaluate(i, w)
	v := w.v
	for j, slot := range s.inputSlot {
		d.inputs[j][i] = v[slot]
	}
	for j, c := range s.cases {
		if c.same < 0 {
			d.scheme[j][i], d.cws[j][i] = c.scheme(v), c.cws(v)
		}
	}
	if i < d.bandN {
		s.recordPhasing(v, d.phasing[i*s.recordSize:(i+1)*s.recordSize])
	}
	nc := len(s.cases)
	for k, slot := range s.risks {
		s.evaluateHeld(i, w, slot)
		for j, c := range s.cases {
			if c.same < 0 {
				d.without[k*nc+j][i] = c.scheme(v) + c.cws(v)
			}
		}
	}
}

// recordPhasing writes an iteration's phasing record rec from its slots v.
func (s *simulator) recordPhasing(v, rec []float64) {
	rec[recUHTCap], rec[recCWSCap], rec[recCashLag] = v[s.uhtCap], v[s.cwsCap], v[s.cashLag]
	rec[recOpenShare], rec[recCWSStart] = 1, 0
	if s.openShare >= 0 {
		rec[recOpenShare] = v[s.openShare]
	}
	if s.ramp > 0 {
		rec[recCWSStart] = v[s.cwsStart]
	}
	for f, fp := range s.flows {
		rec[recFlows+2*f], rec[recFlows+2*f+1] = fp.population(v), fp.cwsFiles(v)
	}
}

// cashBuffers are the buffers cashYears works in, one set per summary
// worker, so that spreading an iteration allocates nothing.
type cashBuffers struct {
	flow         phaseBuffers[f64]
	lines, spent []f64
}

// cashYears spreads a case's scheme and CWS cost of one iteration over the
// budget years (from the opening year; later years count in the last one),
// with the flow of files and cash lag of that iteration's phasing record
// rec and the case's flow (phasing.go: decisions, cashWeights), in float64
// and without the cent rounding of the deterministic profile.
func (s *simulator) cashYears(rec []float64, flow int, scheme, cws float64, b *cashBuffers) (cash [bandYears]float64) {
	ph := phaseParams[f64]{intake: s.intake, lag: s.lag, uhtCap: f64(rec[recUHTCap]), cwsCap: f64(rec[recCWSCap]),
		cashLag: f64(rec[recCashLag]), openShare: f64(rec[recOpenShare]), cwsStart: f64(rec[recCWSStart]), ramp: s.ramp}
	decisions(f64(rec[recFlows+2*flow]), f64(rec[recFlows+2*flow+1]), ph, f64FromInt, f64Div, &b.flow)
	for _, line := range [2]struct {
		total     float64
		decisions []f64
	}{{scheme, b.flow.uht}, {cws, b.flow.cws}} {
		b.lines = proportional(b.lines, f64(line.total), line.decisions)
		b.spent = cashWeights(b.spent, b.lines, ph.cashLag, 1)
		for y, x := range b.spent {
			cash[min(y, bandYears-1)] += float64(x)
		}
	}
	return cash
}

// caseYears spreads case j's cost in each of the first bandN iterations
// over the budget years (cashYears) and returns the cash per budget year
// as one series per year, in the worker's buffer.
func (s *simulator) caseYears(d *draws, j int, sc *summaryScratch) [][]float64 {
	n, size, c := d.bandN, s.recordSize, s.cases[j]
	sc.cash = resize(sc.cash, bandYears*n)
	years := sc.years[:0]
	for y := range bandYears {
		years = append(years, sc.cash[y*n:(y+1)*n])
	}
	sc.years = years
	for i := range n {
		cash := s.cashYears(d.phasing[i*size:(i+1)*size], c.flow, d.scheme[j][i], d.cws[j][i], &sc.cashBuffers)
		for y, x := range cash {
			years[y][i] = x
		}
	}
	return years
}

// drawExtract draws the extract's unknown values as binomial counts into
// the worker (compute applies them): of n rows with `gedupeerd` unknown,
// Binomial(n, affected_share) are affected; of k affected rows with
// together 1+ year unknown, Binomial(k, together_share) were. For variant
// C, of the k rows the lowest threshold admits those known schrijnend and
// Binomial(k, lowest share) of the unknown; a higher threshold takes
// Binomial(that, share ÷ lowest share) of them (nested: never more
// people). Known values are counted as they are. The affected rows are
// drawn per group of identical rows (together and hardship answers); the
// rows of several groups that take the same share are drawn at once, as a
// sum of binomials with one share is one binomial.
func (s *simulator) drawExtract(w *worker) {
	c, r, v := s.counts, w.rnd, w.v
	pa, pt := v[s.affectedShare], v[s.togetherShare]
	affected := float64(c.affected[input.Yes])
	var together, hardship [3]float64 // affected rows by their together and hardship answer
	for t := range c.cells[input.Yes] {
		for h, n := range c.cells[input.Yes][t] {
			k := float64(n) + binomial(r, float64(c.cells[input.Unknown][t][h]), pa)
			affected += k - float64(n)
			together[t] += k
			hardship[h] += k
		}
	}
	w.affected = affected
	w.damage = together[input.Yes] + binomial(r, together[input.Unknown], pt)
	if len(s.hardship) > 0 {
		lowest := v[s.lowest[0]] // every case of C nests in the same lowest threshold
		pass := hardship[input.Yes] + binomial(r, hardship[input.Unknown], lowest)
		for j, slot := range s.hardship {
			if slot == s.lowest[j] || lowest <= 0 {
				w.hard[j] = pass
			} else {
				w.hard[j] = binomial(r, pass, v[slot]/lowest)
			}
		}
	}
	// Variant B per record: of a weight group's n records, Binomial(n,
	// affected_share) are affected where that is unknown, and of those
	// Binomial(k, together_share) were together 1+ year where that is.
	for j, gs := range s.groups {
		k := gs.n
		if gs.group&groupAffectedShare != 0 {
			k = binomial(r, k, pa)
		}
		if gs.group&groupTogetherShare != 0 {
			k = binomial(r, k, pt)
		}
		w.group[j] = k
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
