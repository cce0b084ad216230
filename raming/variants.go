package raming

import (
	"fmt"

	"raming/scenario"
)

// formula returns the built-in formula of a scenario variant. Adding a
// variant means a scenario type (scenario/variants.go) and a case here.
func formula(v scenario.Variant) (func(*Builder) ([]Case, error), error) {
	switch v := v.(type) {
	case *scenario.VariantA:
		return func(b *Builder) ([]Case, error) { return b.variantA(v), nil }, nil
	case *scenario.VariantB:
		return func(b *Builder) ([]Case, error) { return b.variantB(v) }, nil
	case *scenario.VariantC:
		return func(b *Builder) ([]Case, error) { return b.variantC(v), nil }, nil
	case *scenario.VariantD:
		return func(b *Builder) ([]Case, error) { return b.variantD(v), nil }, nil
	case *scenario.VariantE:
		return func(b *Builder) ([]Case, error) { return b.variantE(v) }, nil
	case *scenario.VariantW:
		// The adopted scheme: variant A's cost model with the law's lump
		// sum (Kamerstuk 36352; docs/backtest.md).
		return func(b *Builder) ([]Case, error) { return b.variantA(&v.VariantA), nil }, nil
	}
	return nil, fmt.Errorf("variant %s: no formula for %T", v.Head().ID, v)
}

// variantA returns the lump-sum scheme, per lump sum:
//
//	scheme = damage × lump_sum
//	cws    = damage × cws_appeal_share × max(0, cws_average_damage − lump_sum)
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", A.
func (b *Builder) variantA(v *scenario.VariantA) []Case {
	var cases []Case
	for _, c := range v.Cases {
		cases = append(cases, b.lumpSumCase(c.CaseHeader, b.Quantity("funnel.damage"), b.Assumption(c.ID+".lump_sum"),
			b.Assumption(v.ID+".cws_appeal_share"), b.Assumption(v.ID+".cws_average_damage")))
	}
	return cases
}

// lumpSumCase is the cost model A and B share: everyone with access (pop)
// gets amount; a share (appeal) appeals to the CWS, which pays its
// average damage minus the amount.
func (b *Builder) lumpSumCase(h scenario.CaseHeader, pop, amount, appeal, damage *Expr) Case {
	cwsPop := Mul(pop, appeal)
	cws := Mul(cwsPop, Max0(Sub(damage, amount)))
	return NewCase(h, pop, cwsPop, Mul(pop, amount), cws)
}

// variantB returns the proportional lump sum. Without an extract, per
// average share of the problem years spent together:
//
//	amount = base_amount × years_together ÷ problem_years
//	access = affected                                 (b.threshold none: ">8000")
//	       = damage                                   (hard: "~4k", the raming's rule)
//	       = damage + (affected − damage) × soft_access_share   (soft: "~4000-6000")
//	scheme = access × amount
//	cws    = access × cws_appeal_share × max(0, cws_average_damage − amount)
//
// The multiplication comes before the division so that the deck's 2/6 and 4/6
// of EUR 30k are exactly EUR 10k and EUR 20k. Execution costs follow the
// options (bExecution). With an extract, one case computed per record under
// the scenario's options (optionb.go).
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", B;
// "3 Toegangsdrempel"; "Verhaallijn (2/3)", footnotes 1 and 2.
func (b *Builder) variantB(v *scenario.VariantB) ([]Case, error) {
	if b.pop != nil {
		c, err := b.perRecordB(v)
		if err != nil {
			return nil, err
		}
		return []Case{c}, nil
	}
	var access *Expr
	switch v.Options.Threshold {
	case scenario.ThresholdNone:
		access = b.Define(v.ID+".access", "Met toegang: geen drempel (alle gedupeerden)", scenario.Persons, b.Quantity("funnel.affected"))
	case scenario.ThresholdHard:
		access = b.Define(v.ID+".access", "Met toegang: harde drempel (1+ jaar samen)", scenario.Persons, b.Quantity("funnel.damage"))
	case scenario.ThresholdSoft:
		damage := b.Quantity("funnel.damage")
		access = b.Define(v.ID+".access", "Met toegang: zachte drempel (1+ jaar samen of nadeel aannemelijk)", scenario.Persons,
			Add(damage, Mul(Sub(b.Quantity("funnel.affected"), damage), b.Assumption("b.soft_access_share"))))
	default:
		panic(unchosen("threshold"))
	}
	execution := bExecution(b, &v.Options)
	appeal := bAppeal(b, v.ID, &v.Options, func(id string) bool {
		return id == "b.appeal_share_none" && v.Options.AppealShareNone.Given() || id == "b.appeal_share_soft" && v.Options.AppealShareSoft.Given()
	})
	var cases []Case
	for _, c := range v.Cases {
		amount := b.Define(c.ID+".amount", "Proportioneel bedrag "+c.ID, scenario.EUR,
			Div(Mul(b.Assumption(v.ID+".base_amount"), b.Assumption(c.ID+".years_together")), b.Assumption(v.ID+".problem_years")))
		cs := b.lumpSumCase(c.CaseHeader, access, amount, appeal, b.Assumption(v.ID+".cws_average_damage"))
		cs.Execution = execution
		cases = append(cases, cs)
	}
	return cases, nil
}

// variantC returns applicant-equivalent restoration behind a hardship
// threshold, per threshold:
//
//	population = affected × hardship_share
//	scheme     = population × average_amount
//	cws        = population × cws_appeal_share × cws_extra_damage
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", C.
func (b *Builder) variantC(v *scenario.VariantC) []Case {
	// The lowest threshold (the largest share) has the known hardship as
	// its fact; a higher one takes its share of those (nested thresholds).
	lowest := ""
	for _, c := range v.Cases {
		if lowest == "" || c.HardshipShare.Value.GreaterThan(b.values[lowest].Value) {
			lowest = c.ID + ".hardship_share"
		}
	}
	var cases []Case
	for _, c := range v.Cases {
		pop := b.hardshipPopulation(c.ID, c.ID+".hardship_share", lowest)
		scheme := Mul(pop, b.Assumption(c.ID+".average_amount"))
		cwsPop := Mul(b.Quantity(c.ID+".population"), b.Assumption(v.ID+".cws_appeal_share"))
		cws := Mul(cwsPop, b.Assumption(v.ID+".cws_extra_damage"))
		cases = append(cases, NewCase(c.CaseHeader, pop, cwsPop, scheme, cws))
	}
	return cases
}

// hardshipPopulation defines the population of a variant C case: the
// affected times the case's hardship share. On an extract the thresholds
// are nested: a known `schrijnend = ja` passes the lowest threshold
// (largest share, lowestID), and a higher threshold takes its share of
// those (share ÷ the largest share), so a stricter threshold never admits
// more people; unknown hardship counts at the case's share. The
// simulation draws the counts (extract.go).
func (b *Builder) hardshipPopulation(caseID, shareID, lowestID string) *Expr {
	q := b.Define(caseID+".population", "Schrijnend "+caseID, scenario.Persons, b.hardship(b.Assumption(shareID), b.Assumption(lowestID)))
	if b.pop != nil {
		b.res.hardship = append(b.res.hardship, hardshipDraw{quantity: caseID + ".population", share: shareID, lowest: lowestID})
	}
	return q
}

// variantD returns individual tailoring: no scheme payment; everyone with
// plausible damage goes to the CWS.
//
//	population = affected (access to tailoring)
//	cws        = damage × cws_average_damage
//
// Source: deck, "Grove financiële raming van de vijf varianten (2/2)", D.
func (b *Builder) variantD(v *scenario.VariantD) []Case {
	var cases []Case
	for _, c := range v.Cases {
		cases = append(cases, b.tailoring(c.CaseHeader, b.Assumption(v.ID+".cws_average_damage")))
	}
	return cases
}

// tailoring is variant D's cost model, also used by variant E when the
// halving principle does not hold.
func (b *Builder) tailoring(h scenario.CaseHeader, damage *Expr) Case {
	cwsPop := b.Quantity("funnel.damage")
	return NewCase(h, b.Quantity("funnel.affected"), cwsPop, Count(0), Mul(cwsPop, damage))
}

// variantE returns mediation with a disputes committee. When the principle
// that the ex-partner should have had half of the applicant's compensation
// holds:
//
//	mediations = min(mediation_cases, affected)
//	scheme     = mediations × mediation_rate × mediation_hours
//	           + mediations × dispute_share × dispute_rate × dispute_hours
//	cws_pop    = max(0, damage − mediations × settled_share)
//	cws      = cws_pop × max(0, cws_average_damage − applicant_compensation × ex_partner_half)
//
// When it does not, the incentive to share (and to mediate) disappears and
// the case costs what variant D costs (D's average damage: "een situatie
// als in variant D"). The deck's ~1k mediations are a count; no more
// ex-partners than the affected can mediate (the tool's own bound, which
// only a population far below the deck's reaches).
//
// Source: deck, "Grove financiële raming van de vijf varianten (2/2)", E.
func (b *Builder) variantE(v *scenario.VariantE) ([]Case, error) {
	a := func(key string) *Expr { return b.Assumption(v.ID + "." + key) }
	mediation := b.Define(v.ID+".mediation_cost", "Kosten per mediationtraject", scenario.EUR, Mul(a("mediation_rate"), a("mediation_hours")))
	dispute := b.Define(v.ID+".dispute_cost", "Kosten per geschil", scenario.EUR, Mul(a("dispute_rate"), a("dispute_hours")))
	deduction := b.Define(v.ID+".settlement_deduction", "Verrekening helft aanvrager", scenario.EUR,
		Mul(a("applicant_compensation"), a("ex_partner_half")))
	cases := a("mediation_cases")
	mediations := b.Define(v.ID+".mediations", "Mediationtrajecten (ten hoogste het aantal gedupeerde ex-partners)", scenario.Files,
		Sub(cases, Max0(Sub(cases, b.Quantity("funnel.affected")))))
	b.Define(v.ID+".cws_population", "Ex-partners naar CWS na mediation", scenario.Persons,
		Max0(Sub(b.Quantity("funnel.damage"), Mul(mediations, a("settled_share")))))
	var out []Case
	for _, c := range v.Cases {
		if !c.PrincipleHolds {
			if b.sc.D == nil {
				return nil, &ModelError{Msg: fmt.Sprintf("case %s (principle_holds = false) costs what variant D costs, and the scenario has no variant D", c.ID)}
			}
			out = append(out, b.tailoring(c.CaseHeader, b.Assumption(b.sc.D.ID+".cws_average_damage")))
			continue
		}
		m := b.Quantity(v.ID + ".mediations")
		scheme := Add(Mul(m, mediation), Mul(m, a("dispute_share"), dispute))
		cwsPop := b.Quantity(v.ID + ".cws_population")
		cws := Mul(cwsPop, Max0(Sub(a("cws_average_damage"), deduction)))
		out = append(out, NewCase(c.CaseHeader, b.Quantity("funnel.affected"), cwsPop, scheme, cws))
	}
	return out, nil
}
