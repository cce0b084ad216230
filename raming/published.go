package raming

import (
	"fmt"

	"github.com/shopspring/decimal"

	"raming/published"
)

// PublishedComparison sets one published figure beside the tool's figure
// of the same scope (published.Comparison), for one case: the case that
// models the scheme as adopted.
type PublishedComparison struct {
	Figure published.Figure
	// Known is false when the tool has no figure of the figure's scope
	// (published.ContextOnly).
	Known bool
	// Estimate is the tool's figure in euros or persons: for
	// TotalWithExcluded the sum of the parts the tool estimates.
	Estimate decimal.Decimal
	// Difference is Estimate minus the published figure (both in euros or
	// persons); InRange says whether Estimate lies within the source's
	// range (false when it gives none).
	Difference decimal.Decimal
	InRange    bool
	// Parts are, for TotalWithExcluded, the components a reservation of
	// every component covers: those the tool estimates and those it does
	// not (Known false), each named.
	Parts []ComparisonPart
	// Band is the Monte Carlo P5, P50 and P95 of the same scope, when the
	// run simulated and the scope has a simulated figure.
	Band *[3]float64
}

// ComparisonPart is one component of a total with what the tool leaves out.
type ComparisonPart struct {
	Label string // Dutch, as the sheet shows it
	Known bool   // false: the tool does not estimate it ("niet geraamd")
	Value decimal.Decimal
}

// Published is a set of published figures beside the case that models the
// scheme as adopted.
type Published struct {
	Set               *published.Set
	VariantID, CaseID string
	Comparisons       []PublishedComparison
}

// SetPublished compares set with res's case caseID (default: variant W's
// central case; PublishedCase) and keeps the comparison in res.Published.
func SetPublished(res *Result, set *published.Set, caseID string) error {
	v, c, err := PublishedCase(res, caseID)
	if err != nil {
		return err
	}
	res.Published = &Published{Set: set, VariantID: v.ID, CaseID: c.ID, Comparisons: ComparePublished(res, set, c)}
	return nil
}

// PublishedCase returns the case that published figures are compared with:
// caseID when given, else the central case of variant W (the scheme as
// adopted). It is an error when neither exists.
func PublishedCase(res *Result, caseID string) (*Variant, *Case, error) {
	for i := range res.Variants {
		v := &res.Variants[i]
		for j := range v.Cases {
			c := &v.Cases[j]
			if c.ID == caseID || caseID == "" && v.ID == "W" && c.ID == v.CentralCase {
				return v, c, nil
			}
		}
	}
	if caseID != "" {
		return nil, nil, &ModelError{Msg: fmt.Sprintf("case %q: no such case to set beside the published figures", caseID)}
	}
	return nil, nil, &ModelError{Msg: "the published figures are set beside the scheme as adopted, variant W, which this scenario does not have: run the built-in scenario wet-2023, or name a case"}
}

// ComparePublished sets every figure of set beside the case's figure of
// the same scope:
//
//   - cash_year: the case's cash ("Uitgaven": scheme plus CWS, excl.
//     uitvoering) in the figure's year, 0 in a year outside its profile;
//   - scheme_total: the case's scheme payments ("Kosten van regeling");
//   - total_with_excluded: the case's total plus its execution costs,
//     with the debt approach and the municipalities' support named as
//     parts the tool does not estimate;
//   - population: the case's population with access;
//   - context: no figure.
//
// Source: docs/backtest.md, "Scope".
func ComparePublished(res *Result, set *published.Set, c *Case) []PublishedComparison {
	var sim *CaseSim
	if res.MonteCarlo != nil {
		sim = res.MonteCarlo.Case(c.ID)
	}
	band := func(s Stats) *[3]float64 { return &[3]float64{s.At(5), s.At(50), s.At(95)} }
	var out []PublishedComparison
	for _, f := range set.Figures {
		pc := PublishedComparison{Figure: f, Known: true}
		switch f.Compare {
		case published.CashYear:
			for _, y := range c.Profile.Years {
				if y.Year == f.Year {
					pc.Estimate = y.Cash.Total
				}
			}
			if sim != nil {
				var b [3]float64 // 0 in a year outside the simulated years
				for _, yb := range sim.Years {
					if yb.Year == f.Year {
						b = [3]float64{yb.At(5), yb.At(50), yb.At(95)}
					}
				}
				pc.Band = &b
			}
		case published.SchemeTotal:
			pc.Estimate = c.Scheme.Value
			if sim != nil {
				pc.Band = band(sim.SchemeStats)
			}
		case published.TotalWithExcluded:
			pc.Parts = []ComparisonPart{{Label: "Raming: totale kosten (forfaitaire bedragen en aanvullende schade)", Known: true, Value: c.Total.Value}}
			exec := ComparisonPart{Label: "Uitvoeringskosten", Known: c.Profile.ExecutionKnown, Value: c.Profile.Execution}
			pc.Parts = append(pc.Parts, exec,
				ComparisonPart{Label: "Schuldenaanpak (publieke schulden kwijtschelden, private schulden overnemen)"},
				ComparisonPart{Label: "Brede ondersteuning door gemeenten"})
			for _, p := range pc.Parts {
				if p.Known {
					pc.Estimate = pc.Estimate.Add(p.Value)
				}
			}
			if sim != nil {
				b := band(sim.TotalStats)
				for i := range b {
					b[i] += exec.Value.InexactFloat64()
				}
				pc.Band = b
			}
		case published.Population:
			pc.Estimate = c.Population.Value
			pc.Parts = reachParts(res, c)
		default:
			pc.Known = false
		}
		if pc.Known {
			pc.Difference = pc.Estimate.Sub(f.BaseValue())
			if lo, hi, ok := f.BaseRange(); ok {
				pc.InRange = !pc.Estimate.LessThan(lo) && !pc.Estimate.GreaterThan(hi)
			}
		}
		out = append(out, pc)
	}
	return out
}

// reachParts splits the population with access of a case whose access has
// the law's two routes (variant W with own_children_share): those
// together a year after the problems began (route b, the funnel's damage)
// and those admitted through their own children (route a, the tool's
// assumption), so the sheet shows the reach with and without route a. A
// case with one route has no parts.
func reachParts(res *Result, c *Case) []ComparisonPart {
	w, v := res.Scenario.W, res.VariantOf(c.ID)
	if w == nil || v == nil || v.ID != w.ID || !w.OwnChildrenShare.Given() {
		return nil
	}
	var damage decimal.Decimal
	for _, q := range res.Quantities {
		if q.ID == QuantityDamage {
			damage = q.Value()
		}
	}
	return []ComparisonPart{
		{Label: "Route b: 1+ jaar samen na de start van de problemen", Known: true, Value: damage},
		{Label: "Route a: eigen kinderen, zonder jaar-eis (aanname van de tool)", Known: true, Value: c.Population.Value.Sub(damage)},
	}
}
