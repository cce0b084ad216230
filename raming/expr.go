package raming

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// Op is the operation of an Expr.
type Op int

// The operations an Expr can have.
const (
	OpValue Op = iota // a leaf: an assumption's value (Name says which) or a constant (Name "")
	OpRef             // a named derived quantity (Name), computed elsewhere
	OpMul             // product of Args
	OpAdd             // sum of Args
	OpSub             // Args[0] − Args[1]
	OpDiv             // Args[0] ÷ Args[1], rounded to divPlaces decimals
	OpMax0            // max(0, Args[0]): an award or payment is never negative
	// OpBinomial is Binomial(Args[0], Args[1]): of n (a whole number), how
	// many have a property of probability p. Exactly its expected value
	// n × p; the simulation draws it, from the random stream its Name
	// keys.
	OpBinomial
)

// divPlaces is the number of decimals a figure is shown and kept with when
// a division in it does not come out (years together ÷ problem years, a
// nested hardship share 10% ÷ 30%): the figure is then rounded once, half
// away from zero, from its exact value, which the expression keeps as a
// fraction, so arithmetic on it never carries a rounded digit further.
// The deck's figures divide exactly.
const divPlaces = 12

// Expr is a figure together with the arithmetic that makes it. The engine
// computes every money figure as an Expr, so the figure, its explanation in
// words and its live Excel formula come from one tree and cannot disagree;
// the Monte Carlo simulation compiles the same tree to float64.
type Expr struct {
	Op   Op
	Name string  // OpValue, OpRef: the assumption or quantity ID, e.g. "A.cws_appeal_share"; OpBinomial: what it counts (Binomial)
	Args []*Expr // operands of OpMul, OpAdd, OpSub, OpDiv, OpMax0, OpBinomial
	// Value is the evaluated figure: exact, or, where a division in it
	// does not come out, its exact value rounded to divPlaces decimals.
	Value decimal.Decimal
	// ratio is the exact value as a fraction where Value is rounded; nil
	// where Value is exact.
	ratio *big.Rat
}

// rat returns the exact value as a fraction.
func (e *Expr) rat() *big.Rat {
	if e.ratio != nil {
		return e.ratio
	}
	return e.Value.Rat()
}

// inexact reports whether any of args has a rounded Value.
func inexact(args []*Expr) bool {
	for _, a := range args {
		if a.ratio != nil {
			return true
		}
	}
	return false
}

// withRat sets e's value from the exact fraction r: exactly, when r has a
// finite decimal expansion (its denominator has no prime factor but 2 and
// 5), else rounded to divPlaces decimals with r kept.
func (e *Expr) withRat(r *big.Rat) *Expr {
	den := new(big.Int).Set(r.Denom())
	places := max(divideOut(den, 2), divideOut(den, 5))
	if den.IsInt64() && den.Int64() == 1 {
		e.Value, e.ratio = decimal.NewFromBigRat(r, places), nil
	} else {
		e.Value, e.ratio = decimal.NewFromBigRat(r, divPlaces), r
	}
	return e
}

// divideOut divides den by p as often as p divides it, and returns how
// often: a denominator 2^a·5^b·rest has max(a, b) decimal places when rest is 1.
func divideOut(den *big.Int, p int64) int32 {
	q, m, bp := new(big.Int), new(big.Int), big.NewInt(p)
	n := int32(0)
	for {
		q.QuoRem(den, bp, m)
		if m.Sign() != 0 {
			return n
		}
		den.Set(q)
		n++
	}
}

// IsConstant reports whether e is a bare number, not an assumption,
// quantity or arithmetic.
func (e *Expr) IsConstant() bool { return e.Op == OpValue && e.Name == "" }

func leaf(name string, v decimal.Decimal) *Expr { return &Expr{Op: OpValue, Name: name, Value: v} }

func ref(q *Quantity) *Expr {
	e := &Expr{Op: OpRef, Name: q.ID, Value: q.Value()}
	if q.Rounded == nil {
		e.ratio = q.Exact.ratio
	}
	return e
}

// Amount is a constant figure (a count, or a sum of cents counted on an extract).
func Amount(v decimal.Decimal) *Expr { return leaf("", v) }

// Count is a constant whole number.
func Count(n int64) *Expr { return leaf("", decimal.NewFromInt(n)) }

// Mul is the product of its arguments.
func Mul(args ...*Expr) *Expr {
	e := &Expr{Op: OpMul, Args: args}
	if inexact(args) {
		r := big.NewRat(1, 1)
		for _, a := range args {
			r.Mul(r, a.rat())
		}
		return e.withRat(r)
	}
	e.Value = decimal.NewFromInt(1)
	for _, a := range args {
		e.Value = e.Value.Mul(a.Value)
	}
	return e
}

// Add is the sum of its arguments.
func Add(args ...*Expr) *Expr {
	e := &Expr{Op: OpAdd, Args: args}
	if inexact(args) {
		r := new(big.Rat)
		for _, a := range args {
			r.Add(r, a.rat())
		}
		return e.withRat(r)
	}
	e.Value = decimal.Zero
	for _, a := range args {
		e.Value = e.Value.Add(a.Value)
	}
	return e
}

// Sub is a − b.
func Sub(a, b *Expr) *Expr {
	e := &Expr{Op: OpSub, Args: []*Expr{a, b}}
	if inexact(e.Args) {
		return e.withRat(new(big.Rat).Sub(a.rat(), b.rat()))
	}
	e.Value = a.Value.Sub(b.Value)
	return e
}

// Div is a ÷ b: exact where it comes out, else rounded to 12 decimals
// (with the exact fraction kept for what is computed from it).
func Div(a, b *Expr) *Expr {
	e := &Expr{Op: OpDiv, Args: []*Expr{a, b}}
	return e.withRat(new(big.Rat).Quo(a.rat(), b.rat()))
}

// Max0 is max(0, a).
func Max0(a *Expr) *Expr {
	e := &Expr{Op: OpMax0, Args: []*Expr{a}, Value: decimal.Max(decimal.Zero, a.Value)}
	if a.ratio != nil && a.ratio.Sign() > 0 {
		e.ratio = a.ratio
	}
	return e
}

// Binomial is how many of n have a property of probability p, such as the
// affected among an extract's rows whose `gedupeerd` is unknown. Its value
// is the expected count n × p, exact (a p that is a quotient, 10% ÷ 30%,
// is carried as its fraction), shown and written in Excel as that product.
// The simulation draws Binomial(n, p) with the drawn n and p, once per
// iteration however many figures use the node (one *Expr is one draw; two
// calls of Binomial are two independent draws). n must be a whole number
// in every draw: a count of rows, or a sum of counts and draws.
//
// key names what the node counts ("funnel.affected.together=ja",
// "b.share.1.affected"), not how many: each iteration draws the node from
// a random stream of its own, keyed by the seed, the iteration and key, so
// that two scenarios whose models count the same thing draw it from the
// same random numbers, whatever else they draw (common random numbers:
// docs/methodology.md, "One iteration"). Two nodes of one model with the
// same key draw from streams of their own all the same (compiler).
func Binomial(key string, n, p *Expr) *Expr {
	e := &Expr{Op: OpBinomial, Name: key, Args: []*Expr{n, p}}
	if inexact(e.Args) {
		return e.withRat(new(big.Rat).Mul(n.rat(), p.rat()))
	}
	e.Value = n.Value.Mul(p.Value)
	return e
}
