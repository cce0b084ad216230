package output

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

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

// shown is how a value is written in words: with at most two decimals
// (none when it is whole), shares as percentages, amounts with "€".
type shown struct {
	scale    decimal.Decimal // 100 for a share, else 1
	places   int32
	pre, suf string
}

var hundredD = decimal.NewFromInt(100)

func showing(d decimal.Decimal, u scenario.Unit) shown {
	sh := shown{scale: decimal.NewFromInt(1)}
	switch u {
	case scenario.Share:
		sh.scale, sh.suf = hundredD, "%"
	case scenario.EUR:
		sh.pre = "€ "
	case scenario.EURPerHour:
		sh.pre, sh.suf = "€ ", "/uur"
	case scenario.Hours:
		sh.suf = " uur"
	case scenario.Years:
		sh.suf = " jaar"
	}
	x := d.Mul(sh.scale)
	switch {
	case x.Equal(x.Round(0)):
		sh.places = 0
	case x.Equal(x.Round(1)) && u != scenario.EUR && u != scenario.EURPerHour:
		sh.places = 1
	default:
		sh.places = 2
	}
	return sh
}

// valueText formats a value in its unit, in Dutch, with at most two
// decimals: "€ 58.781.250", "75%", "3.918,75", "33,33%".
func valueText(d decimal.Decimal, u scenario.Unit) string {
	sh := showing(d, u)
	return sh.pre + nl(d.Mul(sh.scale).Round(sh.places), sh.places) + sh.suf
}

// valueFormula is valueText as an Excel text formula of the cell (or
// formula) ref, written with FIXED, which takes the reader's separators
// (Dutch: 58.781.250,00): it follows a change of the cell.
func valueFormula(ref string, d decimal.Decimal, u scenario.Unit) string {
	sh := showing(d, u)
	x := ref
	if !sh.scale.Equal(decimal.NewFromInt(1)) {
		x = "(" + ref + ")*" + sh.scale.String()
	}
	f := fmt.Sprintf("FIXED(%s,%d)", x, sh.places)
	if sh.pre != "" {
		f = quoteText(sh.pre) + "&" + f
	}
	if sh.suf != "" {
		f += "&" + quoteText(sh.suf)
	}
	return f
}

// quoteText is an Excel string literal.
func quoteText(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// liveText is a text that follows the workbook: literal parts and values
// of cells, written as an Excel formula that joins them (&) with its
// cached value, the text as the run computed it.
type liveText struct {
	formula []string // Excel string expressions
	text    strings.Builder
}

func (t *liveText) lit(s string) *liveText {
	if s == "" {
		return t
	}
	t.text.WriteString(s)
	// A string literal in a formula holds at most 255 characters (Excel).
	for r := []rune(s); len(r) > 0; {
		n := min(len(r), maxLiteral)
		t.formula = append(t.formula, quoteText(string(r[:n])))
		r = r[n:]
	}
	return t
}

// maxLiteral is the most characters a formula's string literal holds.
const maxLiteral = 255

// fixed writes the value of an Excel expression with places decimals, as
// FIXED writes it in the reader's notation (Dutch: 1.234,5); v is the
// value the expression has in the run.
//
// The value is rounded to places + 6 decimals first, in the formula and
// here alike, so that a figure that is exactly a half (2,75) in the run
// but a hair below it in floating point (2,7499999999) reads the same.
func (t *liveText) fixed(expr string, v decimal.Decimal, places int32) *liveText {
	t.formula = append(t.formula, fmt.Sprintf("FIXED(ROUND(%s,%d),%d)", expr, places+6, places))
	t.text.WriteString(nl(v.Round(places+6).Round(places), places))
	return t
}

func (t *liveText) value(ref string, d decimal.Decimal, u scenario.Unit) *liveText {
	t.formula = append(t.formula, valueFormula(ref, d, u))
	t.text.WriteString(valueText(d, u))
	return t
}

// expr writes an expression's arithmetic: each named leaf as the value of
// its cell, constants as text.
func (t *liveText) expr(e *raming.Expr, units map[string]scenario.Unit, names map[string]string) *liveText {
	operand := func(a *raming.Expr) {
		if a.Op == raming.OpAdd || a.Op == raming.OpSub {
			t.lit("(")
			t.expr(a, units, names)
			t.lit(")")
			return
		}
		t.expr(a, units, names)
	}
	join := func(args []*raming.Expr, sep string, part func(*raming.Expr)) {
		for i, a := range args {
			if i > 0 {
				t.lit(sep)
			}
			part(a)
		}
	}
	switch e.Op {
	case raming.OpValue, raming.OpRef:
		if n, ok := names[e.Name]; ok && e.Name != "" {
			return t.value(n, e.Value, units[e.Name])
		}
		return t.lit(valueText(e.Value, units[e.Name]))
	case raming.OpMul, raming.OpBinomial: // a binomial count is n × p
		join(e.Args, " × ", operand)
	case raming.OpAdd:
		join(e.Args, " + ", func(a *raming.Expr) { t.expr(a, units, names) })
	case raming.OpSub:
		t.expr(e.Args[0], units, names)
		t.lit(" − ")
		operand(e.Args[1])
	case raming.OpDiv:
		operand(e.Args[0])
		t.lit(" ÷ ")
		operand(e.Args[1])
	case raming.OpMax0:
		t.lit("max(0; ")
		t.expr(e.Args[0], units, names)
		t.lit(")")
	default:
		panic(fmt.Sprintf("output: unknown operation %d", e.Op))
	}
	return t
}

// cell is the text as a formula cell with its cached value.
func (t *liveText) cell(style int) excelize.Cell {
	f := strings.Join(t.formula, "&")
	if len(t.formula) == 1 && strings.HasPrefix(f, `"`) { // only literal text
		return excelize.Cell{Value: t.text.String(), StyleID: style}
	}
	return excelize.Cell{Formula: f, Value: t.text.String(), StyleID: style}
}

// unitNL is the Dutch name of a unit, for the assumptions sheet.
var unitNL = map[scenario.Unit]string{
	scenario.Persons: "personen", scenario.Files: "dossiers", scenario.Share: "aandeel",
	scenario.EUR: "euro", scenario.EURPerHour: "euro per uur", scenario.Hours: "uren", scenario.Years: "jaren",
	scenario.FilesPerYear: "dossiers per jaar", scenario.CalendarYear: "kalenderjaar",
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
	case raming.OpMul, raming.OpBinomial: // a binomial count is n × p
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

// UnitNL is the Dutch name of a unit, as the sheet Aannames writes it.
func UnitNL(u scenario.Unit) string { return unitNL[u] }

// DistributionNL names an assumption's distribution in Dutch, with its
// point kind, as the sheet Onzekerheid writes it (e.Uncertainty must be
// set).
func DistributionNL(sc *scenario.Scenario, e scenario.Entry) string {
	return distributionNL(&raming.Result{Scenario: sc}, e)
}
