package raming

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"raming/scenario"
)

// CompareRequest is one comparison of two scenarios on an Engine's
// extract (Engine.Compare).
type CompareRequest struct {
	// Other is the scenario compared with the engine's, the base (nil:
	// the engine's own, so that OtherSets alone make the other: a
	// what-if without a file).
	Other *scenario.Scenario
	// Sets change both scenarios, as Request.Sets; OtherSets change the
	// other after them.
	Sets, OtherSets []string
	// MC configures the simulation of both, on the same iterations;
	// Iterations 0 compares the deterministic estimates only. Auto is
	// refused: both run the same number of iterations.
	MC MC
}

// ScenarioComparison sets two scenarios side by side on one population:
// both estimated and, with iterations, simulated on common random numbers
// (each iteration's draws are the same in both where the scenarios have
// the same inputs: docs/methodology.md, "Comparing two scenarios"), so
// that the band of their difference shows only what differs.
type ScenarioComparison struct {
	// Base and Other are the two runs, each as Engine.Run returns it.
	Base, Other *Result
	// Differences are the keys whose setting differs (scenario.Diff), in
	// the order of the scenario reference; Structure says where the two
	// differ in a way no key expresses (a variant or case in one only).
	Differences []scenario.Difference
	Structure   []scenario.Structure
	// Method is how each case's point difference is split over the keys,
	// and Note says why there is no split when Method is AttributionNone
	// although keys differ.
	Method AttributionMethod
	Note   string
	// Cases are the cases both scenarios have, in the base's order.
	Cases []CaseComparison
}

// Simulated reports whether the comparison ran the Monte Carlo simulation.
func (c *ScenarioComparison) Simulated() bool { return c.Base.MonteCarlo != nil }

// CaseComparison is one case the two scenarios share.
type CaseComparison struct {
	VariantID, CaseID string
	// Central is true for the base's central case of the variant.
	Central bool
	// Base and Other are the case in each run.
	Base, Other *Case
	// Difference is Other's total minus Base's, exact.
	Difference decimal.Decimal
	// Diff summarises the differences other − base of the iterations'
	// totals, and POtherCheaper is the share of iterations in which the
	// other costs less than the base, an iteration with no difference
	// counted half (so two equal scenarios give 0.5). Both are zero
	// without a simulation.
	Diff          Stats
	POtherCheaper float64
	// Years are the differences per budget year: of the deterministic
	// cash, and of the iterations' cash (the band; zero without a
	// simulation).
	Years []YearDifference
	// Attribution splits Difference over the keys that differ, in whole
	// cents that add up to Difference rounded to the cent (nil when no
	// key differs or there is no split: ScenarioComparison.Method).
	Attribution []Contribution
}

// YearDifference is a case's difference other − base in one budget year.
type YearDifference struct {
	Year int
	// Point is the difference of the deterministic cash (0 where a
	// profile has no such year), exact to the cent.
	Point decimal.Decimal
	// Band is the difference of the iterations' cash in the year.
	Band YearBand
}

// Contribution is a key's share of a case's point difference, in whole
// cents. A key whose distribution alone differs contributes 0: it moves
// the band, not the estimate. Residual marks the part no key explains
// (the scenarios' structure differs in a way that moves the case: see
// ScenarioComparison.Structure); its Key is "".
type Contribution struct {
	Key      string
	Kind     scenario.DiffKind
	Amount   decimal.Decimal
	Residual bool
}

// AttributionMethod is how a comparison splits a case's point difference
// over the keys that differ.
type AttributionMethod uint8

// The methods of attribution.
const (
	// AttributionNone: no key that moves the estimate differs, or the
	// split could not be made (ScenarioComparison.Note).
	AttributionNone AttributionMethod = iota
	// AttributionShapley gives each key its Shapley value: its effect
	// averaged over every order in which the keys could be changed, by a
	// deterministic run of every subset of the keys (at most
	// MaxShapleyKeys keys, 2^k runs). Order-free: two keys with the same
	// effect get the same share.
	AttributionShapley
	// AttributionSequential changes the keys one after another in the
	// order of the scenario reference and gives each the change its step
	// makes (k + 1 runs): the result depends on that order.
	AttributionSequential
)

var attributionText = [...]string{"none", "shapley", "sequential"}

func (m AttributionMethod) String() string { return attributionText[m] }

// MaxShapleyKeys is the most keys that move the estimate a comparison
// attributes by Shapley values (2^10 = 1,024 deterministic runs); beyond,
// it attributes in the scenario reference's order.
const MaxShapleyKeys = 10

// Compare compares two scenarios on the engine's extract (or on each
// scenario's base population without one): the engine's scenario with
// req.Sets (the base) and req.Other with req.Sets and req.OtherSets. With
// iterations, the base is simulated first and the other on the same
// iterations, each iteration's difference of the two taken from the base's
// record (pairWith). The point difference of each case both have is split
// over the keys that differ (attribute).
func (e *Engine) Compare(ctx context.Context, req CompareRequest) (*ScenarioComparison, error) {
	if req.MC.Auto {
		return nil, &ModelError{Msg: "a comparison runs both scenarios on the same iterations: give a number of iterations, not auto"}
	}
	base, err := e.Scenario(req.Sets)
	if err != nil {
		return nil, err
	}
	src := req.Other
	if src == nil {
		src = e.scenario
	}
	other, err := e.scenarioOf(src, append(slices.Clone(req.Sets), req.OtherSets...))
	if err != nil {
		return nil, err
	}
	cmp := &ScenarioComparison{}
	cmp.Differences, cmp.Structure = scenario.Diff(base, other)
	mb, err := e.model(base)
	if err != nil {
		return nil, err
	}
	mo, err := e.model(other)
	if err != nil {
		return nil, err
	}
	var pair *pairing
	if req.MC.Iterations == 0 {
		if cmp.Base, err = mb.estimate(ctx); err != nil {
			return nil, err
		}
		if cmp.Other, err = mo.estimate(ctx); err != nil {
			return nil, err
		}
	} else {
		// Both planned before either draws: the memory limit holds for the
		// two together, and a comparison it refuses is refused at once.
		bp, err := mb.plan(ctx, req.MC, nil)
		if err != nil {
			return nil, err
		}
		op, err := mo.plan(ctx, req.MC, func(res *Result) (*simulator, [][2]int) { return bp.s, sharedCases(bp.res, res) })
		if err != nil {
			return nil, err
		}
		var bs, os *simulator
		if cmp.Base, bs, err = bp.run(ctx); err != nil {
			return nil, err
		}
		bs.store, bs.chunk = nil, nil // the other replays the base from its record only
		if cmp.Other, os, err = op.run(ctx); err != nil {
			return nil, err
		}
		pair = os.pair
	}
	for k, ij := range sharedCases(cmp.Base, cmp.Other) {
		bc, oc := caseAt(cmp.Base, ij[0]), caseAt(cmp.Other, ij[1])
		v := cmp.Base.VariantOf(bc.ID)
		cc := CaseComparison{VariantID: v.ID, CaseID: bc.ID, Central: v.CentralCase == bc.ID, Base: bc, Other: oc,
			Difference: oc.Total.Value.Sub(bc.Total.Value)}
		var out *pairedCase
		if pair != nil {
			out = &pair.out[k]
			cc.Diff, cc.POtherCheaper = out.diff, out.cheaper
		}
		cc.Years = yearDifferences(cmp, bc, oc, pair, out)
		cmp.Cases = append(cmp.Cases, cc)
	}
	if err := e.attribute(ctx, base, other, cmp, max(1, req.MC.Workers)); err != nil {
		return nil, err
	}
	return cmp, nil
}

// model returns the model of a scenario on the engine's extract, run by
// the engine (its caches).
func (e *Engine) model(sc *scenario.Scenario) (*Model, error) {
	m, err := NewModel(sc, e.pop)
	if err != nil {
		return nil, err
	}
	m.engine = e
	return m, nil
}

// sharedCases are the cases both results have (the same variant and case
// id), as indexes into each one's cases in variant order.
func sharedCases(base, other *Result) [][2]int {
	index := map[string]int{}
	j := 0
	for _, v := range other.Variants {
		for _, c := range v.Cases {
			index[v.ID+"\x00"+c.ID] = j
			j++
		}
	}
	var out [][2]int
	i := 0
	for _, v := range base.Variants {
		for _, c := range v.Cases {
			if j, ok := index[v.ID+"\x00"+c.ID]; ok {
				out = append(out, [2]int{i, j})
			}
			i++
		}
	}
	return out
}

// caseAt returns a result's case at index i in variant order.
func caseAt(res *Result, i int) *Case {
	for v := range res.Variants {
		if cs := res.Variants[v].Cases; i < len(cs) {
			return &cs[i]
		} else {
			i -= len(cs)
		}
	}
	panic(fmt.Sprintf("raming: no case %d", i))
}

// yearDifferences lists a case's differences per budget year: every year
// in which either scenario's profile pays, or (simulated) either's band
// does, with the point difference and, when simulated, the band of the
// differences (out).
func yearDifferences(cmp *ScenarioComparison, bc, oc *Case, pair *pairing, out *pairedCase) []YearDifference {
	cash := map[int]decimal.Decimal{}
	var years []int
	add := func(y int) {
		if !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	for sign, c := range []*Case{bc, oc} {
		if c.Profile == nil {
			continue
		}
		for _, y := range c.Profile.Years {
			add(y.Year)
			if sign == 0 {
				cash[y.Year] = cash[y.Year].Sub(y.Cash.Total)
			} else {
				cash[y.Year] = cash[y.Year].Add(y.Cash.Total)
			}
		}
	}
	if pair != nil {
		for i, res := range []*Result{cmp.Base, cmp.Other} {
			id := []*Case{bc, oc}[i].ID
			for _, b := range res.MonteCarlo.Case(id).Years {
				add(b.Year)
			}
		}
	}
	slices.Sort(years)
	var ds []YearDifference
	for _, y := range years {
		d := YearDifference{Year: y, Point: cash[y]}
		if out != nil {
			if i := y - pair.first; i >= 0 && i < len(out.years) {
				d.Band = out.years[i]
			}
		}
		ds = append(ds, d)
	}
	return ds
}

// scenarioOf is Scenario for another scenario than the engine's: src
// with sets applied (after its own), validated; src itself when sets is
// empty.
func (e *Engine) scenarioOf(src *scenario.Scenario, sets []string) (*scenario.Scenario, error) {
	if len(sets) == 0 {
		return src, nil
	}
	sc, err := scenario.Parse(src.Text, src.Origin)
	if err != nil {
		return nil, fmt.Errorf("the scenario %s no longer parses: %w", src.Origin, err)
	}
	apply := func(kv string) error {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("--set %q: write KEY=VALUE, e.g. --set b.threshold=soft", kv)
		}
		return sc.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	for _, kv := range src.Settings { // the scenario's own changes, then the request's
		if err := apply(kv); err != nil {
			return nil, fmt.Errorf("the scenario %s: %w", src.Origin, err)
		}
	}
	for _, kv := range sets {
		if err := apply(kv); err != nil {
			return nil, &SetError{err}
		}
	}
	if err := sc.Revalidate(); err != nil {
		return nil, &SetError{err}
	}
	if e.pop == nil {
		for _, key := range sc.Changed {
			k, isB := strings.CutPrefix(key, "b.")
			if op, ok := scenario.OptionByKey(k); ok && isB && !op.Aggregate {
				return nil, &SetError{fmt.Errorf("--set %s: this option of B acts record by record and needs an extract (--population); without one, B's cases are the deck's average shares: change those instead (B-33%%.years_together, B.base_amount)", key)}
			}
		}
	}
	return sc, nil
}
