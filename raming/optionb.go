package raming

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"raming/input"
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
	// groups hold the sums by weight group, for the case's expressions.
	groups [4]bGroup
	// Access is the expected number with access; the amount statistics are
	// weighted by the probability of access.
	Access                   float64
	MeanAmount, MedianAmount float64
	P10Amount, P90Amount     float64
	BelowLowAmount           float64
	ExecutionCost            decimal.Decimal
}

// bGroup sums records of one weight group: affected known (0) or by
// affected_share (1), times together-1-year known (0) or by together_share (1).
type bGroup struct {
	n                int64
	paid, applicant  int64 // cents
	nBelow, sumBelow int64 // records paid less than the CWS damage, and their sum (cents)
}

// add counts one record in the group; damage is the CWS's average damage
// in cents.
func (g *bGroup) add(paid, applicant, damage int64) {
	g.n++
	g.paid += paid
	g.applicant += applicant
	if paid < damage {
		g.nBelow++
		g.sumBelow += paid
	}
}

const (
	groupAffectedShare = 1 << 0
	groupTogetherShare = 1 << 1
)

// yearsBetween counts years from a to b: whole years by anniversary, then
// the days left as a fraction of the days to the next anniversary (so
// 2014-01-01 to 2016-07-02 is 2 + 182/365). Negative spans count 0.
func yearsBetween(a, b time.Time) decimal.Decimal {
	if !b.After(a) {
		return decimal.Zero
	}
	y := b.Year() - a.Year()
	if a.AddDate(y, 0, 0).After(b) {
		y--
	}
	start := a.AddDate(y, 0, 0)
	next := a.AddDate(y+1, 0, 0)
	days := decimal.NewFromInt(int64(b.Sub(start).Hours() / 24))
	in := decimal.NewFromInt(int64(next.Sub(start).Hours() / 24))
	return decimal.NewFromInt(int64(y)).Add(days.DivRound(in, divPlaces))
}

// bFacts are the facts of one record that B's options work on.
type bFacts struct {
	rec         *input.Record
	excluded    string // reason, or "" when the record may have access
	peil        input.Date
	years, span decimal.Decimal // together, and problem years to the peildatum
	endKnown    bool
	oneYear     input.Answer // together 1+ year after the start, within the span
	affected    input.Answer
}

// factsFor computes a record's facts under a reference date choice.
func factsFor(r *input.Record, o *scenario.BOptions, unknownShare decimal.Decimal) bFacts {
	f := bFacts{rec: r, affected: r.Affected}
	switch {
	case r.RestoredAsApplicant:
		f.excluded = "al hersteld als (tweede) aanvrager"
		return f
	case r.Affected == input.No:
		f.excluded = "dossier aanvrager niet gedupeerd"
		return f
	}
	if d, ok := o.PeildatumDate(); ok {
		f.peil = input.DateOf(d)
	} else if !r.FirstPayment.IsZero() {
		f.peil = r.FirstPayment
	} else if !r.ReportDate.IsZero() {
		f.peil = r.ReportDate
	} else {
		f.excluded = "geen peildatum: geen eerste betaling aan aanvrager en geen melddatum"
		return f
	}
	f.span = yearsBetween(r.ProblemStart.Time(), f.peil.Time())
	if f.span.Sign() <= 0 {
		f.excluded = "peildatum ligt niet na de start van de problematiek"
		return f
	}
	f.endKnown = !r.EndTogether.IsZero()
	if f.endKnown && r.EndTogether.After(f.peil) {
		f.excluded = "op de peildatum nog samen: geen ex-partner"
		return f
	}
	if f.endKnown {
		f.years = yearsBetween(r.ProblemStart.Time(), r.EndTogether.Time())
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

// access applies the threshold: the record's weight group and whether the
// minimum of one year applies. ok false means no access, with the reason.
func (f *bFacts) access(o *scenario.BOptions, minContribution int64) (group int, minimum bool, reason string, ok bool) {
	if f.affected == input.Unknown {
		group |= groupAffectedShare
	}
	contributed := f.rec.Contributed.Known && f.rec.Contributed.Cents >= minContribution
	switch o.Threshold {
	case "none":
		return group, false, "geen drempel", true
	case "hard":
		switch f.oneYear {
		case input.No:
			return 0, false, "harde drempel: minder dan 1 jaar samen na start problematiek", false
		case input.Unknown:
			return group | groupTogetherShare, false, "harde drempel: einde samenwonen onbekend, kans op 1+ jaar samen", true
		}
		return group, false, "harde drempel: 1+ jaar samen", true
	}
	// soft: the hard threshold, or disadvantage made plausible by a contribution.
	switch {
	case f.oneYear == input.Yes:
		return group, false, "zachte drempel: 1+ jaar samen", true
	case contributed:
		return group, o.MinimumOneYear && f.oneYear == input.No, "zachte drempel: bijgedragen aan terugvordering", true
	case f.oneYear == input.Unknown:
		return group | groupTogetherShare, false, "zachte drempel: einde samenwonen onbekend, kans op 1+ jaar samen", true
	}
	return 0, false, "zachte drempel: minder dan 1 jaar samen en geen bijdrage aan terugvordering", false
}

var hundred = decimal.NewFromInt(100)

// bParams are B's numeric options, read once.
type bParams struct {
	perYear, fixed, unknownShare decimal.Decimal
	cap                          decimal.Decimal
	lumpSum, minContribution     int64 // cents
	low                          int64 // cents
	averageYears                 decimal.Decimal
}

func newBParams(sc *scenario.Scenario) bParams {
	o := sc.B.Options
	return bParams{perYear: o.PercentagePerYear.Value, fixed: o.PercentageFixed.Value, unknownShare: o.UnknownYearsShare.Value,
		cap: o.Cap.Value, lumpSum: cents(o.LumpSum.Value),
		minContribution: cents(o.SoftMinContribution.Value), low: cents(o.LowAmount.Value)}
}

// entitlement is the amount before any offset, in cents: percentage ×
// base, the percentage at most 100%, the amount at most the cap unless the
// base is the recovery. extra is the percentage of the integral assessment
// above the base (for the extra-payment options). Source: "Samenvatting
// uitwerking regeling" and "Integrale beoordeling aanvrager boven gekozen
// basisbedrag".
func entitlement(f *bFacts, o *scenario.BOptions, p *bParams, minimum bool) (pct decimal.Decimal, amount, extra int64, reason string) {
	years := f.years
	if minimum && years.LessThan(decimal.NewFromInt(1)) {
		years = decimal.NewFromInt(1)
	}
	switch o.Percentage {
	case "share":
		pct = years.DivRound(f.span, divPlaces)
	case "weighted-share":
		pct = years.DivRound(p.averageYears, divPlaces)
	case "per-year":
		pct = p.perYear.Mul(years)
	case "fixed":
		pct = p.fixed
	}
	pct = decimal.Min(pct, decimal.NewFromInt(1))
	var base decimal.Decimal
	switch o.Base {
	case "terugvordering":
		if !f.rec.Recovery.Known {
			return pct, 0, 0, "terugvordering onbekend: geen bedrag te berekenen"
		}
		base = f.rec.Recovery.Decimal()
	default:
		base = decimal.RequireFromString(o.Base)
	}
	a := pct.Mul(base).Round(2)
	if o.Base != "terugvordering" {
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

// settle applies, in cents, the offset of an already-shared 30k, the
// applicant-side deduction and the extra payment on an integral assessment
// above the base. It returns what the ex-partner is paid and the
// applicant's adjustment (+ paid to, − withheld from the applicant).
// Source: the appendix pages on offsetting the shared 30k, "Integrale
// beoordeling aanvrager boven €30k" and "... boven gekozen basisbedrag".
func settle(r *input.Record, o *scenario.BOptions, lumpSum, amount, extra int64) (paid, applicant int64) {
	paid = amount
	if r.Received30k.Known && r.Received30k.Cents > 0 {
		received := r.Received30k.Cents
		switch o.Offset30k {
		case "front":
			// The ex-partner gets the entitlement minus what was received
			// (never below 0, nothing reclaimed); the applicant gets the
			// shared amount back.
			paid = max(0, amount-received)
			applicant += received
		case "back":
			applicant += received
		}
	}
	if ib := r.IntegralAssessment; ib.Known && o.DeductFromApplicant == "30k-plus-lump-sum" && ib.Cents > lumpSum {
		applicant -= min(amount, ib.Cents-lumpSum)
	}
	switch o.ExtraPayment {
	case "proportional-split":
		paid += extra
		applicant -= extra
	case "extra":
		paid += extra
	}
	return paid, applicant
}

// RecordsB returns variant B per record under the scenario's options, one
// BRecord per row of the extract, explained (for --records). It is the
// computation Estimate sums, with every record kept.
func RecordsB(sc *scenario.Scenario, pop *input.Population) ([]BRecord, error) {
	if pop == nil {
		return nil, fmt.Errorf("variant B is computed per record only on a population extract (--population)")
	}
	b, err := evaluateB(sc, pop.Records, true)
	if err != nil {
		return nil, err
	}
	return b.Records, nil
}

// evaluateB computes variant B per record under the scenario's options.
// With keepRecords it keeps every record's outcome (for --records).
func evaluateB(sc *scenario.Scenario, recs []input.Record, keepRecords bool) (*BOutcome, error) {
	o := sc.B.Options
	p := newBParams(sc)
	facts := make([]bFacts, len(recs))
	for i := range recs {
		facts[i] = factsFor(&recs[i], &o, p.unknownShare)
	}
	p.averageYears = averageSpan(facts, sc)
	if o.Percentage == "weighted-share" && p.averageYears.Sign() <= 0 {
		return nil, fmt.Errorf("weighted-share needs the average problem years, and no record is in the target group; set b.average_years")
	}
	damage := cents(sc.B.CWSAverageDamage.Value)
	out := &BOutcome{Options: o, AverageYears: p.averageYears}
	var amounts, weights []float64
	for i := range facts {
		f := &facts[i]
		rec := BRecord{ID: f.rec.ID, Access: "nee", Reason: f.excluded}
		if f.excluded == "" {
			rec.YearsTogether, rec.ProblemYears = f.years.Round(4), f.span.Round(4)
			group, minimum, reason, ok := f.access(&o, p.minContribution)
			rec.Reason = reason
			if ok {
				pct, amount, extra, why := entitlement(f, &o, &p, minimum)
				rec.Percentage = pct.Round(6)
				if why != "" {
					rec.Reason = why
				} else {
					paid, applicant := settle(f.rec, &o, p.lumpSum, amount, extra)
					rec.Amount, rec.ApplicantAdjustment = decimal.New(paid, -2), decimal.New(applicant, -2)
					w := weight(group, sc)
					rec.Access, rec.Weight = "ja", w
					if w < 1 {
						rec.Access = "verwacht"
					}
					out.groups[group].add(paid, applicant, damage)
					amounts = append(amounts, float64(paid)/100)
					weights = append(weights, w)
				}
			}
		}
		if keepRecords {
			out.Records = append(out.Records, rec)
		}
	}
	out.summarise(amounts, weights, float64(p.low)/100)
	out.ExecutionCost = executionCost(&o)
	return out, nil
}

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

// groupProbability is the probability of access of a weight group at the
// point values of its shares.
func groupProbability(group int, sc *scenario.Scenario) decimal.Decimal {
	p := decimal.NewFromInt(1)
	for _, id := range groupShares(group) {
		p = p.Mul(shareValue(sc, id))
	}
	return p
}

func shareValue(sc *scenario.Scenario, id string) decimal.Decimal {
	if id == "funnel.affected_share" {
		return sc.Funnel.AffectedShare.Value
	}
	return sc.Funnel.TogetherShare.Value
}

// weight is groupProbability as a float, for the amount statistics.
func weight(group int, sc *scenario.Scenario) float64 {
	return groupProbability(group, sc).InexactFloat64()
}

// averageSpan is the average problem years (start to peildatum) over the
// records in the target group, for weighted-share; b.average_years
// overrides it.
func averageSpan(facts []bFacts, sc *scenario.Scenario) decimal.Decimal {
	if a := sc.B.Options.AverageYears; a.Given() {
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

// executionCost is the deck's estimate for the threshold plus ~EUR 1.5 mln
// for each chosen offset, the 30k-plus-lump-sum deduction and an extra
// payment. Source: "3 Toegangsdrempel" and the option pages.
func executionCost(o *scenario.BOptions) decimal.Decimal {
	c := map[string]decimal.Decimal{"none": o.ExecutionNone.Value, "hard": o.ExecutionHard.Value, "soft": o.ExecutionSoft.Value}[o.Threshold]
	for _, extra := range []bool{o.Offset30k != "none", o.DeductFromApplicant == "30k-plus-lump-sum", o.ExtraPayment != "none"} {
		if extra {
			c = c.Add(o.ExecutionExtra.Value)
		}
	}
	return c
}

// summarise computes the weighted statistics of the amounts paid.
func (b *BOutcome) summarise(amounts, weights []float64, low float64) {
	type aw struct{ a, w float64 }
	xs := make([]aw, len(amounts))
	total, sum := 0.0, 0.0
	for i := range amounts {
		xs[i] = aw{amounts[i], weights[i]}
		total += weights[i]
		sum += amounts[i] * weights[i]
		if amounts[i] < low {
			b.BelowLowAmount += weights[i]
		}
	}
	b.Access = total
	if total == 0 {
		return
	}
	b.MeanAmount = sum / total
	slices.SortFunc(xs, func(x, y aw) int { return cmpFloat(x.a, y.a) })
	// Weighted percentile: the smallest amount whose cumulative weight
	// reaches p of the total.
	at := func(p float64) float64 {
		c := 0.0
		for _, x := range xs {
			c += x.w
			if c >= p*total-1e-9 {
				return x.a
			}
		}
		return xs[len(xs)-1].a
	}
	b.MedianAmount, b.P10Amount, b.P90Amount = at(0.5), at(0.1), at(0.9)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// caseB builds variant B's case from the per-record outcome, as
// expressions whose leaves are the shares that unknown values take and the
// CWS assumptions, so the workbook shows the sums and Monte Carlo can vary
// the shares:
//
//	population = Σ_g P(g) × n_g
//	scheme     = Σ_g P(g) × (paid_g + applicant_g)
//	cws        = cws_appeal_share × Σ_g P(g) × (nBelow_g × cws_average_damage − sumBelow_g) × (1 − uht_step)
//	           (and the UHT step's share of it counted in the scheme)
//
// P(g) is 1, affected_share, together_share or their product. The CWS term
// is exact at the point value of the CWS damage; Monte Carlo varies the
// damage with the same records below it.
func (m *model) caseB(b *BOutcome) Case {
	o := b.Options
	var pop, paid, below []*Expr
	for g, s := range b.groups {
		if s.n == 0 {
			continue
		}
		var p []*Expr
		for _, id := range groupShares(g) {
			p = append(p, m.a(id))
		}
		prob := func(e *Expr) *Expr { return mul(append(slices.Clone(p), e)...) }
		pop = append(pop, prob(constant(s.n)))
		paid = append(paid, prob(leaf("", decimal.New(s.paid+s.applicant, -2))))
		below = append(below, prob(sub(mul(constant(s.nBelow), m.a("B.cws_average_damage")), leaf("", decimal.New(s.sumBelow, -2)))))
	}
	if len(pop) == 0 {
		pop, paid, below = []*Expr{constant(0)}, []*Expr{constant(0)}, []*Expr{constant(0)}
	}
	population := m.quantity("B.population", "Ex-partners met toegang (per record)", scenario.Persons, add(pop...))
	cwsAll := m.quantity("B.cws_shortfall", "CWS: tekort t.o.v. gemiddelde schade (per record)", scenario.EUR, mul(m.a("B.cws_appeal_share"), add(below...)))
	scheme, cws := add(paid...), cwsAll
	cwsFiles := mul(m.q("B.population"), m.a("B.cws_appeal_share"))
	if o.CWSRoute == "uht-step" {
		step := m.a("B.options.uht_step_share")
		scheme = add(scheme, mul(cwsAll, step))
		cws = mul(cwsAll, sub(constant(1), step))
		cwsFiles = mul(cwsFiles, sub(constant(1), step))
	}
	label := fmt.Sprintf("Per record: %s × basis %s, peildatum %s, drempel %s", o.Percentage, o.Base, o.Peildatum, o.Threshold)
	return newCase("B-opties", label, scenario.DeckCase{}, population, cwsFiles, scheme, cws)
}
