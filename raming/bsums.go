package raming

import (
	"slices"

	"github.com/shopspring/decimal"

	"raming/scenario"
)

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
	refusals
	// overflow is set when a sum of cents would not fit an int64 (the
	// sum is then left as it was): an extract whose amounts add up to
	// more than EUR 92 thousand billion (errSumOverflow).
	overflow bool
}

// refusals count a weight group's records that the threshold refuses, and
// among the records of those who demonstrably helped pay (bFacts.helped)
// those it refuses and those it admits only if they were together 1+ year
// (end unknown: refused with the chance 1 − together_share). The helpers
// refused may still turn to the CWS (newBCase).
type refusals struct {
	noAccess, helpedRefused, helpedMaybe int64
}

// count counts a record that the threshold refused (ok false) or admitted
// in weight group group; helped is bFacts.helped.
func (r *refusals) count(group int, ok, helped bool) {
	switch {
	case !ok:
		r.noAccess++
		if helped {
			r.helpedRefused++
		}
	case helped && group&groupTogetherShare != 0:
		r.helpedMaybe++
	}
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

// groupWeights are the probabilities of access of the weight groups at
// the point values of their shares (affected_share where gedupeerd is
// unknown, together_share where together 1+ year is), for the amount
// statistics.
func groupWeights(sc *scenario.Scenario) (w [numGroups]float64) {
	f := &sc.Funnel
	for g := range w {
		p := decimal.NewFromInt(1)
		if g&groupAffectedShare != 0 {
			p = p.Mul(f.AffectedShare.Value)
		}
		if g&groupTogetherShare != 0 {
			p = p.Mul(f.TogetherShare.Value)
		}
		w[g] = p.InexactFloat64()
	}
	return w
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
