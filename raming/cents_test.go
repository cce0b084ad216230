package raming

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"raming/scenario"
)

// TestEntitlementCentsIsExact: the entitlement in whole numbers is the
// decimal one to the cent, for every record of a varied extract under
// every combination of the options it depends on, with the deck's
// parameters and with others (a percentage per year and a fixed percentage
// of more decimals, a given average, a cap in cents).
func TestEntitlementCentsIsExact(t *testing.T) {
	recs := syntheticRecords(1500, 5)
	for _, set := range [][]string{nil, {"b.percentage_per_year=0.0825", "b.percentage_fixed=0.3333333", "b.average_years=6.25", "b.cap=24999.99"}} {
		sc := loadScenario(t, "deck-exact")
		for _, kv := range set {
			k, v, _ := strings.Cut(kv, "=")
			if err := sc.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{}
		for _, o := range OptionGrid(sc.B.Options, nil) {
			key := upTo(&o, scenario.StageAmount)
			if seen[key] {
				continue
			}
			seen[key] = true
			p := newBParams(sc, sc.B)
			facts := make([]bFacts, len(recs))
			for i := range recs {
				facts[i] = factsFor(&recs[i], o.Peildatum, p.pending, p.unknownShare)
			}
			p.setAverage(averageSpan(facts, sc.B))
			checked := 0
			for i := range facts {
				f := &facts[i]
				if f.excluded != "" {
					continue
				}
				_, amount, extra, why := entitlement(f, &o, &p)
				whole := wholeFactsOf(f)
				a, x, w, ok := whole.entitlement(&o, &p)
				if !ok {
					t.Fatalf("%v %+v: no whole-number entitlement for years %s of %s", set, o, f.years, f.span)
				}
				if a != amount || x != extra || w != why {
					t.Fatalf("%v %+v, years %s of %s: %d, %d %q in whole numbers, %d, %d %q in decimals", set, o, f.years, f.span, a, x, w, amount, extra, why)
				}
				checked++
			}
			if checked == 0 {
				t.Fatalf("%+v: no record checked", o)
			}
		}
	}
}

// TestFixedArithmetic: quotient, product and timesCents round as
// decimal.Decimal's DivRound, Mul and Round do, on random operands.
func TestFixedArithmetic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	random := func() (fixed, decimal.Decimal) {
		scale := r.IntN(14)
		num := uint64(r.Int64N(int64(pow10[min(scale+3, 17)])))
		return fixed{num, scale}, decimal.New(int64(num), -int32(scale))
	}
	for range 20000 {
		x, xd := random()
		y, yd := random()
		if y.num != 0 {
			if q, ok := x.quotient(y, 12); ok && !q.decimal().Equal(xd.DivRound(yd, 12)) {
				t.Fatalf("%s ÷ %s: %s, want %s", xd, yd, q.decimal(), xd.DivRound(yd, 12))
			}
		}
		if p, ok := x.product(y); ok && !p.decimal().Equal(xd.Mul(yd)) {
			t.Fatalf("%s × %s: %s, want %s", xd, yd, p.decimal(), xd.Mul(yd))
		}
		c := r.Int64N(1e10)
		if got, ok := x.timesCents(c); ok && got != xd.Mul(decimal.New(c, 0)).Round(0).IntPart() {
			t.Fatalf("%s × %d cents: %d, want %s", xd, c, got, xd.Mul(decimal.New(c, 0)).Round(0))
		}
		if x.less(y) != xd.LessThan(yd) {
			t.Fatalf("%s < %s: %v", xd, yd, x.less(y))
		}
	}
}

// decimal returns x as a decimal.Decimal.
func (x fixed) decimal() decimal.Decimal { return decimal.New(int64(x.num), -int32(x.scale)) }
