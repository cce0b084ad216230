package raming

import (
	"fmt"
	"slices"

	"raming/input"
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
// scenario's share) and no rounding applies.
func Estimate(sc *scenario.Scenario, pop *input.Population) (*Result, error) {
	m, err := NewModel(sc, pop)
	if err != nil {
		return nil, err
	}
	return m.Estimate()
}

// Estimate computes every variant of the model.
func (m *Model) Estimate() (*Result, error) {
	b := newBuilder(m.Scenario, m.Population)
	seen := map[string]bool{}
	for _, vm := range m.Variants {
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
				c.Execution = b.Assumption(vm.ID + ".execution_cost")
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
	return b.res, nil
}

// Builder hands a variant's formula the funnel's quantities and the
// scenario's assumptions as expressions, and names the quantities it
// derives. One Builder serves one Estimate.
type Builder struct {
	sc     *scenario.Scenario
	values map[string]*Expr // assumptions by Entry.ID
	qs     map[string]*Quantity
	res    *Result
	// pop is the extract (nil without one); counts are its funnel counts.
	pop    *input.Population
	counts *extractCounts
	// hardship computes variant C's population for a hardship share (and
	// the lowest threshold's share it nests in), from the scenario or from
	// the extract.
	hardship func(share, lowest *Expr) *Expr
}

func newBuilder(sc *scenario.Scenario, pop *input.Population) *Builder {
	b := &Builder{sc: sc, values: map[string]*Expr{}, qs: map[string]*Quantity{}, pop: pop,
		res: &Result{Scenario: sc, Population: Population{Extract: pop != nil}}}
	for _, e := range sc.Entries() {
		b.values[e.ID] = leaf(e.ID, e.Value)
	}
	if pop == nil {
		b.funnelFromScenario()
	} else {
		b.funnelFromExtract(pop)
	}
	b.res.counts = b.counts
	return b
}

// Assumption returns the leaf of the assumption with the given ID
// (scenario.Entry.ID, e.g. "A.cws_appeal_share"). An unknown ID is a
// programming error in a formula: it panics.
func (b *Builder) Assumption(id string) *Expr {
	e, ok := b.values[id]
	if !ok {
		panic("raming: no assumption " + id)
	}
	return e
}

// Quantity returns a reference to a quantity derived earlier, such as the
// funnel's "funnel.damage" (those with plausible damage) or
// "funnel.affected". An unknown ID panics, as in Assumption.
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
	base := b.Define("funnel.base", "Ex-toeslagpartners (meldpopulatie)", scenario.Persons,
		Mul(b.Assumption("funnel.base_population"), Add(Count(1), b.Assumption("funnel.report_growth"))))
	remaining := b.Define("funnel.remaining", "Nog niet hersteld als aanvrager", scenario.Persons,
		Mul(base, Sub(Count(1), b.Assumption("funnel.restored_share"))))
	b.Define("funnel.affected", "Gedupeerd", scenario.Persons, Mul(remaining, b.Assumption("funnel.affected_share")))
	// The deck multiplies the whole chain (11k × 95% × 75% × 50%), so a
	// rounded step does not feed the next one.
	b.Define("funnel.damage", "Aannemelijke schade (1+ jaar samen)", scenario.Persons,
		Mul(remaining, b.Assumption("funnel.affected_share"), b.Assumption("funnel.together_share")))
	b.hardship = func(share, _ *Expr) *Expr { return Mul(remaining, b.Assumption("funnel.affected_share"), share) }
	for _, id := range []string{"funnel.base", "funnel.remaining", "funnel.affected", "funnel.damage"} {
		b.res.Population.Funnel = append(b.res.Population.Funnel, FunnelStep{Quantity: b.qs[id]})
	}
}
