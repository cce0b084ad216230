package raming

import (
	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

// Variant B computed per record on an extract: the rules (brules.go,
// and bwhole.go in whole cents) applied to every record, summed by weight
// group (bsums.go) into the case expression (bcase.go).

// RecordsB returns variant B per record under the scenario's options, one
// BRecord per row of the extract, explained (for --records). It is the
// computation Estimate sums, with every record kept.
func RecordsB(sc *scenario.Scenario, pop *input.Population) ([]BRecord, error) {
	e, err := NewEngine(sc, pop)
	if err != nil {
		return nil, err
	}
	return e.RecordsB(nil)
}

// evaluateB computes variant B per record under the scenario's options.
// With keepRecords it keeps every record's outcome (for --records).
func evaluateB(sc *scenario.Scenario, v *scenario.VariantB, recs []input.Record, keepRecords bool) (*BOutcome, error) {
	o := v.Options
	p := newBParams(sc, v)
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
			out.sums[group].count(group, ok, p.helped(f))
			if ok {
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

var hundred = decimal.NewFromInt(100)

// bParams are B's numeric options, read once.
type bParams struct {
	perYear, fixed, unknownShare decimal.Decimal
	cap                          decimal.Decimal
	lumpSum, minContribution     int64 // cents
	// helpedMin is the minimum contribution (cents) of those refused whose
	// CWS requests the scenario counts because they helped pay, or −1
	// when it counts none (helpedPayMinimum).
	helpedMin    int64
	low          int64 // cents
	averageYears decimal.Decimal
	pending      input.Date
	// The same in whole numbers, for wholeFacts.entitlement; whole is false when
	// one of them does not fit (or the cap is not whole cents).
	whole                      bool
	perYearF, fixedF, averageF fixed
	capCents                   int64
	averageWhole               bool
}

func newBParams(sc *scenario.Scenario, v *scenario.VariantB) bParams {
	o := v.Options
	p := bParams{perYear: o.PercentagePerYear.Value, fixed: o.PercentageFixed.Value, unknownShare: o.UnknownYearsShare.Value,
		cap: o.Cap.Value, lumpSum: cents(o.LumpSum.Value),
		minContribution: cents(o.SoftMinContribution.Value), low: cents(o.LowAmount.Value), pending: input.DateOf(o.PendingPeildatum.Time())}
	p.helpedMin = helpedPayMinimum(&sc.Funnel)
	var okYear, okFixed bool
	p.perYearF, okYear = fixedOf(p.perYear)
	p.fixedF, okFixed = fixedOf(p.fixed)
	p.capCents = cents(p.cap)
	p.whole = okYear && okFixed && decimal.New(p.capCents, -2).Equal(p.cap)
	return p
}

// helped reports whether the record counts among those who helped pay
// (bFacts.helped), when the scenario counts them.
func (p *bParams) helped(f *bFacts) bool { return p.helpedMin >= 0 && f.helped(p.helpedMin) }

// setAverage sets the average problem years that weighted-share divides by.
func (p *bParams) setAverage(average decimal.Decimal) {
	p.averageYears = average
	p.averageF, p.averageWhole = fixedOf(average)
}

func cents(d decimal.Decimal) int64 { return d.Mul(hundred).Round(0).IntPart() }
