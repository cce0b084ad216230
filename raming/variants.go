package raming

import (
	"raming/scenario"
)

// variantA returns the lump-sum scheme, per lump sum:
//
//	scheme = damage × lump_sum
//	cws    = damage × cws_appeal_share × max(0, cws_average_damage − lump_sum)
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", A.
func (m *model) variantA() Variant {
	v := Variant{ID: "A", Name: m.sc.A.Name, Deck: m.sc.A.Deck}
	for _, c := range m.sc.A.Cases {
		v.Cases = append(v.Cases, m.lumpSumCase("A", c.ID, c.Label, c.Deck, m.a(c.ID+".lump_sum")))
	}
	return v
}

// lumpSumCase is the cost model A and B share: everyone with plausible
// damage gets amount; a share appeals to the CWS, which pays its average
// damage minus the amount.
func (m *model) lumpSumCase(variant, id, label string, deck scenario.DeckCase, amount *Expr) Case {
	pop := m.q("funnel.damage")
	cwsPop := mul(m.q("funnel.damage"), m.a(variant+".cws_appeal_share"))
	cws := mul(cwsPop, max0(sub(m.a(variant+".cws_average_damage"), amount)))
	return newCase(id, label, deck, pop, cwsPop, mul(pop, amount), cws)
}

// variantB returns the proportional lump sum, per average share of the
// problem years spent together:
//
//	amount = base_amount × years_together ÷ problem_years
//	scheme = damage × amount
//	cws    = damage × cws_appeal_share × max(0, cws_average_damage − amount)
//
// The multiplication comes before the division so that the deck's 2/6 and 4/6
// of EUR 30k are exactly EUR 10k and EUR 20k.
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", B.
func (m *model) variantB() Variant {
	v := Variant{ID: "B", Name: m.sc.B.Name, Deck: m.sc.B.Deck}
	for _, c := range m.sc.B.Cases {
		amount := m.quantity(c.ID+".amount", "Proportioneel bedrag "+c.ID, scenario.EUR,
			div(mul(m.a("B.base_amount"), m.a(c.ID+".years_together")), m.a("B.problem_years")))
		v.Cases = append(v.Cases, m.lumpSumCase("B", c.ID, c.Label, c.Deck, amount))
	}
	return v
}

// variantC returns applicant-equivalent restoration behind a hardship
// threshold, per threshold:
//
//	population = affected × hardship_share
//	scheme     = population × average_amount
//	cws        = population × cws_appeal_share × cws_extra_damage
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", C.
func (m *model) variantC() Variant {
	v := Variant{ID: "C", Name: m.sc.C.Name, Deck: m.sc.C.Deck}
	for _, c := range m.sc.C.Cases {
		pop := m.quantity(c.ID+".population", "Schrijnend "+c.ID, scenario.Persons, m.hardship(c.ID, m.a(c.ID+".hardship_share")))
		scheme := mul(pop, m.a(c.ID+".average_amount"))
		cwsPop := mul(m.q(c.ID+".population"), m.a("C.cws_appeal_share"))
		cws := mul(cwsPop, m.a("C.cws_extra_damage"))
		v.Cases = append(v.Cases, newCase(c.ID, c.Label, c.Deck, pop, cwsPop, scheme, cws))
	}
	return v
}

// variantD returns individual tailoring: no scheme payment; everyone with
// plausible damage goes to the CWS.
//
//	population = affected (access to tailoring)
//	cws        = damage × cws_average_damage
//
// Source: deck, "Grove financiële raming van de vijf varianten (2/2)", D.
func (m *model) variantD() Variant {
	v := Variant{ID: "D", Name: m.sc.D.Name, Deck: m.sc.D.Deck}
	for _, c := range m.sc.D.Cases {
		v.Cases = append(v.Cases, m.tailoring(c.ID, c.Label, c.Deck))
	}
	return v
}

// tailoring is variant D's cost model, also used by variant E when the
// halving principle does not hold.
func (m *model) tailoring(id, label string, deck scenario.DeckCase) Case {
	cwsPop := m.q("funnel.damage")
	return newCase(id, label, deck, m.q("funnel.affected"), cwsPop, constant(0), mul(cwsPop, m.a("D.cws_average_damage")))
}

// variantE returns mediation with a disputes committee. When the principle
// that the ex-partner should have had half of the applicant's compensation
// holds:
//
//	scheme   = mediation_cases × mediation_rate × mediation_hours
//	         + mediation_cases × dispute_share × dispute_rate × dispute_hours
//	cws_pop  = max(0, damage − mediation_cases × settled_share)
//	cws      = cws_pop × max(0, cws_average_damage − applicant_compensation × ex_partner_half)
//
// When it does not, the incentive to share (and to mediate) disappears and
// the case costs what variant D costs.
//
// Source: deck, "Grove financiële raming van de vijf varianten (2/2)", E.
func (m *model) variantE() Variant {
	v := Variant{ID: "E", Name: m.sc.E.Name, Deck: m.sc.E.Deck}
	mediation := m.quantity("E.mediation_cost", "Kosten per mediationtraject", scenario.EUR,
		mul(m.a("E.mediation_rate"), m.a("E.mediation_hours")))
	dispute := m.quantity("E.dispute_cost", "Kosten per geschil", scenario.EUR,
		mul(m.a("E.dispute_rate"), m.a("E.dispute_hours")))
	deduction := m.quantity("E.settlement_deduction", "Verrekening helft aanvrager", scenario.EUR,
		mul(m.a("E.applicant_compensation"), m.a("E.ex_partner_half")))
	m.quantity("E.cws_population", "Ex-partners naar CWS na mediation", scenario.Persons,
		max0(sub(m.q("funnel.damage"), mul(m.a("E.mediation_cases"), m.a("E.settled_share")))))
	for _, c := range m.sc.E.Cases {
		if !c.PrincipleHolds {
			v.Cases = append(v.Cases, m.tailoring(c.ID, c.Label, c.Deck))
			continue
		}
		scheme := add(
			mul(m.a("E.mediation_cases"), mediation),
			mul(m.a("E.mediation_cases"), m.a("E.dispute_share"), dispute),
		)
		cwsPop := m.q("E.cws_population")
		cws := mul(cwsPop, max0(sub(m.a("E.cws_average_damage"), deduction)))
		v.Cases = append(v.Cases, newCase(c.ID, c.Label, c.Deck, m.q("funnel.affected"), cwsPop, scheme, cws))
	}
	return v
}

func newCase(id, label string, deck scenario.DeckCase, pop, cwsPop, scheme, cws *Expr) Case {
	return Case{ID: id, Label: label, Deck: deck, Population: pop, CWSPopulation: cwsPop,
		Scheme: scheme, CWS: cws, Total: add(scheme, cws)}
}
