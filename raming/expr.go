package raming

import (
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
	// n × p; the simulation draws it.
	OpBinomial
)

// divPlaces is the number of decimals kept by a division. Divisions occur
// only in shares (years together ÷ problem years); the deck's figures divide
// exactly.
const divPlaces = 12

// Expr is a figure together with the arithmetic that makes it. The engine
// computes every money figure as an Expr, so the figure, its explanation in
// words and its live Excel formula come from one tree and cannot disagree;
// the Monte Carlo simulation compiles the same tree to float64.
type Expr struct {
	Op    Op
	Name  string          // OpValue, OpRef: the assumption or quantity ID, e.g. "A.cws_appeal_share"
	Args  []*Expr         // operands of OpMul, OpAdd, OpSub, OpDiv, OpMax0, OpBinomial
	Value decimal.Decimal // the evaluated figure, exact
}

// IsConstant reports whether e is a bare number, not an assumption,
// quantity or arithmetic.
func (e *Expr) IsConstant() bool { return e.Op == OpValue && e.Name == "" }

func leaf(name string, v decimal.Decimal) *Expr { return &Expr{Op: OpValue, Name: name, Value: v} }

func ref(q *Quantity) *Expr { return &Expr{Op: OpRef, Name: q.ID, Value: q.Value()} }

// Amount is a constant figure (a count, or a sum of cents counted on an extract).
func Amount(v decimal.Decimal) *Expr { return leaf("", v) }

// Count is a constant whole number.
func Count(n int64) *Expr { return leaf("", decimal.NewFromInt(n)) }

// Mul is the product of its arguments.
func Mul(args ...*Expr) *Expr {
	v := decimal.NewFromInt(1)
	for _, a := range args {
		v = v.Mul(a.Value)
	}
	return &Expr{Op: OpMul, Args: args, Value: v}
}

// Add is the sum of its arguments.
func Add(args ...*Expr) *Expr {
	v := decimal.Zero
	for _, a := range args {
		v = v.Add(a.Value)
	}
	return &Expr{Op: OpAdd, Args: args, Value: v}
}

// Sub is a − b.
func Sub(a, b *Expr) *Expr { return &Expr{Op: OpSub, Args: []*Expr{a, b}, Value: a.Value.Sub(b.Value)} }

// Div is a ÷ b, rounded to 12 decimals.
func Div(a, b *Expr) *Expr {
	return &Expr{Op: OpDiv, Args: []*Expr{a, b}, Value: a.Value.DivRound(b.Value, divPlaces)}
}

// Max0 is max(0, a).
func Max0(a *Expr) *Expr {
	return &Expr{Op: OpMax0, Args: []*Expr{a}, Value: decimal.Max(decimal.Zero, a.Value)}
}

// Binomial is how many of n have a property of probability p, such as the
// affected among an extract's rows whose `gedupeerd` is unknown. Its value
// is exact, the expected count n × p, shown and written in Excel as that
// product; a p that is a quotient a ÷ b multiplies first, n × a ÷ b rounded
// as Div rounds (the Excel formula n*a/b computes it in that order), so that
// 2,402.625 × 10% ÷ 30% is exact. The simulation draws Binomial(n, p) with
// the drawn n and p, once per iteration however many figures use the node
// (one *Expr is one draw; two calls of Binomial are two independent draws).
// n must be a whole number in every draw: a count of rows, or a sum of
// counts and draws.
func Binomial(n, p *Expr) *Expr {
	v := n.Value.Mul(p.Value)
	if p.Op == OpDiv {
		v = n.Value.Mul(p.Args[0].Value).DivRound(p.Args[1].Value, divPlaces)
	}
	return &Expr{Op: OpBinomial, Args: []*Expr{n, p}, Value: v}
}
