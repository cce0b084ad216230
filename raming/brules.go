package raming

import (
	"fmt"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

// Variant B's rules for one record, in the order of the deck's appendix
// "Samenvatting uitwerking regeling" (1/2 and 2/2):
//
//	1) amount = percentage × base amount           percentage, baseAmount, entitlement
//	2) peildatum: when someone counts as ex-partner  peildatum, factsFor
//	3) access threshold                              bFacts.access
//	4) offsetting an already-shared 30k              offset30k
//	5) integral assessment of the applicant          deductFromApplicant
//	6) extra payment above the base amount           extraPayment (settle applies 4-6)
//	7) route to the CWS                              the UHT step of access; the case (bcase.go)
//
// These are the definitions, in exact decimals; bwhole.go computes the
// same amounts in whole cents where the figures fit, and evaluateB and
// the sweep apply the rules to every record.

// percentage is rule 1's percentage of a record with years together of its
// span of problem years (to the peildatum), at most 100%: the share of the
// span, that share weighted by the average span (years ÷ average), a
// percentage per year together, or a fixed percentage. With
// minimum_one_year, everyone with access who was together less than a year
// counts one full year ("altijd uitgaan van minstens 1 volledig jaar
// samen"), whatever the threshold.
//
// Source: "Samenvatting uitwerking regeling (1/2)", 1); the option pages on
// the percentage and on mitigating low amounts.
func percentage(years, span decimal.Decimal, o *scenario.BOptions, p *bParams) decimal.Decimal {
	if bool(o.MinimumOneYear) && years.LessThan(decimal.NewFromInt(1)) {
		years = decimal.NewFromInt(1)
	}
	var pct decimal.Decimal
	switch o.Percentage {
	case scenario.PercentageShare:
		pct = years.DivRound(span, divPlaces)
	case scenario.PercentageWeightedShare:
		pct = years.DivRound(p.averageYears, divPlaces)
	case scenario.PercentagePerYear:
		pct = p.perYear.Mul(years)
	case scenario.PercentageFixed:
		pct = p.fixed
	default:
		panic(unchosen(o.Percentage))
	}
	return decimal.Min(pct, decimal.NewFromInt(1))
}

// baseAmount is rule 1's base amount: EUR 30k or 15k (capped: the amount
// is then at most b.cap), or the record's total recovery (not capped; a
// record whose recovery is unknown gets no amount, with the reason).
//
// Source: "Samenvatting uitwerking regeling (1/2)", 1).
func baseAmount(r *input.Record, o *scenario.BOptions) (base decimal.Decimal, capped bool, reason string) {
	if euros, capped := o.Base.Euros(); capped {
		return decimal.NewFromInt(euros), true, ""
	}
	if !r.Recovery.Known {
		return decimal.Zero, false, "terugvordering onbekend: geen bedrag te berekenen"
	}
	return r.Recovery.Decimal(), false, ""
}

// entitlement is rule 1: the amount before any offset, in cents:
// percentage × base, rounded to cents, at most the cap unless the base is
// the recovery. extra is the percentage of the integral assessment above
// the base, which rule 6 may pay. Source: "Samenvatting uitwerking regeling"
// and "Integrale beoordeling aanvrager boven gekozen basisbedrag".
//
// This is the definition, in exact decimals; wholeFacts.entitlement
// computes the same cents in whole numbers, and bParams.amounts takes
// that where the figures fit.
func entitlement(f *bFacts, o *scenario.BOptions, p *bParams) (pct decimal.Decimal, amount, extra int64, reason string) {
	pct = percentage(f.years, f.span, o, p)
	base, capped, reason := baseAmount(f.rec, o)
	if reason != "" {
		return pct, 0, 0, reason
	}
	a := pct.Mul(base).Round(2)
	if capped {
		a = decimal.Min(a, p.cap)
	}
	if ib := f.rec.IntegralAssessment; ib.Known {
		if diff := ib.Decimal().Sub(base); diff.Sign() > 0 {
			extra = cents(pct.Mul(diff))
		}
	}
	return pct, cents(a), extra, ""
}

// bFacts are the facts of one record that B's options work on.
type bFacts struct {
	rec         *input.Record
	excluded    string          // reason, or "" when the record may have access
	years, span decimal.Decimal // together, and problem years to the peildatum
	oneYear     input.Answer    // together 1+ year after the start, within the span
	pending     bool            // the peildatum is the scenario's date for pending payments
}

// peildatum is rule 2, the date on which the record's ex-partner counts
// as ex-partner: the fixed date of the option, or the date of the
// applicant's first restoration payment, else (the applicant never
// reported) the ex-partner's own report date, else pending, the
// scenario's date for payments still to come (pending true).
//
// Source: "Samenvatting uitwerking regeling (1/2)", 2).
func peildatum(r *input.Record, peil scenario.Peildatum, pending input.Date) (at input.Date, isPending bool) {
	switch d, ok := peil.Fixed(); {
	case ok:
		return input.DateOf(d), false
	case !r.FirstPayment.IsZero():
		return r.FirstPayment, false
	case !r.ReportDate.IsZero():
		return r.ReportDate, false
	}
	return pending, true
}

// factsFor computes a record's facts under a reference date choice
// (stage StageTarget): who is excluded before any threshold (restored as
// applicant, not affected, still together on the peildatum), the problem
// years to the peildatum, and the years together (at unknownShare of the
// span when the end of living together is unknown). Source: "Samenvatting
// uitwerking regeling (1/2)", the target group and the reference date;
// docs/methodology.md, "Variant B per record", steps 1-3.
func factsFor(r *input.Record, peil scenario.Peildatum, pending input.Date, unknownShare decimal.Decimal) bFacts {
	f := bFacts{rec: r}
	switch {
	case r.RestoredAsApplicant:
		f.excluded = "al hersteld als (tweede) aanvrager"
		return f
	case r.Affected == input.No:
		f.excluded = "dossier aanvrager niet gedupeerd"
		return f
	}
	var at input.Date
	at, f.pending = peildatum(r, peil, pending)
	f.span = yearsBetween(r.ProblemStart, at)
	if f.span.Sign() <= 0 {
		f.excluded = "peildatum ligt niet na de start van de problematiek"
		return f
	}
	endKnown := !r.EndTogether.IsZero()
	if endKnown && r.EndTogether.After(at) {
		f.excluded = "op de peildatum nog samen: geen ex-partner"
		return f
	}
	if endKnown {
		f.years = yearsBetween(r.ProblemStart, r.EndTogether)
		f.oneYear = input.No
		if f.years.GreaterThanOrEqual(decimal.NewFromInt(1)) {
			f.oneYear = input.Yes
		}
	} else {
		f.years = f.span.Mul(unknownShare).Round(divPlaces)
		f.oneYear = input.Unknown
		if f.span.LessThan(decimal.NewFromInt(1)) {
			f.oneYear = input.No // less than a year to the peildatum: together 1+ year is impossible
		}
	}
	return f
}

// access is rule 3, the threshold: the record's weight group, and whether
// the UHT step of rule 7 is for it (admitted by the soft threshold with
// less than a year together: the deck's mitigation page). ok false means
// no access, with the reason. A record that left before the problems
// began counts 0 years together and may qualify under the soft threshold.
//
// Source: "Samenvatting uitwerking regeling (1/2)", 3); "3 Toegangsdrempel".
func (f *bFacts) access(o *scenario.BOptions, minContribution int64) (group int, step bool, reason string, ok bool) {
	if f.rec.Affected == input.Unknown {
		group |= groupAffectedShare
	}
	contributed := f.rec.Contributed.Known && f.rec.Contributed.Cents >= minContribution
	switch o.Threshold {
	case scenario.ThresholdNone:
		return group, false, "geen drempel", true
	case scenario.ThresholdHard:
		switch f.oneYear {
		case input.No:
			return group, false, "harde drempel: minder dan 1 jaar samen na start problematiek", false
		case input.Unknown:
			return group | groupTogetherShare, false, "harde drempel: einde samenwonen onbekend, kans op 1+ jaar samen", true
		}
		return group, false, "harde drempel: 1+ jaar samen", true
	case scenario.ThresholdSoft:
		// The hard threshold, or disadvantage made plausible by a contribution.
		switch {
		case f.oneYear == input.Yes:
			return group, false, "zachte drempel: 1+ jaar samen", true
		case contributed:
			return group, f.oneYear == input.No, "zachte drempel: bijgedragen aan terugvordering", true
		case f.oneYear == input.Unknown:
			return group | groupTogetherShare, false, "zachte drempel: einde samenwonen onbekend, kans op 1+ jaar samen", true
		}
		return group, false, "zachte drempel: minder dan 1 jaar samen en geen bijdrage aan terugvordering", false
	}
	panic(unchosen(o.Threshold))
}

// helped reports whether the record's ex-partner left early but
// demonstrably helped pay: left before, or less than a year after, the
// problems began (or when that is not known: the chance of it enters the
// count, refusals) and contributed at least min cents to the repayment of
// the recovery; an empty contribution is not demonstrated. A variant whose
// access rule refuses such a record counts its request to the CWS.
//
// Source: "Wat betekent dit in de praktijk voor enkele archetypen
// ex-partners?", 'Was (snel) weg, maar hielp wel mee': "Voor, of <1 jaar na
// start problemen", droeg in: "Ja (aantoonbaar)", "0% * €30k = €0, maar
// maatwerk via CWS".
func (f *bFacts) helped(min int64) bool {
	return f.oneYear != input.Yes && contributedAtLeast(f.rec, min)
}

// contributedAtLeast reports whether a record demonstrably contributed min
// cents or more to the recovery (an empty contribution is not
// demonstrated): the "helped pay" of the archetype above.
func contributedAtLeast(r *input.Record, min int64) bool {
	return r.Contributed.Known && r.Contributed.Cents >= min
}

// helpedPayMinimum is the least contribution (cents) with which someone
// refused counts as having helped pay (funnel.helped_pay_minimum), or −1
// when the scenario counts no such CWS requests.
func helpedPayMinimum(f *scenario.Funnel) int64 {
	if !f.RefusedHelpers() {
		return -1
	}
	return cents(f.HelpedPayMinimum.Value)
}

// offset30k is rule 4, for an ex-partner who already received received
// cents (> 0) of the applicant's 30k, on an entitlement of amount cents:
// what is paid to the ex-partner, what the ex-partner already holds of
// the compensation for the harm (kept), and what the applicant is paid
// back. Not offsetting pays the entitlement; offsetting at the front pays
// it minus what was received (never below 0, nothing reclaimed) and the
// applicant gets the shared amount back, so the ex-partner holds all that
// was received, also where that is more than the entitlement; at the back
// the ex-partner gets the entitlement and the applicant the shared amount
// again. Only at the front does what was received count as the
// ex-partner's compensation (the scheme pays it to the applicant in its
// place); without an offset and at the back it stays the applicant's
// share, which the scheme leaves aside.
//
// Source: "Samenvatting uitwerking regeling (2/2)", 4), and its appendix page.
func offset30k(received, amount int64, o *scenario.BOptions) (paid, kept, applicant int64) {
	switch o.Offset30k {
	case scenario.OffsetNone:
		return amount, 0, 0
	case scenario.OffsetFront:
		return max(0, amount-received), received, received
	case scenario.OffsetBack:
		return amount, 0, received
	}
	panic(unchosen(o.Offset30k))
}

// deductFromApplicant is rule 5: what is withheld from the applicant's
// integral assessment (integral, cents) for the ex-partner's entitlement
// (amount): nothing beyond the 30k itself, or the entitlement too, as far
// as the assessment exceeds the applicant's lump sum.
//
// Source: "Samenvatting uitwerking regeling (2/2)", 5); "Integrale
// beoordeling aanvrager boven €30k".
func deductFromApplicant(integral input.Money, amount, lumpSum int64, o *scenario.BOptions) int64 {
	switch o.DeductFromApplicant {
	case scenario.Deduct30k:
		return 0
	case scenario.Deduct30kPlusLumpSum:
		if integral.Known && integral.Cents > lumpSum {
			return min(amount, integral.Cents-lumpSum)
		}
		return 0
	}
	panic(unchosen(o.DeductFromApplicant))
}

// extraPayment is rule 6: of extra (the percentage of the applicant's
// integral assessment above the base amount, entitlement), what the
// ex-partner is paid besides and what the applicant gets less: nothing,
// the difference split proportionally (the applicant gets it less), or
// paid without a deduction for the applicant.
//
// Source: "Samenvatting uitwerking regeling (2/2)", 6); "Integrale
// beoordeling aanvrager boven gekozen basisbedrag".
func extraPayment(extra int64, o *scenario.BOptions) (paid, applicant int64) {
	switch o.ExtraPayment {
	case scenario.ExtraNone:
		return 0, 0
	case scenario.ExtraProportionalSplit:
		return extra, -extra
	case scenario.ExtraPaid:
		return extra, 0
	}
	panic(unchosen(o.ExtraPayment))
}

// settle applies rules 4 to 6 in cents (stage StageSettle) to a record's
// entitlement (amount) and extra. It returns what the ex-partner is paid,
// the applicant's adjustment (+ paid to, − withheld from the applicant),
// and the ex-partner's whole compensation for the harm, which the CWS
// deducts ("minus de eerdere tegemoetkoming"): what is paid plus, with the
// front offset, all that was already received from the applicant.
//
// received30k is the record's ontvangen_deel_30k, integral its
// integrale_beoordeling (the only facts of the record it reads). Source:
// the option pages of the 30k offset, the applicant's side and the
// integral assessment, and "minus de eerdere tegemoetkoming" of the CWS;
// docs/methodology.md, "Variant B per record", steps 7-10.
func settle(received30k, integral input.Money, o *scenario.BOptions, lumpSum, amount, extra int64) (paid, applicant, compensation int64) {
	paid = amount
	var kept int64 // what the ex-partner already holds for the harm
	if received30k.Known && received30k.Cents > 0 {
		paid, kept, applicant = offset30k(received30k.Cents, amount, o)
	}
	applicant -= deductFromApplicant(integral, amount, lumpSum, o)
	extraPaid, extraApplicant := extraPayment(extra, o)
	return paid + extraPaid, applicant + extraApplicant, paid + extraPaid + kept
}

// unchosen is the panic of a rule given a choice it does not know, such
// as scenario.Threshold(7): the scenario's validation refuses it.
func unchosen[T ~uint8](choice T) string {
	return fmt.Sprintf("raming: no rule for %T(%d) (the scenario's validation refuses it)", choice, choice)
}
