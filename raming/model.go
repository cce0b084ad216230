package raming

import (
	"fmt"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

// Estimate computes variants A–E for a scenario, deterministically and in
// exact decimals. With pop nil the funnel starts from the scenario's base
// population and the scenario's rounding applies; with an extract the funnel
// counts its rows (known values are facts, unknown ones take the scenario's
// share) and no rounding applies.
func Estimate(sc *scenario.Scenario, pop *input.Population) (*Result, error) {
	if sc == nil {
		return nil, fmt.Errorf("no scenario given")
	}
	m := &model{sc: sc, values: map[string]*Expr{}, res: &Result{Scenario: sc}}
	for _, e := range sc.Entries() {
		m.values[e.ID] = leaf(e.ID, e.Value)
	}
	if pop == nil {
		m.funnelFromScenario()
	} else {
		m.funnelFromExtract(pop)
	}
	m.res.counts = m.counts
	variantB := m.variantB()
	if pop != nil {
		b, err := evaluateB(sc, pop.Records, false)
		if err != nil {
			return nil, err
		}
		m.res.B = b
		variantB.Cases = []Case{m.caseB(b)}
	}
	m.res.Variants = []Variant{m.variantA(), variantB, m.variantC(), m.variantD(), m.variantE()}
	execution := map[string]scenario.Assumption{"A": sc.A.ExecutionCost, "B": sc.B.ExecutionCost,
		"C": sc.C.ExecutionCost, "D": sc.D.ExecutionCost, "E": sc.E.ExecutionCost}
	central := map[string]string{"A": sc.A.CentralCase, "B": sc.B.CentralCase, "C": sc.C.CentralCase,
		"D": sc.D.CentralCase, "E": sc.E.CentralCase}
	for i := range m.res.Variants {
		v := &m.res.Variants[i]
		v.CentralCase = v.Cases[0].ID
		for _, c := range v.Cases {
			if c.ID == central[v.ID] {
				v.CentralCase = c.ID // with an extract B's cases differ: the first one then
			}
		}
		var exec *Expr
		switch {
		case v.ID == "B" && m.res.B != nil:
			exec = leaf("", m.res.B.ExecutionCost) // the options' execution costs
		case execution[v.ID].Given():
			exec = m.a(v.ID + ".execution_cost")
		}
		for j := range v.Cases {
			c := &v.Cases[j]
			c.Profile = m.phase(c, exec)
			if j == 0 || c.Total.Value.LessThan(v.TotalLow) {
				v.TotalLow = c.Total.Value
			}
			if j == 0 || c.Total.Value.GreaterThan(v.TotalHigh) {
				v.TotalHigh = c.Total.Value
			}
		}
	}
	return m.res, nil
}

// model holds the state of one Estimate.
type model struct {
	sc     *scenario.Scenario
	values map[string]*Expr // assumptions by Entry.ID
	qs     map[string]*Quantity
	res    *Result
	// fromExtract is true when the funnel was counted on an extract; the
	// scenario's rounding then does not apply.
	fromExtract bool
	// counts are the extract's counts (nil without an extract).
	counts *extractCounts
	// hardship computes variant C's population for a hardship share, from
	// the scenario or from the extract.
	hardship func(caseID string, share *Expr) *Expr
}

// a returns the leaf of the assumption with the given Entry.ID.
func (m *model) a(id string) *Expr {
	e, ok := m.values[id]
	if !ok {
		panic("raming: no assumption " + id) // a programming error: IDs come from the scenario's own types
	}
	return e
}

// quantity names a derived figure, applies the scenario's rounding to it
// (not on an extract), and returns a reference to it.
func (m *model) quantity(id, label string, unit scenario.Unit, exact *Expr) *Expr {
	q := &Quantity{ID: id, Label: label, Unit: unit, Exact: exact}
	if r, ok := m.sc.Rounding[id]; ok && !m.fromExtract {
		q.Rounded = &r
	}
	if m.qs == nil {
		m.qs = map[string]*Quantity{}
	}
	m.qs[id] = q
	m.res.Quantities = append(m.res.Quantities, q)
	return ref(q)
}

// q returns a reference to a quantity computed earlier.
func (m *model) q(id string) *Expr { return ref(m.qs[id]) }

var one = decimal.NewFromInt(1)

func constant(v int64) *Expr { return leaf("", decimal.NewFromInt(v)) }

// funnelFromScenario applies the funnel's shares to the base population.
//
//	base      = base_population × (1 + report_growth)
//	remaining = base × (1 − restored_share)
//	affected  = remaining × affected_share
//	damage    = remaining × affected_share × together_share
//	hardship  = remaining × affected_share × hardship_share   (variant C)
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", Populatie.
func (m *model) funnelFromScenario() {
	m.res.Population.Source = "scenario"
	base := m.quantity("funnel.base", "Ex-toeslagpartners (meldpopulatie)", scenario.Persons,
		mul(m.a("funnel.base_population"), add(constant(1), m.a("funnel.report_growth"))))
	remaining := m.quantity("funnel.remaining", "Nog niet hersteld als aanvrager", scenario.Persons,
		mul(base, sub(constant(1), m.a("funnel.restored_share"))))
	m.quantity("funnel.affected", "Gedupeerd", scenario.Persons, mul(remaining, m.a("funnel.affected_share")))
	// The deck multiplies the whole chain (11k × 95% × 75% × 50%), so a
	// rounded step does not feed the next one.
	m.quantity("funnel.damage", "Aannemelijke schade (1+ jaar samen)", scenario.Persons,
		mul(remaining, m.a("funnel.affected_share"), m.a("funnel.together_share")))
	m.hardship = func(_ string, share *Expr) *Expr { return mul(remaining, m.a("funnel.affected_share"), share) }
	for _, id := range []string{"funnel.base", "funnel.remaining", "funnel.affected", "funnel.damage"} {
		m.res.Population.Funnel = append(m.res.Population.Funnel, FunnelStep{Quantity: m.qs[id]})
	}
}
