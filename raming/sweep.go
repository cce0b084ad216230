package raming

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/internal/goroutine"
	"raming/scenario"
)

// SweepRow is variant B under one combination of its option choices.
type SweepRow struct {
	Options scenario.BOptions
	// Access is the expected number with access; the amount statistics are
	// weighted by the probability of access.
	Access                   float64
	MeanAmount, MedianAmount float64
	P10Amount, P90Amount     float64
	BelowLowAmount           float64
	// Scheme is paid to ex-partners (and, with the UHT step, the UHT's
	// settlements); Applicant is the applicant-side net; CWS the CWS's
	// awards. Total = Scheme + Applicant + CWS, excl. uitvoering;
	// Execution is the deck's estimate for the choices, beside it.
	Scheme, Applicant, CWS, Total, Execution decimal.Decimal
	// P5, P50 and P95 of Total over a simulation's draws (SweepBands); NaN
	// without one.
	P5, P50, P95 float64
	// Records is the fewest records of the extract that one of the row's
	// figures (access, files, the costs) rests on, for small-cell
	// protection: the most records of any sum or count over records it
	// is built from (0: none).
	Records int64

	// sums are the row's records summed by weight group, for SweepBands.
	sums bSums
}

// OptionGrid returns every combination of the named values of B's options
// (scenario.Options), in the table's order with the first option varying
// slowest, starting from base for everything else. An option for which
// fixed (if not nil) returns true keeps base's value in every combination.
func OptionGrid(base scenario.BOptions, fixed func(key string) bool) []scenario.BOptions {
	grid := []scenario.BOptions{base}
	for _, op := range scenario.Options {
		if fixed != nil && fixed(op.Key) {
			continue // every combination keeps base's value
		}
		var next []scenario.BOptions
		for _, o := range grid {
			for _, v := range op.Values {
				if err := op.Set(&o, v.Text); err != nil {
					panic(err) // the table's own values
				}
				next = append(next, o)
			}
		}
		grid = next
	}
	return grid
}

// upTo returns the options of o that act at stage s or earlier, as a key.
func upTo(o *scenario.BOptions, s scenario.Stage) string {
	var k []byte
	for _, op := range scenario.Options {
		if op.Stage <= s {
			k = append(append(k, op.Get(o)...), 0)
		}
	}
	return string(k)
}

// Sweep evaluates variant B per record under every combination of its
// options (OptionGrid: 7,776 combinations) on an extract, with the
// scenario's point values. It shares the per-record rules of Estimate
// (factsFor, access, entitlement, settle) and the case expression
// (newBCase), and computes each stage once for the options it depends on:
// facts per reference date, entitlements (in whole cents,
// wholeFacts.entitlement) per combination of the options up to StageAmount,
// sums and amount statistics per StageSettle, and the case per route. It
// is an Engine's sweep without changes or bands.
func Sweep(sc *scenario.Scenario, pop *input.Population, workers int) ([]SweepRow, error) {
	e, err := NewEngine(sc, pop)
	if err != nil {
		return nil, err
	}
	return e.Sweep(context.Background(), SweepRequest{Workers: workers})
}

// sweep is Sweep, stopped with the cause of ctx's end between blocks.
func sweep(ctx context.Context, sc *scenario.Scenario, pop *input.Population, workers int) ([]SweepRow, error) {
	if pop == nil || len(pop.Records) == 0 {
		return nil, &ModelError{Msg: "the sweep evaluates variant B per record and needs a population extract (--population)"}
	}
	v := sc.B
	if v == nil {
		return nil, &ModelError{Msg: "the scenario has no variant B to sweep"}
	}
	env := pointValues{assumptions: newAssumptions(sc)}
	// An option set for the run (--set b.threshold=soft) is held at its
	// value; the sweep varies the others.
	grid := OptionGrid(v.Options, func(key string) bool { return sc.IsChanged("b." + key) })
	p0 := newBParams(sc, v)
	// The facts per reference date.
	var dates []scenario.Peildatum
	for _, o := range grid {
		if !slices.Contains(dates, o.Peildatum) {
			dates = append(dates, o.Peildatum)
		}
	}
	facts := make([][]bFacts, len(dates))
	whole := make([][]wholeFacts, len(dates))
	average := make([]decimal.Decimal, len(dates))
	goroutine.Parallel(workers, len(dates), func(_, k int) {
		fs, ws := make([]bFacts, len(pop.Records)), make([]wholeFacts, len(pop.Records))
		for i := range pop.Records {
			fs[i] = factsFor(&pop.Records[i], dates[k], p0.pending, p0.unknownShare)
			ws[i] = wholeFactsOf(&fs[i])
		}
		facts[k], whole[k], average[k] = fs, ws, averageSpan(fs, v)
	})
	// Blocks of combinations that share everything up to StageAmount: the
	// entitlements are computed once per block, on one worker.
	var blocks [][]scenario.BOptions
	for i, o := range grid {
		if i == 0 || upTo(&o, scenario.StageAmount) != upTo(&grid[i-1], scenario.StageAmount) {
			blocks = append(blocks, nil)
		}
		blocks[len(blocks)-1] = append(blocks[len(blocks)-1], o)
	}
	rows := make([][]SweepRow, len(blocks))
	weights := groupWeights(sc)
	scratch := make([]sweepScratch, max(1, workers))
	goroutine.Parallel(workers, len(blocks), func(w, i int) {
		if ctx.Err() != nil {
			return
		}
		block := blocks[i]
		k := slices.Index(dates, block[0].Peildatum)
		p := p0
		p.setAverage(average[k])
		rows[i] = scratch[w].block(env, sc, block, facts[k], whole[k], &p, &weights)
	})
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	for _, w := range scratch {
		if w.overflow {
			return nil, errSumOverflow
		}
	}
	var out []SweepRow
	for _, r := range rows {
		out = append(out, r...)
	}
	return out, nil
}

// sweepScratch is a worker's buffers for the sweep's blocks.
type sweepScratch struct {
	amountBuffers
	ents   []sweepEntitlement
	paid   []int64
	groups []uint8
	// stats are the amount statistics of the block's distinct vectors of
	// amounts paid (options that change only the applicant side, or
	// change nothing for these records, pay the same).
	stats []paidStats
	// overflow is set when a block's sums overflowed (errSumOverflow).
	overflow bool
}

// sweepEntitlement is a record with access and its entitlement under a
// block's options, with what settle reads of it.
type sweepEntitlement struct {
	group                 uint8
	step                  bool
	amount, extra         int64 // cents
	received30k, integral input.Money
}

// paidStats are the statistics of one vector of amounts paid.
type paidStats struct {
	hash  uint64
	paid  []int64
	stats BOutcome
}

// block evaluates the combinations of one block: the same options up to
// StageAmount, the later stages varying.
func (w *sweepScratch) block(env pointValues, sc *scenario.Scenario, block []scenario.BOptions, facts []bFacts, whole []wholeFacts,
	p *bParams, weights *[numGroups]float64) []SweepRow {
	v := sc.B
	o0 := block[0]
	var refused [numGroups]refusals
	w.ents = w.ents[:0]
	for i := range facts {
		f := &facts[i]
		if f.excluded != "" {
			continue
		}
		group, step, _, ok := f.access(&o0, p.minContribution)
		refused[group].count(group, ok, p.helped(f))
		if !ok {
			continue
		}
		if amount, extra, why := p.amounts(f, &whole[i], &o0); why == "" {
			w.ents = append(w.ents, sweepEntitlement{group: uint8(group), step: step, amount: amount, extra: extra,
				received30k: whole[i].received30k, integral: whole[i].integral})
		}
	}
	w.stats = w.stats[:0]
	damage := cents(v.CWSAverageDamage.Value)
	var rows []SweepRow
	var sums bSums
	var stats BOutcome
	// The groups' records, and so their shares of access, are the same
	// throughout the block (the later stages change amounts, not access).
	share := rowShares(env, sc, &sums)
	for j, o := range block {
		if j == 0 || upTo(&o, scenario.StageSettle) != upTo(&block[j-1], scenario.StageSettle) {
			sums = bSums{}
			for g, r := range refused {
				sums[g].refusals = r
			}
			w.paid, w.groups = w.paid[:0], w.groups[:0]
			for _, e := range w.ents {
				paid, applicant, compensation := settle(e.received30k, e.integral, &o, p.lumpSum, e.amount, e.extra)
				sums.add(int(e.group), paid, applicant, compensation, damage, e.step)
				w.paid, w.groups = append(w.paid, paid), append(w.groups, e.group)
			}
			w.overflow = w.overflow || sums.overflowed()
			stats = w.paidStats(p.low, weights)
		}
		renv := env
		renv.records = map[*Expr]int64{}
		x := newBCase(renv, sc, o, &sums, share)
		row := SweepRow{Options: o, Records: smallestRecords(renv.records, x.Population, x.CWSFiles, x.Scheme, x.CWS), Access: stats.Access, MeanAmount: stats.MeanAmount, MedianAmount: stats.MedianAmount,
			P10Amount: stats.P10Amount, P90Amount: stats.P90Amount, BelowLowAmount: stats.BelowLowAmount,
			Scheme: x.Paid.Value, Applicant: x.Applicant.Value, CWS: x.CWS.Value, Execution: x.Execution.Value, sums: sums,
			P5: math.NaN(), P50: math.NaN(), P95: math.NaN()}
		if x.UHTStep != nil {
			row.Scheme = row.Scheme.Add(x.UHTStep.Value)
		}
		row.Total = x.Scheme.Value.Add(x.CWS.Value)
		rows = append(rows, row)
	}
	return rows
}

// paidStats returns the statistics of the amounts in w.paid (their weight
// groups in w.groups, the same throughout a block), computed once per
// distinct vector of amounts in the block.
func (w *sweepScratch) paidStats(low int64, weights *[numGroups]float64) BOutcome {
	h := uint64(14695981039346656037) // FNV-1a over the amounts
	for _, c := range w.paid {
		h = (h ^ uint64(c)) * 1099511628211
	}
	for i := range w.stats {
		if ps := &w.stats[i]; ps.hash == h && slices.Equal(ps.paid, w.paid) {
			return ps.stats
		}
	}
	if len(w.stats) < cap(w.stats) {
		w.stats = w.stats[:len(w.stats)+1] // reuse the buffer of an earlier block
	} else {
		w.stats = append(w.stats, paidStats{})
	}
	ps := &w.stats[len(w.stats)-1]
	ps.hash, ps.paid, ps.stats = h, append(ps.paid[:0], w.paid...), BOutcome{}
	ps.stats.summarise(ps.paid, w.groups, weights, low, &w.amountBuffers)
	return ps.stats
}

// sweepBandsMemory estimates the bytes SweepBands holds at its peak: per
// iteration the draws of the assumptions that vary, and per worker a
// row's totals and their sort buffers.
func sweepBandsMemory(varying, n, workers int) int64 {
	return int64(8*varying)*int64(n) + int64(workers)*int64(n)*(8+sorterBytes+16)
}

// rowShares gives the shares of access of a row's weight groups
// (accessShare), each made once, so that every figure of the row's case
// uses the same node (in SweepBands: the same draw).
func rowShares(env pointValues, sc *scenario.Scenario, sums *bSums) func(g int) *Expr {
	var shares [numGroups]*Expr
	return func(g int) *Expr {
		if shares[g] == nil {
			shares[g] = accessShare(env, &sc.Funnel, g, sums[g].n+sums[g].noAccess)
		}
		return shares[g]
	}
}

// SweepBands adds to every row the P5, P50 and P95 of its total over mc's
// iterations. Each iteration draws the scenario's uncertain assumptions
// (among them the shares that unknown values take and B's CWS appeal share
// and damage) once for all rows, and then each row's case expression
// (newBCase), compiled as the simulation compiles it: the share of each
// weight group with access is drawn binomially from the row's own records
// (accessShare), from the same random streams in every row (each share's
// own, keyed by what it counts: common random numbers), so the rows can be
// compared.
func SweepBands(sc *scenario.Scenario, rows []SweepRow, mc MC) error {
	return sweepBands(context.Background(), sc, rows, mc)
}

// sweepBands is SweepBands, stopped with the cause of ctx's end between rows.
func sweepBands(ctx context.Context, sc *scenario.Scenario, rows []SweepRow, mc MC) error {
	in, err := newInputSampler(sc)
	if err != nil {
		return err
	}
	if mc.Iterations < 1 || mc.Iterations > IterationLimit {
		return fmt.Errorf("a sweep's bands take 1 to %d iterations, not %d", IterationLimit, mc.Iterations)
	}
	workers := max(1, mc.Workers)
	if need := sweepBandsMemory(len(in.varying()), mc.Iterations, workers); mc.MaxMemory > 0 && need > mc.MaxMemory {
		return &MemoryError{Iterations: mc.Iterations, Need: need, Limit: mc.MaxMemory}
	}
	env := pointValues{assumptions: newAssumptions(sc)}
	// Per iteration: the draws of the assumptions that vary.
	n, varying := mc.Iterations, in.varying()
	draws := make([][]float64, len(varying))
	for k := range draws {
		draws[k] = make([]float64, n)
	}
	goroutine.Parallel(workers, workers, func(_, w int) {
		x := make([]float64, len(in.point))
		var pcg rand.PCG
		r := rand.New(&pcg)
		for i := w; i < n; i += workers {
			in.draw(mc.Seed, i, &pcg, r, x)
			for k, slot := range varying {
				draws[k][i] = x[slot]
			}
		}
	})
	type scratch struct {
		sorter
		machine
		totals []float64
	}
	scratches := make([]scratch, workers)
	// Rows with the same counts in each weight group draw the same shares
	// of access (the same nodes on the same streams): drawn once, by the
	// first such row, and replayed by the others.
	type shareDraws struct {
		once sync.Once
		rec  *record
	}
	shared := map[[numGroups]int64]*shareDraws{}
	keys := make([][numGroups]int64, len(rows))
	for r := range rows {
		for g := range numGroups {
			keys[r][g] = rows[r].sums[g].n + rows[r].sums[g].noAccess
		}
		if shared[keys[r]] == nil {
			shared[keys[r]] = &shareDraws{}
		}
	}
	goroutine.Parallel(workers, len(rows), func(w, r int) {
		if ctx.Err() != nil {
			return
		}
		row := &rows[r]
		share := rowShares(env, sc, &row.sums)
		x := newBCase(env, sc, row.Options, &row.sums, share)
		c := newCompiler(in)
		for g := 1; g < numGroups; g++ {
			if row.sums[g].n+row.sums[g].noAccess > 0 {
				c.compile(share(g)) // the groups' draws in their order
			}
		}
		shares := len(c.code) // the shares' instructions come first
		total := c.compile(Add(x.Scheme, x.CWS))
		sc := &scratches[w]
		m := &sc.machine
		m.reset(c)
		load := func(lo, k int) {
			for v, slot := range varying {
				copy(m.col(slot), draws[v][lo:lo+k])
			}
		}
		sd := shared[keys[r]]
		sd.once.Do(func() {
			sd.rec = &record{draws: make([]drawColumn, len(c.drawBound))}
			for d := range sd.rec.draws {
				sd.rec.draws[d].f64 = make([]float64, n)
			}
			for lo := 0; lo < n; lo += lanes {
				k := min(lanes, n-lo)
				load(lo, k)
				m.seed, m.lo = mc.Seed, lo
				m.exec(c.code[:shares], k)
				recordDraws(m, c.code[:shares], sd.rec, lo, k)
			}
		})
		sc.totals = resize(sc.totals, n)
		for lo := 0; lo < n; lo += lanes {
			k := min(lanes, n-lo)
			load(lo, k)
			m.replay, m.at = sd.rec, lo
			m.exec(c.code, k)
			copy(sc.totals[lo:lo+k], m.col(total))
		}
		m.replay = nil
		sorted := sc.sortValues(sc.totals).vals
		row.P5, row.P50, row.P95 = percentile(sorted, 5), percentile(sorted, 50), percentile(sorted, 95)
	})
	return cancelled(ctx)
}
