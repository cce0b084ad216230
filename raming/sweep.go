package raming

import (
	"fmt"
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

	groups [4]bGroup
}

// SweepValues are the option values the sweep combines: every value of
// every option, with the deck's example parameters for the numeric ones.
var SweepValues = map[string][]string{
	"percentage":            {"share", "weighted-share", "per-year", "fixed"},
	"base":                  {"30000", "15000", "terugvordering"},
	"peildatum":             {"2020-12-31", "2021-05-01", "eerste-betaling"},
	"threshold":             {"none", "hard", "soft"},
	"minimum_one_year":      {"false", "true"},
	"offset_30k":            {"none", "front", "back"},
	"deduct_from_applicant": {"30k", "30k-plus-lump-sum"},
	"extra_payment":         {"none", "proportional-split", "extra"},
	"cws_route":             {"direct", "uht-step"},
}

// Sweep evaluates variant B per record under every combination of its
// options (SweepValues: 7,776 combinations) on an extract, with the
// scenario's point values. It shares the per-record rules of Estimate
// (factsFor, access, entitlement, settle) and computes each stage once
// for the options it depends on: facts per reference date, entitlements
// per (reference date, percentage, base, minimum), the rest per record in
// whole cents.
func Sweep(sc *scenario.Scenario, pop *input.Population, workers int) ([]SweepRow, error) {
	if pop == nil || len(pop.Records) == 0 {
		return nil, fmt.Errorf("the sweep evaluates variant B per record and needs a population extract (--population)")
	}
	recs := pop.Records
	p0 := newBParams(sc)
	damage := cents(sc.B.CWSAverageDamage.Value)
	appeal := sc.B.CWSAppealShare.Value
	step := sc.B.Options.UHTStepShare.Value
	var upstream []scenario.BOptions
	for _, peil := range SweepValues["peildatum"] {
		for _, pct := range SweepValues["percentage"] {
			for _, base := range SweepValues["base"] {
				for _, thr := range SweepValues["threshold"] {
					for _, minimum := range SweepValues["minimum_one_year"] {
						o := sc.B.Options
						o.Peildatum, o.Percentage, o.Base, o.Threshold, o.MinimumOneYear = peil, pct, base, thr, minimum == "true"
						upstream = append(upstream, o)
					}
				}
			}
		}
	}
	facts := map[string][]bFacts{}
	avg := map[string]decimal.Decimal{}
	for _, peil := range SweepValues["peildatum"] {
		o := sc.B.Options
		o.Peildatum = peil
		fs := make([]bFacts, len(recs))
		for i := range recs {
			fs[i] = factsFor(&recs[i], &o, p0.unknownShare)
		}
		facts[peil], avg[peil] = fs, averageSpan(fs, sc)
	}
	perUpstream := make([][]SweepRow, len(upstream))
	var jobs []func()
	for u := range upstream {
		jobs = append(jobs, func() {
			perUpstream[u] = sweepUpstream(sc, upstream[u], facts[upstream[u].Peildatum], avg[upstream[u].Peildatum], p0, damage, appeal, step)
		})
	}
	parallel(workers, jobs)
	var rows []SweepRow
	for _, r := range perUpstream {
		rows = append(rows, r...)
	}
	return rows, nil
}

// sweepUpstream evaluates the downstream options (offset, deduction, extra
// payment, CWS route) for one combination of the upstream ones.
func sweepUpstream(sc *scenario.Scenario, o scenario.BOptions, facts []bFacts, average decimal.Decimal, p bParams, damage int64,
	appeal, step decimal.Decimal) []SweepRow {
	p.averageYears = average
	type ent struct {
		ok            bool
		group         int
		amount, extra int64
		weight        float64
	}
	ents := make([]ent, len(facts))
	for i := range facts {
		f := &facts[i]
		if f.excluded != "" || (o.Percentage == "weighted-share" && average.Sign() <= 0) {
			continue
		}
		group, minimum, _, ok := f.access(&o, p.minContribution)
		if !ok {
			continue
		}
		_, amount, extra, why := entitlement(f, &o, &p, minimum)
		if why != "" {
			continue
		}
		ents[i] = ent{ok: true, group: group, amount: amount, extra: extra, weight: weight(group, sc)}
	}
	var rows []SweepRow
	for _, offset := range SweepValues["offset_30k"] {
		for _, extraPay := range SweepValues["extra_payment"] {
			var stats BOutcome
			var amounts, weights []float64
			for _, deduct := range SweepValues["deduct_from_applicant"] {
				d := o
				d.Offset30k, d.ExtraPayment, d.DeductFromApplicant = offset, extraPay, deduct
				var groups [4]bGroup
				for i, e := range ents {
					if !e.ok {
						continue
					}
					paid, applicant := settle(facts[i].rec, &d, p.lumpSum, e.amount, e.extra)
					groups[e.group].add(paid, applicant, damage)
					if deduct == "30k" { // the amounts paid do not depend on the deduction or the route
						amounts = append(amounts, float64(paid)/100)
						weights = append(weights, e.weight)
					}
				}
				if deduct == "30k" {
					stats.summarise(amounts, weights, float64(p.low)/100)
				}
				for _, route := range SweepValues["cws_route"] {
					r := d
					r.CWSRoute = route
					rows = append(rows, sweepRow(sc, r, &stats, groups, appeal, step))
				}
			}
		}
	}
	return rows
}

// sweepRow sums the groups at the point values of the shares, as caseB's
// expressions do.
func sweepRow(sc *scenario.Scenario, o scenario.BOptions, st *BOutcome, groups [4]bGroup, appeal, step decimal.Decimal) SweepRow {
	row := SweepRow{Options: o, groups: groups, Access: st.Access, MeanAmount: st.MeanAmount, MedianAmount: st.MedianAmount,
		P10Amount: st.P10Amount, P90Amount: st.P90Amount, BelowLowAmount: st.BelowLowAmount, Execution: executionCost(&o)}
	dmg := sc.B.CWSAverageDamage.Value
	for g, s := range groups {
		p := groupProbability(g, sc)
		row.Scheme = row.Scheme.Add(p.Mul(decimal.New(s.paid, -2)))
		row.Applicant = row.Applicant.Add(p.Mul(decimal.New(s.applicant, -2)))
		row.CWS = row.CWS.Add(p.Mul(decimal.NewFromInt(s.nBelow).Mul(dmg).Sub(decimal.New(s.sumBelow, -2))))
	}
	row.CWS = row.CWS.Mul(appeal)
	if o.CWSRoute == "uht-step" {
		settled := row.CWS.Mul(step)
		row.Scheme, row.CWS = row.Scheme.Add(settled), row.CWS.Sub(settled)
	}
	row.Total = row.Scheme.Add(row.Applicant).Add(row.CWS)
	return row
}

// SweepBands adds to every row the P5, P50 and P95 of its total over the
// draws of a simulation of the same scenario and extract: the shares that
// unknown values take (affected, together 1+ year) and B's CWS appeal share
// and damage, drawn once and shared by all rows (common random numbers), so
// the rows can be compared. The CWS term is linear in the damage around its
// point value, as in Estimate's expressions for B.
func SweepBands(sc *scenario.Scenario, rows []SweepRow, sim *Simulation, workers int) {
	n := sim.Iterations
	draws := func(id string, point decimal.Decimal) []float64 {
		for _, in := range sim.Inputs {
			if in.ID == id {
				return in.Draws
			}
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = point.InexactFloat64()
		}
		return x
	}
	pa := draws("funnel.affected_share", sc.Funnel.AffectedShare.Value)
	pt := draws("funnel.together_share", sc.Funnel.TogetherShare.Value)
	appeal := draws("B.cws_appeal_share", sc.B.CWSAppealShare.Value)
	damage := draws("B.cws_average_damage", sc.B.CWSAverageDamage.Value)
	var jobs []func()
	for r := range rows {
		jobs = append(jobs, func() {
			row := &rows[r]
			totals := make([]float64, n)
			for i := range totals {
				var scheme, short float64
				for g, s := range row.groups {
					if s.n == 0 {
						continue
					}
					p := 1.0
					if g&groupAffectedShare != 0 {
						p *= pa[i]
					}
					if g&groupTogetherShare != 0 {
						p *= pt[i]
					}
					scheme += p * float64(s.paid+s.applicant) / 100
					short += p * (float64(s.nBelow)*damage[i] - float64(s.sumBelow)/100)
				}
				totals[i] = scheme + appeal[i]*short
			}
			slices.Sort(totals)
			row.P5, row.P50, row.P95 = percentile(totals, 5), percentile(totals, 50), percentile(totals, 95)
		})
	}
	parallel(workers, jobs)
}
