package raming

import (
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"raming/published"
	"raming/scenario"
)

// The window of a budget table for begroting T, after the
// Rijksbegrotingsvoorschriften: t−2 (realisatie), t−1 (vastgestelde
// begroting), t, the meerjarenraming t+1 ... t+4 and the extrapolation
// year t+5 (docs/methodology.md, "The budget table").
const (
	windowBefore = 2
	windowAfter  = 5
)

// Budget is how the budget tables show a result for begroting Year (T):
// the years T−2 ... T+5, with the money of the years before them in one
// column ("eerdere jaren") and of the years after in another ("latere
// jaren"), so that the columns add up to every year; amounts at prijspeil
// T (Price).
type Budget struct {
	Year  int
	Price PriceLevel
}

// NewBudget is the budget of begroting year for the scenario sc.
func NewBudget(sc *scenario.Scenario, year int) Budget {
	return Budget{Year: year, Price: NewPriceLevel(sc, year)}
}

// Span is a column of a budget table: the years From to To (inclusive).
// The first column's From is math.MinInt (every year before), the last
// one's To math.MaxInt (every year after).
type Span struct{ From, To int }

// Earlier reports whether the span is the column of the years before the window.
func (s Span) Earlier() bool { return s.From == math.MinInt }

// Later reports whether the span is the column of the years after the window.
func (s Span) Later() bool { return s.To == math.MaxInt }

// Contains reports whether year y falls in the span.
func (s Span) Contains(y int) bool { return y >= s.From && y <= s.To }

// Columns are the table's columns: the years before T−2 together, each of
// T−2 ... T+5, and the years after T+5 together.
func (b Budget) Columns() []Span {
	first, last := b.Year-windowBefore, b.Year+windowAfter
	cols := []Span{{math.MinInt, first - 1}}
	for y := first; y <= last; y++ {
		cols = append(cols, Span{y, y})
	}
	return append(cols, Span{last + 1, math.MaxInt})
}

// Line is a cost line of a budget table.
type Line int

// The cost lines: the compensation (the scheme's payments), the
// additional damage through the CWS, and the execution costs (beside the
// total, never in it).
const (
	LineScheme Line = iota
	LineCWS
	LineExecution
	NumLines
)

// PriceLevel converts amounts from the scenario's price level
// (phasing.price_level_year) to prijspeil Year: a line that follows prices
// is multiplied by Index = (1 + phasing.indexation_rate)^(Year − From); a
// line fixed in law stays nominal (scenario [budget.price_level]).
type PriceLevel struct {
	Year, From int
	Rate       decimal.Decimal
	// Indexing says per line whether it follows prices.
	Indexing [NumLines]scenario.Indexing
}

// NewPriceLevel is the price level of year for the scenario sc.
func NewPriceLevel(sc *scenario.Scenario, year int) PriceLevel {
	p := sc.Phasing
	pl := PriceLevel{Year: year, From: int(p.PriceLevelYear.Value.IntPart()), Rate: p.IndexationRate.Value}
	var lines *scenario.PriceLines
	if sc.Budget != nil {
		lines = sc.Budget.PriceLevel
	}
	pl.Indexing = [NumLines]scenario.Indexing{
		lines.Line(func(l *scenario.PriceLines) scenario.Indexing { return l.Scheme }),
		lines.Line(func(l *scenario.PriceLines) scenario.Indexing { return l.CWS }),
		lines.Line(func(l *scenario.PriceLines) scenario.Indexing { return l.Execution }),
	}
	return pl
}

// Index is (1 + rate)^(Year − From): the factor from the scenario's price
// level to prijspeil Year (below 1 for a year before the price year, to
// divPlaces decimals).
func (p PriceLevel) Index() decimal.Decimal { return indexation(p.Rate, p.Year-p.From) }

// Factor is the factor of a line: Index when it follows prices, else 1.
func (p PriceLevel) Factor(l Line) decimal.Decimal {
	if p.Indexing[l] == scenario.Indexed {
		return p.Index()
	}
	return decimal.NewFromInt(1)
}

// indexation is (1 + rate)^years, to divPlaces decimals for a negative
// number of years.
func indexation(rate decimal.Decimal, years int) decimal.Decimal {
	one := decimal.NewFromInt(1)
	f := one.Add(rate).Pow(decimal.NewFromInt(int64(abs(years))))
	if years < 0 {
		return one.DivRound(f, divPlaces)
	}
	return f
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// BudgetLines are a case's amounts in the columns of a budget table, at
// prijspeil T, exact (rounded only when shown): per line the commitments
// and the cash, and the files decided. Their columns add up to every
// year of the case's profile.
type BudgetLines struct {
	Commitments, Cash [NumLines][]decimal.Decimal
	UHTDecisions      []decimal.Decimal
	CWSDecisions      []decimal.Decimal
	// Shares are, per line, each column's share of the line's amount at
	// the scenario's price level (commitments and cash), for formulas that
	// spread a figure over the columns.
	CommitmentShares, CashShares [NumLines][]decimal.Decimal
	UHTShares, CWSShares         []decimal.Decimal
}

// Lines spreads a case over the table's columns at prijspeil T.
func (b Budget) Lines(c *Case) BudgetLines {
	cols := b.Columns()
	sum := func(get func(Year) decimal.Decimal) []decimal.Decimal {
		out := make([]decimal.Decimal, len(cols))
		for i := range out {
			out[i] = decimal.Zero
		}
		for _, y := range c.Profile.Years {
			for i, s := range cols {
				if s.Contains(y.Year) {
					out[i] = out[i].Add(get(y))
				}
			}
		}
		return out
	}
	shares := func(xs []decimal.Decimal) []decimal.Decimal {
		total := decimal.Sum(decimal.Zero, xs...)
		out := make([]decimal.Decimal, len(xs))
		for i, x := range xs {
			out[i] = decimal.Zero
			if !total.IsZero() {
				out[i] = x.DivRound(total, 16)
			}
		}
		return out
	}
	scale := func(xs []decimal.Decimal, f decimal.Decimal) []decimal.Decimal {
		out := make([]decimal.Decimal, len(xs))
		for i, x := range xs {
			out[i] = x.Mul(f)
		}
		return out
	}
	var l BudgetLines
	get := [NumLines]func(Amounts) decimal.Decimal{
		func(a Amounts) decimal.Decimal { return a.Scheme },
		func(a Amounts) decimal.Decimal { return a.CWS },
		func(a Amounts) decimal.Decimal { return a.Execution },
	}
	for line := range NumLines {
		commit := sum(func(y Year) decimal.Decimal { return get[line](y.Commitments) })
		cash := sum(func(y Year) decimal.Decimal { return get[line](y.Cash) })
		f := b.Price.Factor(line)
		l.Commitments[line], l.Cash[line] = scale(commit, f), scale(cash, f)
		l.CommitmentShares[line], l.CashShares[line] = shares(commit), shares(cash)
	}
	l.UHTDecisions = sum(func(y Year) decimal.Decimal { return y.UHTDecisions })
	l.CWSDecisions = sum(func(y Year) decimal.Decimal { return y.CWSDecisions })
	l.UHTShares, l.CWSShares = shares(l.UHTDecisions), shares(l.CWSDecisions)
	return l
}

// CashTotal is the cash of the table's columns excl. uitvoering (scheme +
// CWS), at prijspeil T.
func (l BudgetLines) CashTotal() []decimal.Decimal {
	out := make([]decimal.Decimal, len(l.Cash[LineScheme]))
	for i := range out {
		out[i] = l.Cash[LineScheme][i].Add(l.Cash[LineCWS][i])
	}
	return out
}

// CommitmentTotal is the commitments of the table's columns excl.
// uitvoering, at prijspeil T.
func (l BudgetLines) CommitmentTotal() []decimal.Decimal {
	out := make([]decimal.Decimal, len(l.Commitments[LineScheme]))
	for i := range out {
		out[i] = l.Commitments[LineScheme][i].Add(l.Commitments[LineCWS][i])
	}
	return out
}

// YearFactor carries a band of a case's cash in a year (drawn at the
// scenario's price level) to prijspeil T: the year's cash at prijspeil T
// divided by its cash at the price level. It is exact when a draw has the
// point estimate's mix of lines, and 1 when nothing is indexed. A year
// without point cash (one in which only some draws pay: the CWS's
// backlog) takes the CWS line's factor.
func (b Budget) YearFactor(c *Case, year int) float64 {
	for _, y := range c.Profile.Years {
		if y.Year == year && !y.Cash.Total.IsZero() {
			t := y.Cash.Scheme.Mul(b.Price.Factor(LineScheme)).Add(y.Cash.CWS.Mul(b.Price.Factor(LineCWS)))
			return t.DivRound(y.Cash.Total, divPlaces).InexactFloat64()
		}
	}
	return b.Price.Factor(LineCWS).InexactFloat64()
}

// TotalFactor is YearFactor for the case's total.
func (b Budget) TotalFactor(c *Case) float64 {
	if c.Total.Value.IsZero() {
		return 1
	}
	t := c.Scheme.Value.Mul(b.Price.Factor(LineScheme)).Add(c.CWS.Value.Mul(b.Price.Factor(LineCWS)))
	return t.DivRound(c.Total.Value, divPlaces).InexactFloat64()
}

// Stand is the stand vorige raming of a suppletoire form: per column of
// the budget table the earlier stand of the cash (excl. uitvoering) at
// prijspeil T, where one is known, and what it is.
type Stand struct {
	// Known says per column whether a stand is known; Amounts are the
	// stands (0 where not known).
	Known   []bool
	Amounts []decimal.Decimal
	// From names the stand: the earlier run's summary file, or the
	// published figures' ids.
	From string
	// Published is true for a stand taken from published figures.
	Published bool
}

// StandOf is the stand of an earlier run's cash per year (its per_year,
// at its scenario's price level), carried to prijspeil T by this budget's
// price level, line by line, and summed per column.
func (b Budget) StandOf(years []PreviousYear, from string) Stand {
	cols := b.Columns()
	st := Stand{Known: make([]bool, len(cols)), Amounts: make([]decimal.Decimal, len(cols)), From: from}
	for i := range st.Amounts {
		st.Known[i], st.Amounts[i] = true, decimal.Zero
	}
	for _, y := range years {
		for i, s := range cols {
			if s.Contains(y.Year) {
				st.Amounts[i] = st.Amounts[i].Add(y.Scheme.Mul(b.Price.Factor(LineScheme))).Add(y.CWS.Mul(b.Price.Factor(LineCWS)))
			}
		}
	}
	return st
}

// PublishedStand is the stand a set of published figures gives: for each
// year of the window, the first figure of the year that compares with the
// cash of a year and is stated in thousands ("bedragen x € 1.000", as a
// begroting states its lines: the vastgestelde begroting before its
// suppletoire mutations), as published (its own price level). The
// columns of the years before and after the window have none. ok is false
// when the set has no such figure in the window.
func (b Budget) PublishedStand(set *published.Set) (st Stand, ok bool) {
	cols := b.Columns()
	st = Stand{Known: make([]bool, len(cols)), Amounts: make([]decimal.Decimal, len(cols)), Published: true}
	var ids []string
	for i := range st.Amounts {
		st.Amounts[i] = decimal.Zero
	}
	for _, f := range set.Figures {
		if f.Compare != published.CashYear || f.Unit != published.EURThousand {
			continue
		}
		for i, s := range cols {
			if !s.Earlier() && !s.Later() && s.Contains(f.Year) && !st.Known[i] {
				st.Known[i], st.Amounts[i], ok = true, f.BaseValue(), true
				ids = append(ids, f.ID)
			}
		}
	}
	st.From = strings.Join(ids, ", ")
	return st, ok
}
