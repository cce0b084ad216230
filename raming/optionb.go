package raming

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/internal/words"
	"raming/scenario"
)

// BRecord is one ex-partner's outcome under variant B's options: whether
// and why they have access, the years together, the percentage and the
// amount, so any amount can be explained to the person it belongs to.
type BRecord struct {
	ID string
	// Access is "ja", "nee", or "verwacht" when it depends on a value the
	// extract does not know (then Weight < 1 is the probability).
	Access string
	Weight float64
	Reason string
	// YearsTogether between start_problematiek and the reference date, and
	// the problem years in that span (both 0 when not computed).
	YearsTogether, ProblemYears decimal.Decimal
	Percentage                  decimal.Decimal
	// Amount is paid to the ex-partner (after any offset, with any extra
	// payment), ApplicantAdjustment to (+) or withheld from (−) the
	// applicant; whole euros and cents.
	Amount, ApplicantAdjustment decimal.Decimal
}

// BOutcome sums variant B per record over an extract.
type BOutcome struct {
	Options scenario.BOptions
	// Records are kept only for RecordsB.
	Records []BRecord
	// AverageYears is the average problem years used by weighted-share.
	AverageYears decimal.Decimal
	// Pending counts the records that took the scenario's peildatum for
	// pending payments (b.pending_peildatum).
	Pending int
	// sums hold the records' outcomes by weight group, for the case's expressions.
	sums bSums
	// Access is the expected number with access; the amount statistics are
	// weighted by the probability of access.
	Access                   float64
	MeanAmount, MedianAmount float64
	P10Amount, P90Amount     float64
	BelowLowAmount           float64
}

// Weight groups: which of a record's facts that decide access are unknown
// (and so taken at the scenario's share).
const (
	groupAffectedShare = 1 << 0 // gedupeerd unknown: affected_share
	groupTogetherShare = 1 << 1 // together 1+ year unknown: together_share
	numGroups          = 4
)

// bGroup sums the records of one weight group.
type bGroup struct {
	n               int64
	paid, applicant int64 // cents
	// nBelow and sumBelow count and sum the compensations below the CWS's
	// average damage (cents); nStep, nBelowStep and sumBelowStep the same
	// for the records the UHT step is for (admitted by the soft threshold
	// with less than a year together).
	nBelow, sumBelow                int64
	nStep, nBelowStep, sumBelowStep int64
	// noAccess counts the records in the target group that the threshold
	// refuses (those may still turn to the CWS).
	noAccess int64
	// overflow is set when a sum of cents would not fit an int64 (the
	// sum is then left as it was): an extract whose amounts add up to
	// more than EUR 92 thousand billion (errSumOverflow).
	overflow bool
}

// bSums are the per-record outcomes summed by weight group: everything
// variant B's case expression needs.
type bSums [numGroups]bGroup

// add counts one record with access. compensation is what the
// ex-partner receives for the harm in all (the CWS deducts it), damage the
// CWS's average damage, both in cents; step is true for a record the UHT
// step is for.
func (s *bSums) add(group int, paid, applicant, compensation, damage int64, step bool) {
	g := &s[group]
	g.n++
	g.addCents(&g.paid, paid)
	g.addCents(&g.applicant, applicant)
	if step {
		g.nStep++
	}
	if compensation < damage {
		g.nBelow++
		g.addCents(&g.sumBelow, compensation)
		if step {
			g.nBelowStep++
			g.addCents(&g.sumBelowStep, compensation)
		}
	}
}

// addCents adds x to the sum *sum, or sets g.overflow when the result
// would not fit an int64.
func (g *bGroup) addCents(sum *int64, x int64) {
	r := *sum + x
	if (x > 0 && r < *sum) || (x < 0 && r > *sum) {
		g.overflow = true
		return
	}
	*sum = r
}

// overflowed reports whether a sum of any group overflowed.
func (s *bSums) overflowed() bool {
	for _, g := range s {
		if g.overflow {
			return true
		}
	}
	return false
}

// errSumOverflow refuses an extract whose amounts paid add up to more than
// an int64 of cents holds; the amounts of the contract (each under EUR
// 10^13) allow it from about 9,000 records at the largest amounts.
var errSumOverflow = &ModelError{Msg: "variant B's amounts of the extract add up to more than EUR 92 thousand billion, more than the tool can sum; check the money columns of the extract (terugvordering_totaal, integrale_beoordeling, ...) for amounts far too large"}

// groupShares names the shares whose product is the probability of access
// of a weight group: affected_share when gedupeerd is unknown,
// together_share when together 1+ year is.
func groupShares(group int) []string {
	var ids []string
	if group&groupAffectedShare != 0 {
		ids = append(ids, "funnel.affected_share")
	}
	if group&groupTogetherShare != 0 {
		ids = append(ids, "funnel.together_share")
	}
	return ids
}

// bFacts are the facts of one record that B's options work on.
type bFacts struct {
	rec         *input.Record
	excluded    string          // reason, or "" when the record may have access
	years, span decimal.Decimal // together, and problem years to the peildatum
	oneYear     input.Answer    // together 1+ year after the start, within the span
	pending     bool            // the peildatum is the scenario's date for pending payments
}

// factsFor computes a record's facts under a reference date choice
// (stage StageTarget). Under eerste-betaling, a record with neither a
// first payment nor a report date takes pending, the scenario's date for
// payments still to come.
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
	if d, ok := peil.Fixed(); ok {
		at = input.DateOf(d)
	} else if !r.FirstPayment.IsZero() {
		at = r.FirstPayment
	} else if !r.ReportDate.IsZero() {
		at = r.ReportDate
	} else {
		at, f.pending = pending, true
	}
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

// access applies the threshold: the record's weight group, and whether
// the UHT step is for it (admitted by the soft threshold with less than a
// year together: the deck's mitigation page). ok false means no access,
// with the reason. A record that left before the problems began counts 0
// years together and may qualify under the soft threshold.
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
	panic(unchosen("threshold"))
}

func unchosen(option string) string {
	return "raming: option b." + option + " not chosen (the scenario's validation refuses this)"
}

var hundred = decimal.NewFromInt(100)

// bParams are B's numeric options, read once.
type bParams struct {
	perYear, fixed, unknownShare decimal.Decimal
	cap                          decimal.Decimal
	lumpSum, minContribution     int64 // cents
	low                          int64 // cents
	averageYears                 decimal.Decimal
	pending                      input.Date
	// The same in whole numbers, for wholeFacts.entitlement; whole is false when
	// one of them does not fit (or the cap is not whole cents).
	whole                      bool
	perYearF, fixedF, averageF fixed
	capCents                   int64
	averageWhole               bool
}

func newBParams(v *scenario.VariantB) bParams {
	o := v.Options
	p := bParams{perYear: o.PercentagePerYear.Value, fixed: o.PercentageFixed.Value, unknownShare: o.UnknownYearsShare.Value,
		cap: o.Cap.Value, lumpSum: cents(o.LumpSum.Value),
		minContribution: cents(o.SoftMinContribution.Value), low: cents(o.LowAmount.Value), pending: input.DateOf(o.PendingPeildatum.Time())}
	var okYear, okFixed bool
	p.perYearF, okYear = fixedOf(p.perYear)
	p.fixedF, okFixed = fixedOf(p.fixed)
	p.capCents = cents(p.cap)
	p.whole = okYear && okFixed && decimal.New(p.capCents, -2).Equal(p.cap)
	return p
}

// setAverage sets the average problem years that weighted-share divides by.
func (p *bParams) setAverage(average decimal.Decimal) {
	p.averageYears = average
	p.averageF, p.averageWhole = fixedOf(average)
}

// entitlement is the amount before any offset, in cents: percentage ×
// base, the percentage at most 100%, the amount at most the cap unless the
// base is the recovery. extra is the percentage of the integral assessment
// above the base (for the extra-payment options). Source: "Samenvatting
// uitwerking regeling" and "Integrale beoordeling aanvrager boven gekozen
// basisbedrag".
//
// With minimum_one_year, everyone with access who was together less than
// a year counts one full year ("altijd uitgaan van minstens 1 volledig jaar
// samen"), whatever the threshold.
//
// This is the definition, in exact decimals; wholeFacts.entitlement
// computes the same cents in whole numbers, and bParams.amounts takes
// that where the figures fit.
func entitlement(f *bFacts, o *scenario.BOptions, p *bParams) (pct decimal.Decimal, amount, extra int64, reason string) {
	years := f.years
	if bool(o.MinimumOneYear) && years.LessThan(decimal.NewFromInt(1)) {
		years = decimal.NewFromInt(1)
	}
	switch o.Percentage {
	case scenario.PercentageShare:
		pct = years.DivRound(f.span, divPlaces)
	case scenario.PercentageWeightedShare:
		pct = years.DivRound(p.averageYears, divPlaces)
	case scenario.PercentagePerYear:
		pct = p.perYear.Mul(years)
	case scenario.PercentageFixed:
		pct = p.fixed
	default:
		panic(unchosen("percentage"))
	}
	pct = decimal.Min(pct, decimal.NewFromInt(1))
	var base decimal.Decimal
	euros, capped := o.Base.Euros()
	if capped {
		base = decimal.NewFromInt(euros)
	} else {
		if !f.rec.Recovery.Known {
			return pct, 0, 0, "terugvordering onbekend: geen bedrag te berekenen"
		}
		base = f.rec.Recovery.Decimal()
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

func cents(d decimal.Decimal) int64 { return d.Mul(hundred).Round(0).IntPart() }

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
		panic(unchosen("percentage"))
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

// settle applies, in cents, the offset of an already-shared 30k, the
// applicant-side deduction and the extra payment on an integral assessment
// above the base (stage StageSettle). It returns what the ex-partner is
// paid, the applicant's adjustment (+ paid to, − withheld from the
// applicant), and the ex-partner's whole compensation for the harm, which
// the CWS deducts ("minus de eerdere tegemoetkoming"): what is paid plus,
// with the front offset, the part of the entitlement already received from
// the applicant. Source: the appendix pages on offsetting the shared 30k,
// "Integrale beoordeling aanvrager boven €30k" and "... boven gekozen
// basisbedrag".
//
// received is the record's ontvangen_deel_30k, integral its
// integrale_beoordeling (the only facts of the record it reads).
func settle(received30k, integral input.Money, o *scenario.BOptions, lumpSum, amount, extra int64) (paid, applicant, compensation int64) {
	paid = amount
	var kept int64 // the part of the entitlement the ex-partner already has
	if received30k.Known && received30k.Cents > 0 {
		received := received30k.Cents
		switch o.Offset30k {
		case scenario.OffsetNone:
		case scenario.OffsetFront:
			// The ex-partner gets the entitlement minus what was received
			// (never below 0, nothing reclaimed); the applicant gets the
			// shared amount back.
			paid = max(0, amount-received)
			kept = min(received, amount)
			applicant += received
		case scenario.OffsetBack:
			applicant += received
		default:
			panic(unchosen("offset_30k"))
		}
	}
	switch o.DeductFromApplicant {
	case scenario.Deduct30k:
	case scenario.Deduct30kPlusLumpSum:
		if integral.Known && integral.Cents > lumpSum {
			applicant -= min(amount, integral.Cents-lumpSum)
		}
	default:
		panic(unchosen("deduct_from_applicant"))
	}
	switch o.ExtraPayment {
	case scenario.ExtraNone:
	case scenario.ExtraProportionalSplit:
		paid += extra
		applicant -= extra
	case scenario.ExtraPaid:
		paid += extra
	default:
		panic(unchosen("extra_payment"))
	}
	return paid, applicant, paid + kept
}

// RecordsB returns variant B per record under the scenario's options, one
// BRecord per row of the extract, explained (for --records). It is the
// computation Estimate sums, with every record kept.
func RecordsB(sc *scenario.Scenario, pop *input.Population) ([]BRecord, error) {
	if pop == nil {
		return nil, &ModelError{Msg: "variant B is computed per record only on a population extract (--population)"}
	}
	if sc.B == nil {
		return nil, &ModelError{Msg: "the scenario has no variant B to compute per record"}
	}
	b, err := evaluateB(sc, sc.B, pop.Records, true)
	if err != nil {
		return nil, err
	}
	return b.Records, nil
}

// evaluateB computes variant B per record under the scenario's options.
// With keepRecords it keeps every record's outcome (for --records).
func evaluateB(sc *scenario.Scenario, v *scenario.VariantB, recs []input.Record, keepRecords bool) (*BOutcome, error) {
	o := v.Options
	p := newBParams(v)
	facts := make([]bFacts, len(recs))
	for i := range recs {
		facts[i] = factsFor(&recs[i], o.Peildatum, p.pending, p.unknownShare)
	}
	p.setAverage(averageSpan(facts, v))
	damage := cents(v.CWSAverageDamage.Value)
	weights := groupWeights(sc)
	out := &BOutcome{Options: o, AverageYears: p.averageYears}
	var paid []int64
	var groups []uint8
	for i := range facts {
		f := &facts[i]
		rec := BRecord{ID: f.rec.ID, Access: "nee", Reason: f.excluded}
		if f.pending {
			out.Pending++
		}
		if f.excluded == "" {
			group, step, reason, ok := f.access(&o, p.minContribution)
			if keepRecords {
				rec.YearsTogether, rec.ProblemYears = f.years.Round(4), f.span.Round(4)
				rec.Reason = reason
				if f.pending {
					rec.Reason += "; peildatum: aangenomen datum voor een nog niet gedane eerste betaling"
				}
			}
			if !ok {
				out.sums[group].noAccess++
			} else {
				w := wholeFactsOf(f)
				amount, extra, why := p.amounts(f, &w, &o)
				if keepRecords {
					pct, _, _, _ := entitlement(f, &o, &p)
					rec.Percentage = pct.Round(6)
				}
				if why != "" {
					rec.Reason = why
				} else {
					pd, applicant, compensation := settle(f.rec.Received30k, f.rec.IntegralAssessment, &o, p.lumpSum, amount, extra)
					out.sums.add(group, pd, applicant, compensation, damage, step)
					paid, groups = append(paid, pd), append(groups, uint8(group))
					if keepRecords {
						w := weights[group]
						rec.Amount, rec.ApplicantAdjustment = decimal.New(pd, -2), decimal.New(applicant, -2)
						rec.Access, rec.Weight = "ja", w
						if w < 1 {
							rec.Access = "verwacht"
						}
					}
				}
			}
		}
		if keepRecords {
			out.Records = append(out.Records, rec)
		}
	}
	if out.sums.overflowed() {
		return nil, errSumOverflow
	}
	out.summarise(paid, groups, &weights, p.low, &amountBuffers{})
	return out, nil
}

// groupWeights are the probabilities of access of the weight groups at
// the point values of their shares, for the amount statistics.
func groupWeights(sc *scenario.Scenario) (w [numGroups]float64) {
	values := map[string]decimal.Decimal{}
	for _, e := range sc.Entries() {
		values[e.ID] = e.Value
	}
	for g := range w {
		p := decimal.NewFromInt(1)
		for _, id := range groupShares(g) {
			p = p.Mul(values[id])
		}
		w[g] = p.InexactFloat64()
	}
	return w
}

// averageSpan is the average problem years (start to peildatum) over the
// records in the target group, for weighted-share; b.average_years
// overrides it. With nobody in the target group it is 0, and no record
// needs it.
func averageSpan(facts []bFacts, v *scenario.VariantB) decimal.Decimal {
	if a := v.Options.AverageYears; a.Given() {
		return a.Value
	}
	sum, n := decimal.Zero, int64(0)
	for i := range facts {
		if facts[i].excluded == "" {
			sum = sum.Add(facts[i].span)
			n++
		}
	}
	if n == 0 {
		return decimal.Zero
	}
	return sum.DivRound(decimal.NewFromInt(n), divPlaces)
}

// amountBuffers are the buffers of summarise, reused from one call to the
// next.
type amountBuffers struct {
	keys   []int64
	xs, ws []float64
}

// summarise computes the statistics of the amounts paid (cents), each
// weighted by the probability of access of its weight group (groups):
// the expected number with access, the mean, the weight below low, and
// the median, P10 and P90 (weightedPercentile). The amounts are taken in
// one order whatever the order of the records: by amount, equal amounts
// by weight group. The percentiles between two amounts depend on the
// weight of the last of the equal amounts, and float sums on the order of
// their terms, so an extract with its rows in another order gives the
// same figures.
func (b *BOutcome) summarise(paid []int64, groups []uint8, weights *[numGroups]float64, low int64, buf *amountBuffers) {
	keys := buf.keys[:0] // amount × numGroups + group (amounts paid are never negative): by amount, then group
	for i, c := range paid {
		keys = append(keys, c*numGroups+int64(groups[i]))
	}
	buf.keys = keys
	slices.Sort(keys)
	lowEUR := float64(low) / 100
	total, sum := 0.0, 0.0
	buf.xs, buf.ws = resize(buf.xs, len(keys)), resize(buf.ws, len(keys))
	for i, k := range keys {
		a, w := float64(k/numGroups)/100, weights[k%numGroups]
		total += w
		sum += a * w
		if a < lowEUR {
			b.BelowLowAmount += w
		}
		buf.xs[i], buf.ws[i] = a, w
	}
	b.Access = total
	if total == 0 {
		return
	}
	b.MeanAmount = sum / total
	b.MedianAmount = weightedPercentile(buf.xs, buf.ws, 50)
	b.P10Amount = weightedPercentile(buf.xs, buf.ws, 10)
	b.P90Amount = weightedPercentile(buf.xs, buf.ws, 90)
}

// exprEnv gives an expression its leaves and names its intermediate
// figures: the Builder in a run, pointValues in the option sweep.
type exprEnv interface {
	Assumption(id string) *Expr
	Define(id, label string, unit scenario.Unit, exact *Expr) *Expr
}

// groupShareLabels name the weight groups' shares of access in Dutch.
var groupShareLabels = [numGroups]string{"", "gedupeerd onbekend", "1+ jaar samen onbekend", "gedupeerd en 1+ jaar samen onbekend"}

// groupShareID names the quantity "share of the records of weight group g
// that have access" (g > 0; group 0 has no unknowns).
func groupShareID(variant string, g int) string { return fmt.Sprintf("%s.share.%d", variant, g) }

// expectedShare is a weight group's share of access at the point values
// of its shares: affected_share, together_share or their product.
func expectedShare(env exprEnv, g int) *Expr {
	var p []*Expr
	for _, id := range groupShares(g) {
		p = append(p, env.Assumption(id))
	}
	if len(p) == 1 {
		return p[0]
	}
	return Mul(p...)
}

// bCase is the one expression of variant B's case computed per record:
// Estimate evaluates it, the sweep evaluates it per combination of the
// options and compiles it for its bands, the simulation compiles it.
//
//	g          = 1 + report_growth
//	population = g × Σ s_g × n_g
//	paid       = g × Σ s_g × paid_g                      (to ex-partners)
//	applicant  = g × Σ s_g × applicant_g                 (applicant side, net)
//	shortfall  = g × appeal × Σ s_g × max(0, nBelow_g × cws_average_damage − sumBelow_g)
//	no_access  = g × no_access_cws_share × no_access_cws_damage × Σ s_g × noAccess_g
//	scheme     = paid + applicant (+ uht_step_share × the shortfall of the step's records)
//	cws        = shortfall (− that UHT share) + no_access
//
// s_g is the share of weight group g with access: 1 for records whose
// access is known; affected_share, together_share or their product where
// it depends on unknown values (in the simulation: drawn binomially, as
// A-E draw the extract's unknowns). appeal is B's appeal share, or the
// threshold's own when the scenario gives one. The shortfall compares the
// CWS's damage with each record's whole compensation. The UHT step is for
// those admitted by the soft threshold with less than a year together.
// The CWS term is exact at the point value of the CWS damage; Monte Carlo
// varies the damage with the same records below it.
type bCase struct {
	Population, CWSFiles     *Expr
	Paid, Applicant, UHTStep *Expr // UHTStep is nil on the direct route
	Scheme, CWS, Execution   *Expr
}

// bAppeal is B's CWS appeal share under the options' threshold:
// b.appeal_share_none or _soft when the scenario gives it, else
// B.cws_appeal_share.
func bAppeal(env exprEnv, variant string, o *scenario.BOptions, given func(id string) bool) *Expr {
	switch o.Threshold {
	case scenario.ThresholdNone:
		if given("b.appeal_share_none") {
			return env.Assumption("b.appeal_share_none")
		}
	case scenario.ThresholdSoft:
		if given("b.appeal_share_soft") {
			return env.Assumption("b.appeal_share_soft")
		}
	}
	return env.Assumption(variant + ".cws_appeal_share")
}

// newBCase builds B's case from the sums by weight group; share gives the
// share of access of a group with unknowns (g > 0).
func newBCase(env exprEnv, v *scenario.VariantB, o scenario.BOptions, sums *bSums, share func(g int) *Expr) bCase {
	a := func(key string) *Expr { return env.Assumption(v.ID + "." + key) }
	var pop, paid, applicant, below, stepBelow, stepFiles, noAccess []*Expr
	for g, s := range sums {
		prob := func(e *Expr) *Expr {
			if g == 0 {
				return e
			}
			return Mul(share(g), e)
		}
		// A shortfall is never negative: at the point damage every
		// amount counted is below it, and a drawn damage below some of
		// them lowers the sum at most to 0 (max(0, ·) per term).
		belowTerm := func(n, sum int64) *Expr {
			return prob(Max0(Sub(Mul(Count(n), a("cws_average_damage")), Amount(decimal.New(sum, -2)))))
		}
		if s.noAccess > 0 {
			noAccess = append(noAccess, prob(Count(s.noAccess)))
		}
		if s.n == 0 {
			continue
		}
		pop = append(pop, prob(Count(s.n)))
		paid = append(paid, prob(Amount(decimal.New(s.paid, -2))))
		applicant = append(applicant, prob(Amount(decimal.New(s.applicant, -2))))
		// The records the UHT step is for are a term of their own, so
		// that the step's part of the shortfall never exceeds it.
		if n := s.nBelow - s.nBelowStep; n > 0 {
			below = append(below, belowTerm(n, s.sumBelow-s.sumBelowStep))
		}
		if s.nBelowStep > 0 {
			t := belowTerm(s.nBelowStep, s.sumBelowStep)
			below, stepBelow = append(below, t), append(stepBelow, t)
		}
		if s.nStep > 0 {
			stepFiles = append(stepFiles, prob(Count(s.nStep)))
		}
	}
	sum := func(terms []*Expr) *Expr {
		switch len(terms) {
		case 0:
			return Count(0)
		case 1:
			return terms[0]
		}
		return Add(terms...)
	}
	growth := Add(Count(1), env.Assumption("funnel.report_growth"))
	appeal := bAppeal(env, v.ID, &o, func(id string) bool {
		switch id {
		case "b.appeal_share_none":
			return v.Options.AppealShareNone.Given()
		case "b.appeal_share_soft":
			return v.Options.AppealShareSoft.Given()
		}
		return false
	})
	c := bCase{}
	c.Population = env.Define(v.ID+".population", "Ex-partners met toegang (per record)", scenario.Persons, Mul(growth, sum(pop)))
	c.Paid, c.Applicant = Mul(growth, sum(paid)), Mul(growth, sum(applicant))
	shortfall := env.Define(v.ID+".cws_shortfall", "CWS: tekort t.o.v. gemiddelde schade (per record)", scenario.EUR,
		Mul(growth, appeal, sum(below)))
	c.CWSFiles, c.Scheme, c.CWS = Mul(c.Population, appeal), Add(c.Paid, c.Applicant), shortfall
	switch o.CWSRoute {
	case scenario.RouteDirect:
	case scenario.RouteUHTStep:
		if len(stepFiles) > 0 {
			step := env.Assumption("b.uht_step_share")
			c.UHTStep = Mul(growth, appeal, step, sum(stepBelow))
			c.Scheme = Add(c.Paid, c.Applicant, c.UHTStep)
			c.CWS = Sub(shortfall, c.UHTStep)
			c.CWSFiles = Sub(c.CWSFiles, Mul(growth, appeal, step, sum(stepFiles)))
		}
	default:
		panic(unchosen("cws_route"))
	}
	if len(noAccess) > 0 {
		refused := Mul(growth, env.Assumption("b.no_access_cws_share"), sum(noAccess))
		c.CWS = Add(c.CWS, env.Define(v.ID+".cws_no_access", "CWS: verzoeken van wie geen toegang heeft (per record)", scenario.EUR,
			Mul(refused, env.Assumption("b.no_access_cws_damage"))))
		c.CWSFiles = Add(c.CWSFiles, refused)
	}
	c.Execution = bExecution(env, &o)
	return c
}

// bExecution is the deck's execution cost for the options: the
// threshold's, plus execution_extra (~EUR 1.5 mln) for each chosen offset,
// the 30k-plus-lump-sum deduction and an extra payment. Source: "3
// Toegangsdrempel" and the option pages.
func bExecution(env exprEnv, o *scenario.BOptions) *Expr {
	var terms []*Expr
	switch o.Threshold {
	case scenario.ThresholdNone:
		terms = append(terms, env.Assumption("b.execution_none"))
	case scenario.ThresholdHard:
		terms = append(terms, env.Assumption("b.execution_hard"))
	case scenario.ThresholdSoft:
		terms = append(terms, env.Assumption("b.execution_soft"))
	default:
		panic(unchosen("threshold"))
	}
	for _, extra := range []bool{o.Offset30k != scenario.OffsetNone, o.DeductFromApplicant == scenario.Deduct30kPlusLumpSum,
		o.ExtraPayment != scenario.ExtraNone} {
		if extra {
			terms = append(terms, env.Assumption("b.execution_extra"))
		}
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return Add(terms...)
}

// optionLabel is the Dutch label of an option's value in o.
func optionLabel(key string, o *scenario.BOptions) string {
	op, _ := scenario.OptionByKey(key)
	return op.LabelOf(o)
}

// perRecordB computes variant B's case per record on the extract.
func (b *Builder) perRecordB(v *scenario.VariantB) (Case, error) {
	out, err := evaluateB(b.sc, v, b.pop.Records, false)
	if err != nil {
		return Case{}, err
	}
	share := func(g int) *Expr {
		id := groupShareID(v.ID, g)
		if _, ok := b.qs[id]; !ok {
			b.Define(id, "Aandeel met toegang ("+v.ID+", "+groupShareLabels[g]+")", scenario.Share, expectedShare(b, g))
			b.res.groupDraws = append(b.res.groupDraws, groupDraw{quantity: id, n: out.sums[g].n + out.sums[g].noAccess, group: g})
		}
		return b.Quantity(id)
	}
	x := newBCase(b, v, v.Options, &out.sums, share)
	o := v.Options
	h := scenario.CaseHeader{ID: v.ID + "-opties", Label: fmt.Sprintf("Per record: %s, %s, %s",
		words.LowerFirst(optionLabel("percentage", &o)), words.LowerFirst(optionLabel("threshold", &o)), "peildatum "+optionLabel("peildatum", &o))}
	c := NewCase(h, x.Population, x.CWSFiles, x.Scheme, x.CWS)
	c.Execution, c.PerRecord = x.Execution, out
	return c, nil
}
