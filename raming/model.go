package raming

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"raming/input"
	"raming/internal/suggest"
	"raming/scenario"
)

// Model is what an estimate computes: the variants of a scenario, each
// with the formula of its cost, on a population extract (nil: the
// scenario's base population).
type Model struct {
	Scenario   *scenario.Scenario
	Population *input.Population
	// Variants are computed in this order. NewModel gives the scenario's
	// variants with their built-in formulas; a caller may add its own.
	Variants []VariantModel

	// engine, when the model is an Engine's run, lends its caches.
	engine *Engine
}

// VariantModel is one variant of a Model: its header (name, central case,
// deck range, execution cost) and the formula of its cases.
type VariantModel struct {
	scenario.Header
	// Cases computes the variant's cases from the funnel and the
	// assumptions, which the Builder hands out as expressions. A case
	// whose Execution is nil gets the header's execution cost, if any.
	Cases func(b *Builder) ([]Case, error)
}

// NewModel returns the model of a scenario's variants with their built-in
// formulas (raming/variants.go).
func NewModel(sc *scenario.Scenario, pop *input.Population) (*Model, error) {
	if sc == nil {
		return nil, fmt.Errorf("no scenario given")
	}
	m := &Model{Scenario: sc, Population: pop}
	for _, v := range sc.Variants() {
		f, err := formula(v)
		if err != nil {
			return nil, err
		}
		m.Variants = append(m.Variants, VariantModel{Header: *v.Head(), Cases: f})
	}
	return m, nil
}

// Estimate computes the scenario's variants deterministically, in exact
// decimals. With pop nil the funnel starts from the scenario's base
// population and the scenario's rounding applies; with an extract the
// funnel counts its rows (known values are facts, unknown ones take the
// scenario's share) and no rounding applies. It is an Engine's run
// without changes or Monte Carlo.
func Estimate(sc *scenario.Scenario, pop *input.Population) (*Result, error) {
	e, err := NewEngine(sc, pop)
	if err != nil {
		return nil, err
	}
	return e.Run(context.Background(), Request{})
}

// Estimate computes every variant of the model.
func (m *Model) Estimate() (*Result, error) { return m.estimate(context.Background()) }

// estimate computes every variant of the model, or stops with the cause
// of ctx's end.
func (m *Model) estimate(ctx context.Context) (*Result, error) {
	b := newBuilder(m.Scenario, m.Population)
	b.engine = m.engine
	seen := map[string]bool{}
	for _, vm := range m.Variants {
		if err := cancelled(ctx); err != nil {
			return nil, err
		}
		if vm.ID == "" || seen[vm.ID] {
			return nil, fmt.Errorf("variant %q: every variant needs its own id", vm.ID)
		}
		seen[vm.ID] = true
		cases, err := vm.Cases(b)
		if err != nil {
			return nil, err
		}
		if len(cases) == 0 {
			return nil, fmt.Errorf("variant %s has no cases", vm.ID)
		}
		v := Variant{Header: vm.Header, Cases: cases}
		v.CentralCase = cases[0].ID
		for j := range v.Cases {
			c := &v.Cases[j]
			if c.ID == vm.CentralCase {
				v.CentralCase = c.ID // with an extract B's cases differ: the first one then
			}
			if c.Execution == nil && vm.ExecutionCost.Given() {
				c.Execution = b.execution(&vm)
			}
			if c.Profile, err = b.phase(c); err != nil {
				return nil, err
			}
			if j == 0 || c.Total.Value.LessThan(v.TotalLow) {
				v.TotalLow = c.Total.Value
			}
			if j == 0 || c.Total.Value.GreaterThan(v.TotalHigh) {
				v.TotalHigh = c.Total.Value
			}
		}
		b.res.Variants = append(b.res.Variants, v)
	}
	if err := m.checkRounding(b); err != nil {
		return nil, err
	}
	return b.res, nil
}

// checkRounding refuses a [rounding] key of the scenario that names no
// quantity the model computes on the scenario's base population (where
// the rounding applies; on an extract the model is built there once more to
// know them), with the nearest name. The quantities are defined here, by
// the variants' formulas, so only the model can tell.
func (m *Model) checkRounding(b *Builder) error {
	sc := m.Scenario
	if len(sc.Rounding) == 0 {
		return nil
	}
	if b.pop != nil {
		b = newBuilder(sc, nil)
		for _, vm := range m.Variants {
			if _, err := vm.Cases(b); err != nil {
				return err
			}
		}
	}
	var ids []string
	for _, q := range b.res.Quantities {
		ids = append(ids, q.ID)
	}
	e := &scenario.Error{File: sc.Origin}
	for _, k := range slices.Sorted(maps.Keys(sc.Rounding)) {
		if _, ok := b.qs[k]; !ok {
			e.Problems = append(e.Problems, scenario.Problem{Key: "rounding." + k,
				Msg: fmt.Sprintf("no quantity %q%s; a rounding may replace any quantity of the workbook's sheet Populatie: %s",
					k, suggest.DidYouMean(k, ids), strings.Join(ids, ", "))})
		}
	}
	if len(e.Problems) > 0 {
		return e
	}
	return nil
}

// Builder hands a variant's formula the funnel's quantities and the
// scenario's assumptions as expressions, and names the quantities it
// derives. One Builder serves one Estimate.
type Builder struct {
	sc     *scenario.Scenario
	values assumptions
	qs     map[string]*Quantity
	res    *Result
	// pop is the extract (nil without one).
	pop *input.Population
	// hardship computes variant C's population for a hardship share (and
	// the lowest threshold's share it nests in), from the scenario or from
	// the extract.
	hardship func(share, lowest *Expr) *Expr
	// helpedEarly is, on an extract whose scenario counts them
	// (Funnel.RefusedHelpers), the expected number of affected ex-partners
	// who left early but helped pay (bFacts.helped), each hardship answer
	// weighted by admit's chance that a variant admits it (variant C) or
	// all (admit nil); nil otherwise.
	helpedEarly func(admit func(h input.Answer) *Expr) *Expr
	// engine, if not nil, caches variant B per record.
	engine *Engine
}

func newBuilder(sc *scenario.Scenario, pop *input.Population) *Builder {
	b := &Builder{sc: sc, values: newAssumptions(sc), qs: map[string]*Quantity{}, pop: pop,
		res: &Result{Scenario: sc, Population: Population{Extract: pop != nil}}}
	if pop == nil {
		b.funnelFromScenario()
	} else {
		b.funnelFromExtract(pop)
	}
	return b
}

// assumptions are a scenario's assumptions as leaves, by the address of
// their field in the scenario.
type assumptions map[*scenario.Assumption]*Expr

func newAssumptions(sc *scenario.Scenario) assumptions {
	as := assumptions{}
	for _, e := range sc.Entries() {
		as[e.Assumption] = leaf(e.ID, e.Value)
	}
	return as
}

// Value returns the leaf of the scenario's assumption a, given as the
// address of its field (&sc.Funnel.AffectedShare). An address that is not
// a field of the scenario (a copy of it) is a programming error: it panics.
func (as assumptions) Value(a *scenario.Assumption) *Expr {
	e, ok := as[a]
	if !ok {
		panic(fmt.Sprintf("raming: no assumption of the scenario at this address (%q): give the scenario's own field, not a copy", a.Description))
	}
	return e
}

// Value returns the leaf of the scenario's assumption a, given by its
// field: b.Value(&sc.Funnel.AffectedShare), b.Value(&v.CWSAppealShare).
// The field must be the scenario's own (not a copy); it panics otherwise.
func (b *Builder) Value(a *scenario.Assumption) *Expr { return b.values.Value(a) }

// execution is the execution cost of a variant from its header: the
// scenario's assumption, or the header's figure for a variant the scenario
// does not have (one a caller added to the Model).
func (b *Builder) execution(vm *VariantModel) *Expr {
	for _, v := range b.sc.Variants() {
		if h := v.Head(); h.ID == vm.ID {
			return b.Value(&h.ExecutionCost)
		}
	}
	return Amount(vm.ExecutionCost.Value)
}

// The quantities of the funnel, for Builder.Quantity.
const (
	QuantityBase      = "funnel.base"      // the reporting population
	QuantityRemaining = "funnel.remaining" // not yet restored as applicant
	QuantityAffected  = "funnel.affected"  // affected
	QuantityDamage    = "funnel.damage"    // with plausible damage (together 1+ year)
	// QuantityRefusedHelped, on an extract whose scenario counts them, are
	// the affected who left early but helped pay (bFacts.helped).
	QuantityRefusedHelped = "funnel.refused_helped"
)

// Quantity returns a reference to a quantity derived earlier, such as the
// funnel's QuantityDamage (those with plausible damage). An unknown ID is a
// programming error: it panics with the ID.
func (b *Builder) Quantity(id string) *Expr {
	q, ok := b.qs[id]
	if !ok {
		panic("raming: no quantity " + id)
	}
	return ref(q)
}

// Define names a derived figure, applies the scenario's rounding to it (not
// on an extract), and returns a reference to it. The workbook shows every
// quantity on the sheet Populatie.
func (b *Builder) Define(id, label string, unit scenario.Unit, exact *Expr) *Expr {
	q := &Quantity{ID: id, Label: label, Unit: unit, Exact: exact}
	if r, ok := b.sc.Rounding[id]; ok && b.pop == nil {
		if changed := b.changedLeaf(exact); changed != "" {
			b.res.Warnings = append(b.res.Warnings, fmt.Sprintf("%s: the deck's rounding (%s) does not apply: %s was changed with --set, so the figure is computed exactly",
				id, r.DeckText, changed))
		} else {
			q.Rounded = &r
		}
	}
	if _, dup := b.qs[id]; dup {
		panic("raming: quantity " + id + " defined twice") // scenario validation keeps ids apart
	}
	b.qs[id] = q
	b.res.Quantities = append(b.res.Quantities, q)
	return ref(q)
}

// changedLeaf returns an assumption that e depends on and that --set
// changed ("" if none): the deck's rounding then no longer applies.
func (b *Builder) changedLeaf(e *Expr) string {
	switch e.Op {
	case OpValue:
		if e.Name != "" && slices.Contains(b.sc.Changed, e.Name) { // the value itself, not its interval
			return e.Name
		}
	case OpRef:
		return b.changedLeaf(b.qs[e.Name].Exact)
	}
	for _, a := range e.Args {
		if c := b.changedLeaf(a); c != "" {
			return c
		}
	}
	return ""
}

// FromExtract reports whether the funnel was counted on an extract.
func (b *Builder) FromExtract() bool { return b.pop != nil }

// NewCase makes a case laid out as the deck's raming table: total = scheme + cws.
func NewCase(h scenario.CaseHeader, population, cwsPopulation, scheme, cws *Expr) Case {
	return Case{ID: h.ID, Label: h.Label, Deck: h.Deck, Population: population, CWSPopulation: cwsPopulation,
		Scheme: scheme, CWS: cws, Total: Add(scheme, cws)}
}

// funnelFromScenario applies the funnel's shares to the base population.
//
//	base      = base_population × (1 + report_growth)
//	remaining = base × (1 − restored_share)
//	affected  = remaining × affected_share
//	damage    = remaining × affected_share × together_share
//	hardship  = remaining × affected_share × hardship_share   (variant C)
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", Populatie.
func (b *Builder) funnelFromScenario() {
	f := &b.sc.Funnel
	base := b.Define(QuantityBase, "Ex-toeslagpartners (meldpopulatie)", scenario.Persons,
		Mul(b.Value(&f.BasePopulation), Add(Count(1), b.Value(&f.ReportGrowth))))
	remaining := b.Define(QuantityRemaining, "Nog niet hersteld als aanvrager", scenario.Persons,
		Mul(base, Sub(Count(1), b.Value(&f.RestoredShare))))
	b.Define(QuantityAffected, "Gedupeerd", scenario.Persons, Mul(remaining, b.Value(&f.AffectedShare)))
	// The deck multiplies the whole chain (11k × 95% × 75% × 50%), so a
	// rounded step does not feed the next one.
	b.Define(QuantityDamage, "Aannemelijke schade (1+ jaar samen)", scenario.Persons,
		Mul(remaining, b.Value(&f.AffectedShare), b.Value(&f.TogetherShare)))
	b.hardship = func(share, _ *Expr) *Expr { return Mul(remaining, b.Value(&f.AffectedShare), share) }
	for _, id := range []string{QuantityBase, QuantityRemaining, QuantityAffected, QuantityDamage} {
		b.res.Population.Funnel = append(b.res.Population.Funnel, FunnelStep{Quantity: b.qs[id]})
	}
}
