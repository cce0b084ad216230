package raming

import (
	"fmt"

	"raming/input"
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
		return func(b *Builder) ([]Case, error) { return b.variantW(v), nil }, nil
	}
	return nil, fmt.Errorf("variant %s: no formula for %T", v.Head().ID, v)
}

// variantA returns the lump-sum scheme, per lump sum:
//
//	scheme = damage × lump_sum
//	cws    = damage × cws_appeal_share × max(0, cws_average_damage − lump_sum)
//	       + the requests of those refused although they helped pay
//	         (on an extract: refusedRequests of funnel.refused_helped,
//	         as the year rule refuses whoever left early)
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", A.
func (b *Builder) variantA(v *scenario.VariantA) []Case {
	var files, cost *Expr
	if b.helpedEarly != nil {
		files, cost = refusedRequests(b, &b.sc.Funnel, v.ID, b.Quantity(QuantityRefusedHelped))
	}
	var cases []Case
	for i := range v.Cases {
		c := &v.Cases[i]
		cases = append(cases, withRefused(b.lumpSumCase(c.CaseHeader, b.Quantity(QuantityDamage), b.Value(&c.LumpSum),
			b.Value(&v.CWSAppealShare), b.Value(&v.CWSAverageDamage)), files, cost))
	}
	return cases
}

// variantW returns the scheme as adopted (Kamerstuk 36352; docs/backtest.md):
// variant A's cost model with the law's lump sum, on the law's two routes
// to access, route (b) together a year after the problems began (the
// funnel's damage) and route (a) own children, which admits own_children_share
// of the other affected:
//
//	access = damage + (affected − damage) × own_children_share
//	scheme = access × lump_sum
//	cws    = access × cws_appeal_share × max(0, cws_average_damage − lump_sum)
//	       + the requests of those refused although they helped pay (on an
//	         extract: refusedRequests of funnel.refused_helped ×
//	         (1 − own_children_share))
//
// Without own_children_share, access is the damage alone, as in A.
//
// Source: herstel.toeslagen.nl, "ex-toeslagpartnerregeling, over de
// regeling" (the two routes); the share is the tool's assumption
// (scenario wet-2023).
func (b *Builder) variantW(v *scenario.VariantW) []Case {
	access, refusedShare := b.Quantity(QuantityDamage), Count(1)
	if v.OwnChildrenShare.Given() {
		share := b.Value(&v.OwnChildrenShare)
		damage := b.Quantity(QuantityDamage)
		access = b.Define(v.ID+".access", "Met toegang: 1+ jaar samen (route b) of eigen kinderen (route a)", scenario.Persons,
			Add(damage, Mul(Sub(b.Quantity(QuantityAffected), damage), share)))
		refusedShare = Sub(Count(1), share)
	}
	var files, cost *Expr
	if b.helpedEarly != nil {
		refused := b.Quantity(QuantityRefusedHelped)
		if v.OwnChildrenShare.Given() {
			refused = b.Define(v.ID+".refused_helped", "Minder dan 1 jaar samen, geen eigen kinderen, aantoonbaar meebetaald", scenario.Persons,
				Mul(refused, refusedShare))
		}
		files, cost = refusedRequests(b, &b.sc.Funnel, v.ID, refused)
	}
	var cases []Case
	for i := range v.Cases {
		c := &v.Cases[i]
		cases = append(cases, withRefused(b.lumpSumCase(c.CaseHeader, access, b.Value(&c.LumpSum),
			b.Value(&v.CWSAppealShare), b.Value(&v.CWSAverageDamage)), files, cost))
	}
	return cases
}

// refusedRequests are the CWS requests of count ex-partners who left early
// but helped pay and whom a variant's access rule refuses (id is the
// variant's or case's id):
//
//	files = count × refused_cws_share
//	cost  = files × refused_cws_damage
//
// Source: the archetype "Was (snel) weg, maar hielp wel mee" ("0% * €30k =
// €0, maar maatwerk via CWS"); the share and the damage are the tool's
// assumptions (docs/methodology.md, "Requests from those refused").
func refusedRequests(env exprEnv, f *scenario.Funnel, id string, count *Expr) (files, cost *Expr) {
	files = Mul(count, env.Value(&f.RefusedCWSShare))
	cost = env.Define(id+".cws_refused", "CWS: verzoeken van wie geen toegang heeft maar aantoonbaar meebetaalde", scenario.EUR,
		Mul(files, env.Value(&f.RefusedCWSDamage)))
	return files, cost
}

// withRefused adds to case c the CWS files and cost of the requests of
// those refused although they helped pay (refusedRequests); nil adds
// nothing.
func withRefused(c Case, files, cost *Expr) Case {
	if files == nil {
		return c
	}
	c.CWSPopulation, c.CWS = Add(c.CWSPopulation, files), Add(c.CWS, cost)
	c.Total = Add(c.Scheme, c.CWS)
	return c
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
		access = b.Define(v.ID+".access", "Met toegang: geen drempel (alle gedupeerden)", scenario.Persons, b.Quantity(QuantityAffected))
	case scenario.ThresholdHard:
		access = b.Define(v.ID+".access", "Met toegang: harde drempel (1+ jaar samen)", scenario.Persons, b.Quantity(QuantityDamage))
	case scenario.ThresholdSoft:
		damage := b.Quantity(QuantityDamage)
		access = b.Define(v.ID+".access", "Met toegang: zachte drempel (1+ jaar samen of nadeel aannemelijk)", scenario.Persons,
			Add(damage, Mul(Sub(b.Quantity(QuantityAffected), damage), b.Value(&v.Options.SoftAccessShare))))
	default:
		panic(unchosen(v.Options.Threshold))
	}
	execution := bExecution(b, v, &v.Options)
	appeal := bAppeal(b, v, &v.Options)
	var cases []Case
	for i := range v.Cases {
		c := &v.Cases[i]
		amount := b.Define(c.ID+".amount", "Proportioneel bedrag "+c.ID, scenario.EUR,
			Div(Mul(b.Value(&v.BaseAmount), b.Value(&c.YearsTogether)), b.Value(&v.ProblemYears)))
		cs := b.lumpSumCase(c.CaseHeader, access, amount, appeal, b.Value(&v.CWSAverageDamage))
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
//	           + the requests of those refused although they helped pay
//	             (on an extract: refusedRequests of those who left early
//	             and are not schrijnend: known not, or unknown and not
//	             admitted, 1 − hardship_share)
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", C.
func (b *Builder) variantC(v *scenario.VariantC) []Case {
	// The lowest threshold (the largest share) has the known hardship as
	// its fact; a higher one takes its share of those (nested thresholds).
	var lowest *scenario.Assumption
	for i := range v.Cases {
		if c := &v.Cases[i]; lowest == nil || c.HardshipShare.Value.GreaterThan(lowest.Value) {
			lowest = &c.HardshipShare
		}
	}
	var cases []Case
	for i := range v.Cases {
		c := &v.Cases[i]
		pop := b.hardshipPopulation(c.ID, b.Value(&c.HardshipShare), b.Value(lowest))
		scheme := Mul(pop, b.Value(&c.AverageAmount))
		cwsPop := Mul(pop, b.Value(&v.CWSAppealShare))
		cws := Mul(cwsPop, b.Value(&v.CWSExtraDamage))
		cs := NewCase(c.CaseHeader, pop, cwsPop, scheme, cws)
		if b.helpedEarly != nil {
			share := b.Value(&c.HardshipShare)
			refused := b.Define(c.ID+".refused_helped", "Niet schrijnend, minder dan 1 jaar samen, aantoonbaar meebetaald", scenario.Persons,
				b.helpedEarly(func(h input.Answer) *Expr {
					switch h {
					case input.Yes:
						return Count(0)
					case input.No:
						return Count(1)
					}
					return Sub(Count(1), share)
				}))
			files, cost := refusedRequests(b, &b.sc.Funnel, c.ID, refused)
			cs = withRefused(cs, files, cost)
		}
		cases = append(cases, cs)
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
func (b *Builder) hardshipPopulation(caseID string, share, lowest *Expr) *Expr {
	return b.Define(caseID+".population", "Schrijnend "+caseID, scenario.Persons, b.hardship(share, lowest))
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
		cases = append(cases, b.tailoring(c.CaseHeader, b.Value(&v.CWSAverageDamage)))
	}
	return cases
}

// tailoring is variant D's cost model, also used by variant E when the
// halving principle does not hold.
func (b *Builder) tailoring(h scenario.CaseHeader, damage *Expr) Case {
	cwsPop := b.Quantity(QuantityDamage)
	return NewCase(h, b.Quantity(QuantityAffected), cwsPop, Count(0), Mul(cwsPop, damage))
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
	mediation := b.Define(v.ID+".mediation_cost", "Kosten per mediationtraject", scenario.EUR, Mul(b.Value(&v.MediationRate), b.Value(&v.MediationHours)))
	dispute := b.Define(v.ID+".dispute_cost", "Kosten per geschil", scenario.EUR, Mul(b.Value(&v.DisputeRate), b.Value(&v.DisputeHours)))
	deduction := b.Define(v.ID+".settlement_deduction", "Verrekening helft aanvrager", scenario.EUR,
		Mul(b.Value(&v.ApplicantCompensation), b.Value(&v.ExPartnerHalf)))
	cases := b.Value(&v.MediationCases)
	mediations := b.Define(v.ID+".mediations", "Mediationtrajecten (ten hoogste het aantal gedupeerde ex-partners)", scenario.Files,
		Sub(cases, Max0(Sub(cases, b.Quantity(QuantityAffected)))))
	cwsPop := b.Define(v.ID+".cws_population", "Ex-partners naar CWS na mediation", scenario.Persons,
		Max0(Sub(b.Quantity(QuantityDamage), Mul(mediations, b.Value(&v.SettledShare)))))
	var out []Case
	for _, c := range v.Cases {
		if !c.PrincipleHolds {
			if b.sc.D == nil {
				return nil, &ModelError{Msg: fmt.Sprintf("case %s (principle_holds = false) costs what variant D costs, and the scenario has no variant D", c.ID)}
			}
			out = append(out, b.tailoring(c.CaseHeader, b.Value(&b.sc.D.CWSAverageDamage)))
			continue
		}
		scheme := Add(Mul(mediations, mediation), Mul(mediations, b.Value(&v.DisputeShare), dispute))
		cws := Mul(cwsPop, Max0(Sub(b.Value(&v.CWSAverageDamage), deduction)))
		out = append(out, NewCase(c.CaseHeader, b.Quantity(QuantityAffected), cwsPop, scheme, cws))
	}
	return out, nil
}
