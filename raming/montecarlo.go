package raming

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/stat/distuv"

	"raming/input"
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
}

// DefaultPercentiles are reported for every case: the band P5-P95, the
// median, and P10, P20, P80, P90 for a budget's risk levels.
var DefaultPercentiles = []float64{5, 10, 20, 50, 80, 90, 95}

// AutoTolerance is the relative half-width of the 95% confidence interval
// of each case's P95 at which Auto stops: 0.5%.
const AutoTolerance = 0.005

// MaxIterations caps an Auto run.
const MaxIterations = 1_000_000

// HistogramBins is the number of bars of each histogram.
const HistogramBins = 30

// Simulation is the outcome of a Monte Carlo run.
type Simulation struct {
	Seed        uint64
	Iterations  int
	Percentiles []float64 // reported percentiles, ascending; DefaultPercentiles always among them
	// Converged is false when an Auto run hit MaxIterations first.
	Converged bool
	Auto      bool
	// Inputs are the uncertain assumptions with their draws.
	Inputs []Input
	// Risks are the inputs whose value is a floor with upside risk only
	// (point = "base"): each case reports how much of its P50 above the
	// point estimate they account for (CaseSim.Risks).
	Risks []string
	// Cases hold every case's draws and statistics, in variant order.
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
	Draws []float64
	Stats Stats
}

// CaseSim is a case's simulated cost.
type CaseSim struct {
	VariantID, CaseID string
	// Total, Scheme and CWS are the draws, in iteration order.
	Total, Scheme, CWS []float64
	// TotalStats etc. summarise them.
	TotalStats, SchemeStats, CWSStats Stats
	// Sensitivity ranks the inputs by their rank correlation with Total.
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

// YearBand is the spread of a case's cash in one budget year.
type YearBand struct {
	Year         int
	Mean         float64
	P5, P50, P95 float64
}

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

// At returns the value of percentile p (NaN if not computed).
func (s Stats) At(p float64) float64 {
	for _, pv := range s.Percentiles {
		if pv.P == p {
			return pv.Value
		}
	}
	return math.NaN()
}

// SEAt returns the standard error of percentile p (NaN if not computed).
func (s Stats) SEAt(p float64) float64 {
	for _, pv := range s.Percentiles {
		if pv.P == p {
			return pv.SE
		}
	}
	return math.NaN()
}

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
	if mc.Iterations < 1 {
		return nil, errors.New("a simulation needs at least 1 iteration")
	}
	if mc.Workers < 1 {
		mc.Workers = 1
	}
	res, err := m.Estimate()
	if err != nil {
		return nil, err
	}
	s, err := newSimulator(res, mc)
	if err != nil {
		return nil, err
	}
	res.MonteCarlo = s.simulate()
	return res, nil
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
			d, err := newSampler(e)
			if err != nil {
				return nil, &ModelError{Msg: err.Error()}
			}
			s.uncertain = append(s.uncertain, drawn{slot: s.slot[e.ID], draw: d})
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
	for _, m := range s.movers {
		v[m.slot] = math.Min(m.max, m.ratio*v[m.other])
	}
}

// simulator holds a compiled result.
type simulator struct {
	*inputSampler
	mc        MC
	quantity  []compiled // in computation order
	cases     []caseProgram
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
	// slots of the funnel, for the extract's draws
	growth, affectedShare, togetherShare, base, remaining, affected, damage int
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
	variant, id          string
	scheme, cws          program
	population, cwsFiles program
	point                float64 // the deterministic total
}

func newSimulator(res *Result, mc MC) (*simulator, error) {
	in, err := newInputSampler(res.Scenario)
	if err != nil {
		return nil, err
	}
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
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			s.cases = append(s.cases, caseProgram{variant: v.ID, id: c.ID, scheme: s.compile(c.Scheme), cws: s.compile(c.CWS),
				population: s.compile(c.Population), cwsFiles: s.compile(c.CWSPopulation), point: c.Total.Value.InexactFloat64()})
		}
	}
	for i, in := range s.inputs {
		if in.MovesWith == "" && in.Point == scenario.PointBase {
			s.risks = append(s.risks, s.inputSlot[i])
		}
	}
	return s, nil
}

// compile turns an expression into a float64 program over the slots.
func (s *inputSampler) compile(e *Expr) program {
	switch e.Op {
	case OpValue, OpRef:
		if i, ok := s.slot[e.Name]; ok && e.Name != "" {
			return func(v []float64) float64 { return v[i] }
		}
		c := e.Value.InexactFloat64()
		return func([]float64) float64 { return c }
	case OpMul:
		ps := s.compileAll(e.Args)
		return func(v []float64) float64 {
			x := 1.0
			for _, p := range ps {
				x *= p(v)
			}
			return x
		}
	case OpAdd:
		ps := s.compileAll(e.Args)
		return func(v []float64) float64 {
			x := 0.0
			for _, p := range ps {
				x += p(v)
			}
			return x
		}
	case OpSub:
		a, b := s.compile(e.Args[0]), s.compile(e.Args[1])
		return func(v []float64) float64 { return a(v) - b(v) }
	case OpDiv:
		a, b := s.compile(e.Args[0]), s.compile(e.Args[1])
		return func(v []float64) float64 { return a(v) / b(v) }
	case OpMax0:
		a := s.compile(e.Args[0])
		return func(v []float64) float64 { return math.Max(0, a(v)) }
	}
	panic(fmt.Sprintf("raming: unknown operation %d", e.Op))
}

func (s *inputSampler) compileAll(es []*Expr) []program {
	ps := make([]program, len(es))
	for i, e := range es {
		ps[i] = s.compile(e)
	}
	return ps
}

// draws holds the outcome of every iteration, indexed by iteration.
type draws struct {
	inputs             [][]float64   // [input][iteration]
	total, scheme, cws [][]float64   // [case][iteration]
	years              [][][]float64 // [case][budget year from opening][iteration]
	without            [][][]float64 // [risk][case][iteration]: the total with the risk held at its value
}

func (d *draws) grow(nInputs, nCases, nRisks, n int) {
	ext := func(xs [][]float64, k int) [][]float64 {
		if xs == nil {
			xs = make([][]float64, k)
		}
		for i := range xs {
			xs[i] = append(xs[i], make([]float64, n-len(xs[i]))...)
		}
		return xs
	}
	d.inputs = ext(d.inputs, nInputs)
	d.total, d.scheme, d.cws = ext(d.total, nCases), ext(d.scheme, nCases), ext(d.cws, nCases)
	if d.years == nil {
		d.years = make([][][]float64, nCases)
	}
	for c := range d.years {
		d.years[c] = ext(d.years[c], bandYears)
	}
	if d.without == nil {
		d.without = make([][][]float64, nRisks)
	}
	for k := range d.without {
		d.without[k] = ext(d.without[k], nCases)
	}
}

// simulate runs the iterations (in rounds when Auto) and summarises them.
func (s *simulator) simulate() *Simulation {
	var d draws
	n, done := s.mc.Iterations, 0
	converged := true
	var progress atomic.Int64
	for {
		d.grow(len(s.inputs), len(s.cases), len(s.risks), n)
		s.runRange(&d, done, n, &progress)
		done = n
		if !s.mc.Auto {
			break
		}
		if converged = s.stable(&d); converged || n >= MaxIterations {
			break
		}
		n = min(2*n, MaxIterations)
	}
	return s.summarise(&d, converged)
}

// runRange evaluates iterations [from, to) on the workers, each a
// contiguous block. Every iteration writes only its own index.
func (s *simulator) runRange(d *draws, from, to int, progress *atomic.Int64) {
	workers := min(s.mc.Workers, to-from)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo := from + (to-from)*w/workers
		hi := from + (to-from)*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := make([]float64, len(s.point))
			for i := lo; i < hi; i++ {
				s.iterate(i, v, d)
				if s.mc.Progress != nil && (i-lo)%512 == 511 {
					s.mc.Progress(int(progress.Add(512)), to)
				}
			}
		}()
	}
	wg.Wait()
	if s.mc.Progress != nil {
		s.mc.Progress(to, to)
	}
}

// evaluate computes every quantity of iteration i on its own random
// stream into v, with the input in slot hold (if not -1) held at its value.
func (s *simulator) evaluate(i int, v []float64, hold int) {
	r := rand.New(rand.NewPCG(s.mc.Seed, uint64(i)))
	s.draw(r, v, hold)
	if s.counts != nil {
		s.drawExtract(r, v)
	}
	for _, q := range s.quantity {
		if !q.skip {
			v[q.slot] = q.prog(v) * q.factor
		}
	}
}

// iterate evaluates iteration i, and again with each input of upside risk
// only held at its value, and records the outcome.
func (s *simulator) iterate(i int, v []float64, d *draws) {
	s.evaluate(i, v, -1)
	for j, slot := range s.inputSlot {
		d.inputs[j][i] = v[slot]
	}
	for j, c := range s.cases {
		scheme, cws := c.scheme(v), c.cws(v)
		d.scheme[j][i], d.cws[j][i], d.total[j][i] = scheme, cws, scheme+cws
		s.cashYears(v, c, scheme, cws, func(y int, cash float64) { d.years[j][min(y, bandYears-1)][i] += cash })
	}
	for k, slot := range s.risks {
		s.evaluate(i, v, slot)
		for j, c := range s.cases {
			d.without[k][j][i] = c.scheme(v) + c.cws(v)
		}
	}
}

// cashYears spreads a case's drawn scheme and CWS cost over budget years
// with the deterministic profile's flow of files and cash lag (phasing.go:
// decisions, cashWeights), in float64 and without the cent rounding. put
// receives each year (from the opening year) with its cash.
func (s *simulator) cashYears(v []float64, c caseProgram, scheme, cws float64, put func(year int, cash float64)) {
	ph := phaseParams[f64]{intake: s.intake, lag: s.lag, uhtCap: f64(v[s.uhtCap]), cwsCap: f64(v[s.cwsCap]), cashLag: f64(v[s.cashLag])}
	if s.ramp > 0 {
		ph.cwsStart, ph.ramp = f64(v[s.cwsStart]), s.ramp
	}
	uht, cwsDec := decisions(f64(c.population(v)), f64(c.cwsFiles(v)), ph, f64FromInt, f64Div)
	for _, line := range []struct {
		total     float64
		decisions []f64
	}{{scheme, uht}, {cws, cwsDec}} {
		for y, cash := range cashWeights(proportional(f64(line.total), line.decisions), ph.cashLag, 1) {
			put(y, float64(cash))
		}
	}
}

// drawExtract draws the extract's unknown values as binomial counts per
// group of identical rows: of n rows with `gedupeerd` unknown, Binomial(n,
// affected_share) are affected; of k affected rows with together 1+ year
// unknown, Binomial(k, together_share) were. For variant C, of the k rows
// the lowest threshold admits those known schrijnend and Binomial(k,
// lowest share) of the unknown; a higher threshold takes Binomial(that,
// share ÷ lowest share) of them (nested: never more people). Known values
// are counted as they are.
func (s *simulator) drawExtract(r *rand.Rand, v []float64) {
	c := s.counts
	g := 1 + v[s.growth]
	pa, pt := v[s.affectedShare], v[s.togetherShare]
	affected, damage := float64(c.affected[input.Yes]), 0.0
	hard := make([]float64, len(s.hardship))
	for _, a := range []input.Answer{input.Yes, input.Unknown} {
		for t := range c.cells[a] {
			for h, n := range c.cells[a][t] {
				if n == 0 {
					continue
				}
				k := float64(n)
				if a == input.Unknown {
					k = binomial(r, k, pa)
					affected += k
				}
				damage += given(r, input.Answer(t), k, pt)
				if len(s.hardship) == 0 {
					continue
				}
				lowest := v[s.lowest[0]] // every case of C nests in the same lowest threshold
				passLowest := given(r, input.Answer(h), k, lowest)
				for j, slot := range s.hardship {
					if slot == s.lowest[j] || lowest <= 0 {
						hard[j] += passLowest
						continue
					}
					hard[j] += binomial(r, passLowest, v[slot]/lowest)
				}
			}
		}
	}
	v[s.base] = float64(c.used) * g
	v[s.remaining] = float64(c.used-c.restored) * g
	v[s.affected] = affected * g
	v[s.damage] = damage * g
	for j, slot := range s.hardshipQ {
		v[slot] = hard[j] * g
	}
	// Variant B per record: of a weight group's n records, Binomial(n,
	// affected_share) are affected where that is unknown, and of those
	// Binomial(k, together_share) were together 1+ year where that is.
	for _, gs := range s.groups {
		k := gs.n
		if gs.group&groupAffectedShare != 0 {
			k = binomial(r, k, pa)
		}
		if gs.group&groupTogetherShare != 0 {
			k = binomial(r, k, pt)
		}
		v[gs.slot] = k / gs.n
	}
}

// given returns how many of k rows have a property: all for a known yes,
// none for a known no, Binomial(k, p) when unknown.
func given(r *rand.Rand, a input.Answer, k, p float64) float64 {
	switch a {
	case input.Yes:
		return k
	case input.No:
		return 0
	}
	return binomial(r, k, p)
}

func binomial(r *rand.Rand, n, p float64) float64 {
	if n == 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	return distuv.Binomial{N: n, P: p, Src: r}.Rand()
}

// stable reports whether every case's P95 is known to AutoTolerance: the
// half-width of its 95% confidence interval (1.96 × batch-means SE) is at
// most 0.5% of it.
func (s *simulator) stable(d *draws) bool {
	for _, t := range d.total {
		sorted := slices.Clone(t)
		slices.Sort(sorted)
		p95 := percentile(sorted, 95)
		if p95 != 0 && 1.96*batchSEs(t, []float64{95})[0] > AutoTolerance*math.Abs(p95) {
			return false
		}
	}
	return true
}
