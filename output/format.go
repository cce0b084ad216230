package output

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"raming/raming"
	"raming/scenario"
)

// nl formats a number the Dutch way: thousands with ".", decimals with ",".
// places < 0 prints the exact value.
func nl(d decimal.Decimal, places int32) string {
	s := d.String()
	if places >= 0 {
		s = d.StringFixed(places)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// valueText formats a value in its unit, in Dutch.
func valueText(d decimal.Decimal, u scenario.Unit) string {
	switch u {
	case scenario.Share:
		return nl(d.Mul(decimal.NewFromInt(100)), -1) + "%"
	case scenario.EUR:
		return "€ " + nl(d, -1)
	case scenario.EURPerHour:
		return "€ " + nl(d, -1) + "/uur"
	case scenario.Hours:
		return nl(d, -1) + " uur"
	case scenario.Years:
		return nl(d, -1) + " jaar"
	}
	return nl(d, -1)
}

// unitNL is the Dutch name of a unit, for the assumptions sheet.
var unitNL = map[scenario.Unit]string{
	scenario.Persons: "personen", scenario.Files: "dossiers", scenario.Share: "aandeel",
	scenario.EUR: "euro", scenario.EURPerHour: "euro per uur", scenario.Hours: "uren", scenario.Years: "jaren",
}

// units maps every leaf name of a result's expressions to its unit.
func units(res *raming.Result) map[string]scenario.Unit {
	u := map[string]scenario.Unit{}
	for _, e := range res.Scenario.Entries() {
		u[e.ID] = e.Unit
	}
	for _, q := range res.Quantities {
		u[q.ID] = q.Unit
	}
	return u
}

// notation is one way of writing an expression tree: in words for people,
// or as an Excel formula.
type notation struct {
	mul, add, sub, div string
	max0               func(string) string
	leaf               func(*raming.Expr) string
}

// render writes e in notation n. Sums and differences used as a factor, a
// divisor or a subtrahend are parenthesised.
func (n notation) render(e *raming.Expr) string {
	operand := func(a *raming.Expr) string {
		if a.Op == raming.OpAdd || a.Op == raming.OpSub {
			return "(" + n.render(a) + ")"
		}
		return n.render(a)
	}
	join := func(args []*raming.Expr, sep string, part func(*raming.Expr) string) string {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = part(a)
		}
		return strings.Join(parts, sep)
	}
	switch e.Op {
	case raming.OpValue, raming.OpRef:
		return n.leaf(e)
	case raming.OpMul:
		return join(e.Args, n.mul, operand)
	case raming.OpAdd:
		return join(e.Args, n.add, n.render)
	case raming.OpSub:
		return n.render(e.Args[0]) + n.sub + operand(e.Args[1])
	case raming.OpDiv:
		return operand(e.Args[0]) + n.div + operand(e.Args[1])
	case raming.OpMax0:
		return n.max0(n.render(e.Args[0]))
	}
	panic(fmt.Sprintf("output: unknown operation %d", e.Op))
}

// exprText writes an expression's arithmetic in words and numbers, in
// Dutch notation: "3.918,75 × (€ 35.000 − € 15.000)".
func exprText(e *raming.Expr, u map[string]scenario.Unit) string {
	return notation{mul: " × ", add: " + ", sub: " − ", div: " ÷ ",
		max0: func(x string) string { return "max(0; " + x + ")" },
		leaf: func(l *raming.Expr) string { return valueText(l.Value, u[l.Name]) },
	}.render(e)
}

// formula renders an expression as an Excel formula (without "="), with each
// named leaf replaced by the cell (or defined name) that holds it.
func formula(e *raming.Expr, cells map[string]string) string {
	return notation{mul: "*", add: "+", sub: "-", div: "/",
		max0: func(x string) string { return "MAX(0," + x + ")" },
		leaf: func(l *raming.Expr) string {
			if c, ok := cells[l.Name]; ok && l.Name != "" {
				return c
			}
			return l.Value.String()
		},
	}.render(e)
}
