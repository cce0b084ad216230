package raming

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"

	"raming/input"
)

// ratOf evaluates an expression as a fraction, with no rounding anywhere
// (a quantity the deck rounds counts as its rounded figure, which is the
// scenario's data): the exact value every figure is held against.
func ratOf(e *Expr, qs map[string]*Quantity) *big.Rat {
	args := make([]*big.Rat, len(e.Args))
	for i, a := range e.Args {
		args[i] = ratOf(a, qs)
	}
	switch e.Op {
	case OpValue:
		return e.Value.Rat()
	case OpRef:
		q := qs[e.Name]
		if q.Rounded != nil {
			return q.Rounded.Value.Rat()
		}
		return ratOf(q.Exact, qs)
	case OpMul, OpBinomial:
		r := big.NewRat(1, 1)
		for _, a := range args {
			r.Mul(r, a)
		}
		return r
	case OpAdd:
		r := new(big.Rat)
		for _, a := range args {
			r.Add(r, a)
		}
		return r
	case OpSub:
		return new(big.Rat).Sub(args[0], args[1])
	case OpDiv:
		return new(big.Rat).Quo(args[0], args[1])
	case OpMax0:
		if args[0].Sign() < 0 {
			return new(big.Rat)
		}
		return args[0]
	}
	panic(fmt.Sprintf("no operation %d", e.Op))
}

// TestNoDigitsTheInputsDoNotImply: every figure of the estimate (every
// quantity, and every case's population, CWS files, scheme, CWS and total)
// is its exact value where that has a finite decimal expansion, and
// otherwise that value rounded once to 12 decimals: never a digit that
// comes from rounding an intermediate figure and computing on (the nested
// hardship share 10% ÷ 30% gave C-10% a population of 855.30833333333275,
// and its scheme cost a tail of 9s). Over the built-in scenarios, without
// and with a generated extract.
func TestNoDigitsTheInputsDoNotImply(t *testing.T) {
	// Two extracts: 11,000 rows, and 2,000 rows whose hardship counts do
	// not divide by 3 (C-10%'s 10% ÷ 30% does not come out).
	extracts := map[string]*input.Population{"none": nil, "11000": generated(t, 11000, 1), "2000": generated(t, 2000, 2)}
	for _, name := range []string{"deck", "deck-exact", "wet-2023"} {
		for _, extract := range []string{"none", "11000", "2000"} {
			t.Run(name+"/extract="+extract, func(t *testing.T) {
				sc := loadScenario(t, name)
				p := extracts[extract]
				res, err := Estimate(sc, p)
				if err != nil {
					t.Fatal(err)
				}
				qs := map[string]*Quantity{}
				for _, q := range res.Quantities {
					qs[q.ID] = q
				}
				check := func(what string, e *Expr) {
					exact := ratOf(e, qs)
					want := decimal.NewFromBigRat(exact, divPlaces)
					if want.Rat().Cmp(exact) != 0 { // no finite expansion within 12 decimals
						if !e.Value.Equal(want) || e.Value.Exponent() < -divPlaces {
							t.Errorf("%s = %s, want its exact value %s rounded once to %d decimals: %s", what, e.Value, exact.RatString(), divPlaces, want)
						}
						return
					}
					if e.Value.Rat().Cmp(exact) != 0 {
						t.Errorf("%s = %s, want exactly %s", what, e.Value, exact.FloatString(20))
					}
				}
				for _, q := range res.Quantities {
					check(q.ID, q.Exact)
				}
				for _, v := range res.Variants {
					for _, c := range v.Cases {
						for _, f := range []struct {
							what string
							e    *Expr
						}{{"population", c.Population}, {"CWS files", c.CWSPopulation}, {"scheme", c.Scheme}, {"CWS", c.CWS}, {"total", c.Total}} {
							check(c.ID+" "+f.what, f.e)
						}
					}
				}
			})
		}
	}
}
