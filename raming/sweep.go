package raming

import (
	"math/rand/v2"
	"slices"

	"github.com/shopspring/decimal"

	"raming/input"
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
	// P5, P50 and P95 of Total over a simulation's draws (SweepBands); zero
	// without one.
	P5, P50, P95 float64

	// sums are the row's records summed by weight group, for SweepBands.
	sums bSums
}

// OptionGrid returns every combination of the named values of B's options
// (scenario.Options), in the table's order with the first option varying
// slowest, starting from base for everything else.
func OptionGrid(base scenario.BOptions) []scenario.BOptions {
	grid := []scenario.BOptions{base}
	for _, op := range scenario.Options {
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

// pointValues gives expressions the scenario's assumptions at their point
// values and names no quantities: the sweep's exprEnv.
type pointValues map[string]*Expr

func (p pointValues) Assumption(id string) *Expr {
	e, ok := p[id]
	if !ok {
		panic("raming: no assumption " + id)
	}
	return e
}

func (pointValues) Define(_, _ string, _ scenario.Unit, exact *Expr) *Expr { return exact }

// Sweep evaluates variant B per record under every combination of its
// options (OptionGrid: 7,776 combinations) on an extract, with the
// scenario's point values. It shares the per-record rules of Estimate
// (factsFor, access, entitlement, settle) and the case expression
// (newBCase), and computes each stage once for the options it depends on:
// facts per reference date, entitlements per combination of the options
// up to StageAmount, sums per StageSettle, and the case per route.
func Sweep(sc *scenario.Scenario, pop *input.Population, workers int) ([]SweepRow, error) {
	if pop == nil || len(pop.Records) == 0 {
		return nil, &ModelError{Msg: "the sweep evaluates variant B per record and needs a population extract (--population)"}
	}
	v := sc.B
	if v == nil {
		return nil, &ModelError{Msg: "the scenario has no variant B to sweep"}
	}
	env := pointValues{}
	for _, e := range sc.Entries() {
		env[e.ID] = leaf(e.ID, e.Value)
	}
	grid := OptionGrid(v.Options)
	p0 := newBParams(v)
	facts := map[string][]bFacts{}
	avg := map[string]decimal.Decimal{}
	for _, o := range grid {
		k := o.Peildatum.String()
		if _, ok := facts[k]; ok {
			continue
		}
		fs := make([]bFacts, len(pop.Records))
		for i := range pop.Records {
			fs[i] = factsFor(&pop.Records[i], o.Peildatum, p0.pending, p0.unknownShare)
		}
		facts[k], avg[k] = fs, averageSpan(fs, v)
	}
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
	var jobs []func()
	weights := groupWeights(sc)
	for i, block := range blocks {
		jobs = append(jobs, func() {
			k := block[0].Peildatum.String()
			rows[i] = sweepBlock(env, v, block, facts[k], avg[k], p0, weights)
		})
	}
	parallel(workers, jobs)
	var out []SweepRow
	for _, r := range rows {
		out = append(out, r...)
	}
	return out, nil
}

// sweepBlock evaluates the combinations of one block: the same options up
// to StageAmount, the later stages varying.
func sweepBlock(env pointValues, v *scenario.VariantB, block []scenario.BOptions, facts []bFacts, average decimal.Decimal,
	p bParams, weights [numGroups]float64) []SweepRow {
	p.averageYears = average
	type ent struct {
		ok, refused, step bool
		group             int
		amount, extra     int64
	}
	o0 := block[0]
	ents := make([]ent, len(facts))
	for i := range facts {
		f := &facts[i]
		if f.excluded != "" {
			continue
		}
		group, step, _, ok := f.access(&o0, p.minContribution)
		if !ok {
			ents[i] = ent{refused: true, group: group}
			continue
		}
		if _, amount, extra, why := entitlement(f, &o0, &p); why == "" {
			ents[i] = ent{ok: true, step: step, group: group, amount: amount, extra: extra}
		}
	}
	damage := cents(v.CWSAverageDamage.Value)
	var rows []SweepRow
	var sums bSums
	var stats BOutcome
	for j, o := range block {
		if j == 0 || upTo(&o, scenario.StageSettle) != upTo(&block[j-1], scenario.StageSettle) {
			sums = bSums{}
			var amounts, ws []float64
			for i, e := range ents {
				if e.refused {
					sums[e.group].noAccess++
				}
				if !e.ok {
					continue
				}
				paid, applicant, compensation := settle(facts[i].rec, &o, p.lumpSum, e.amount, e.extra)
				sums.add(e.group, paid, applicant, compensation, damage, e.step)
				amounts = append(amounts, float64(paid)/100)
				ws = append(ws, weights[e.group])
			}
			stats = BOutcome{}
			stats.summarise(amounts, ws, float64(p.low)/100)
		}
		x := newBCase(env, v, o, &sums, func(g int) *Expr { return expectedShare(env, g) })
		row := SweepRow{Options: o, Access: stats.Access, MeanAmount: stats.MeanAmount, MedianAmount: stats.MedianAmount,
			P10Amount: stats.P10Amount, P90Amount: stats.P90Amount, BelowLowAmount: stats.BelowLowAmount,
			Scheme: x.Paid.Value, Applicant: x.Applicant.Value, CWS: x.CWS.Value, Execution: x.Execution.Value, sums: sums}
		if x.UHTStep != nil {
			row.Scheme = row.Scheme.Add(x.UHTStep.Value)
		}
		row.Total = x.Scheme.Value.Add(x.CWS.Value)
		rows = append(rows, row)
	}
	return rows
}

// SweepBands adds to every row the P5, P50 and P95 of its total over mc's
// iterations. Each iteration draws the scenario's uncertain assumptions
// (among them the shares that unknown values take and B's CWS appeal share
// and damage) once for all rows, and then, as the simulation does, the
// share of each weight group with access binomially from the row's own
// records, with the same random stream for every row (common random
// numbers), so the rows can be compared. Each row's total is its case
// expression (newBCase) compiled to float64.
func SweepBands(sc *scenario.Scenario, rows []SweepRow, mc MC) error {
	in, err := newInputSampler(sc)
	if err != nil {
		return err
	}
	v := sc.B
	// Slots for the weight groups' shares, filled per row and iteration.
	shareSlot := [numGroups]int{}
	for g := 1; g < numGroups; g++ {
		shareSlot[g] = len(in.point)
		in.slot[groupShareID(v.ID, g)] = shareSlot[g]
		in.point = append(in.point, 0)
	}
	env := pointValues{}
	for _, e := range sc.Entries() {
		env[e.ID] = leaf(e.ID, e.Value)
	}
	// Per iteration: the assumptions' draws and the random stream after them.
	vs := make([][]float64, mc.Iterations)
	streams := make([]rand.PCG, mc.Iterations)
	var jobs []func()
	workers := max(1, mc.Workers)
	for w := 0; w < workers; w++ {
		jobs = append(jobs, func() {
			for i := w; i < len(vs); i += workers {
				pcg := rand.NewPCG(mc.Seed, uint64(i))
				x := make([]float64, len(in.point))
				in.draw(rand.New(pcg), x, -1)
				vs[i], streams[i] = x, *pcg
			}
		})
	}
	parallel(workers, jobs)
	pa, pt := in.slot["funnel.affected_share"], in.slot["funnel.together_share"]
	jobs = jobs[:0]
	for r := range rows {
		jobs = append(jobs, func() {
			row := &rows[r]
			share := func(g int) *Expr { return leaf(groupShareID(v.ID, g), expectedShare(env, g).Value) }
			x := newBCase(env, v, row.Options, &row.sums, share)
			prog := in.compile(Add(x.Scheme, x.CWS))
			totals := make([]float64, len(vs))
			val := make([]float64, len(in.point))
			for i := range vs {
				copy(val, vs[i])
				pcg := streams[i]
				rnd := rand.New(&pcg)
				for g := 1; g < numGroups; g++ {
					n := float64(row.sums[g].n + row.sums[g].noAccess)
					if n == 0 {
						continue
					}
					k := n
					if g&groupAffectedShare != 0 {
						k = binomial(rnd, k, val[pa])
					}
					if g&groupTogetherShare != 0 {
						k = binomial(rnd, k, val[pt])
					}
					val[shareSlot[g]] = k / n
				}
				totals[i] = prog(val)
			}
			slices.Sort(totals)
			row.P5, row.P50, row.P95 = percentile(totals, 5), percentile(totals, 50), percentile(totals, 95)
		})
	}
	parallel(workers, jobs)
	return nil
}
