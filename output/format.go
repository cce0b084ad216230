package output

import (
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

// exprText writes an expression's arithmetic in words and numbers, in
// Dutch notation: "3.918,75 × (€ 35.000 − € 15.000)".
func exprText(e *raming.Expr, u map[string]scenario.Unit) string {
	switch e.Op {
	case raming.OpValue, raming.OpRef:
		return valueText(e.Value, u[e.Name])
	case raming.OpMul:
		return joinExpr(e.Args, " × ", u)
	case raming.OpAdd:
		return joinExpr(e.Args, " + ", u)
	case raming.OpSub:
		return exprText(e.Args[0], u) + " − " + operand(e.Args[1], u)
	case raming.OpDiv:
		return operand(e.Args[0], u) + " ÷ " + operand(e.Args[1], u)
	case raming.OpMax0:
		return "max(0; " + exprText(e.Args[0], u) + ")"
	}
	return "?"
}

func joinExpr(args []*raming.Expr, sep string, u map[string]scenario.Unit) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = operand(a, u)
		if sep == " + " {
			parts[i] = exprText(a, u)
		}
	}
	return strings.Join(parts, sep)
}

// operand parenthesises sums and differences used as a factor.
func operand(e *raming.Expr, u map[string]scenario.Unit) string {
	if e.Op == raming.OpAdd || e.Op == raming.OpSub {
		return "(" + exprText(e, u) + ")"
	}
	return exprText(e, u)
}

// formula renders an expression as an Excel formula (without "="), with each
// named leaf replaced by the cell that holds it.
func formula(e *raming.Expr, cells map[string]string) string {
	switch e.Op {
	case raming.OpValue, raming.OpRef:
		if c, ok := cells[e.Name]; ok && e.Name != "" {
			return c
		}
		return e.Value.String()
	case raming.OpMul:
		return joinFormula(e.Args, "*", cells)
	case raming.OpAdd:
		return joinFormula(e.Args, "+", cells)
	case raming.OpSub:
		return formula(e.Args[0], cells) + "-" + formulaOperand(e.Args[1], cells)
	case raming.OpDiv:
		return formulaOperand(e.Args[0], cells) + "/" + formulaOperand(e.Args[1], cells)
	case raming.OpMax0:
		return "MAX(0," + formula(e.Args[0], cells) + ")"
	}
	return "NA()"
}

func joinFormula(args []*raming.Expr, sep string, cells map[string]string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if sep == "+" {
			parts[i] = formula(a, cells)
		} else {
			parts[i] = formulaOperand(a, cells)
		}
	}
	return strings.Join(parts, sep)
}

func formulaOperand(e *raming.Expr, cells map[string]string) string {
	if e.Op == raming.OpAdd || e.Op == raming.OpSub {
		return "(" + formula(e, cells) + ")"
	}
	return formula(e, cells)
}
