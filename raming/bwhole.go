package raming

import (
	"raming/input"
	"raming/scenario"
)

// wholeFacts are what the entitlement in whole numbers and settle read of
// a record: its years together and problem years as fixed (ok false when
// they do not fit), and its amounts.
type wholeFacts struct {
	years, span                     fixed
	ok                              bool
	recovery, integral, received30k input.Money
}

func wholeFactsOf(f *bFacts) wholeFacts {
	years, okYears := fixedOf(f.years)
	span, okSpan := fixedOf(f.span)
	return wholeFacts{years: years, span: span, ok: okYears && okSpan,
		recovery: f.rec.Recovery, integral: f.rec.IntegralAssessment, received30k: f.rec.Received30k}
}

// entitlement is entitlement (the function) in whole numbers (fixed,
// 128-bit products): the same amount and extra to the cent, some twenty
// times faster. ok is false when a figure does not fit; the record is then
// computed with decimals (bParams.amounts).
func (f *wholeFacts) entitlement(o *scenario.BOptions, p *bParams) (amount, extra int64, reason string, ok bool) {
	if !p.whole || !f.ok {
		return 0, 0, "", false
	}
	years, one := f.years, fixed{1, 0}
	if bool(o.MinimumOneYear) && years.less(one) {
		years = one
	}
	var pct fixed
	switch o.Percentage {
	case scenario.PercentageShare:
		pct, ok = years.quotient(f.span, divPlaces)
	case scenario.PercentageWeightedShare:
		if !p.averageWhole {
			return 0, 0, "", false
		}
		pct, ok = years.quotient(p.averageF, divPlaces)
	case scenario.PercentagePerYear:
		pct, ok = p.perYearF.product(years)
	case scenario.PercentageFixed:
		pct, ok = p.fixedF, true
	default:
		panic(unchosen(o.Percentage))
	}
	if !ok {
		return 0, 0, "", false
	}
	if one.less(pct) {
		pct = one
	}
	var base int64 // cents
	euros, capped := o.Base.Euros()
	if capped {
		base = euros * 100
	} else {
		if !f.recovery.Known {
			return 0, 0, "terugvordering onbekend: geen bedrag te berekenen", true
		}
		base = f.recovery.Cents
	}
	if amount, ok = pct.timesCents(base); !ok {
		return 0, 0, "", false
	}
	if capped {
		amount = min(amount, p.capCents)
	}
	if ib := f.integral; ib.Known && ib.Cents > base {
		if extra, ok = pct.timesCents(ib.Cents - base); !ok {
			return 0, 0, "", false
		}
	}
	return amount, extra, "", true
}

// amounts returns a record's entitlement and extra in cents, or the
// reason there is none: in whole numbers (w, the record's wholeFacts)
// where its figures fit, else with decimals.
func (p *bParams) amounts(f *bFacts, w *wholeFacts, o *scenario.BOptions) (amount, extra int64, reason string) {
	if amount, extra, reason, ok := w.entitlement(o, p); ok {
		return amount, extra, reason
	}
	_, amount, extra, reason = entitlement(f, o, p)
	return amount, extra, reason
}
