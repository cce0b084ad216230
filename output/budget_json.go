package output

import (
	"slices"

	"github.com/shopspring/decimal"

	"raming/raming"
	"raming/scenario"
)

// jsonBudget is the budget tables of begroting budget_year: the columns
// (eerdere jaren, T−2 ... T+5, latere jaren; together every year) and per
// case the amounts in them at prijspeil T, as the workbook's sheets
// Budgettaire gevolgen and Kasritme show them.
type jsonBudget struct {
	BudgetYear int `json:"budget_year"`
	// PriceLevel is the year of the amounts' prices (the budget year);
	// PriceIndex the factor from the scenario's price_level_year to it
	// for the lines that follow prices; Indexing says per line whether it
	// does ("indexed") or is fixed in law ("nominal").
	PriceLevel     int               `json:"price_level"`
	PriceLevelFrom int               `json:"price_level_from"`
	PriceIndex     string            `json:"price_index"`
	Indexing       map[string]string `json:"indexing"`
	// Columns name the columns: "earlier" (the years before the window),
	// the years, "later" (the years after it).
	Columns []string         `json:"columns"`
	Cases   []jsonBudgetCase `json:"cases"`
	// RiskLevel is the percentile of the indicative risk reservation
	// (--risk-level): a band's P(risk_level) − the cash, never negative.
	RiskLevel float64 `json:"risk_level,omitempty"`
}

// jsonBudgetCase is one case in the budget's columns: cash and
// commitments per line (total = scheme + cws, excl. uitvoering; execution
// null when not estimated), and the files decided. Budgeted is true for
// the case each variant's budget table shows.
type jsonBudgetCase struct {
	ID          string         `json:"id"`
	Budgeted    bool           `json:"budgeted"`
	Cash        jsonBudgetLine `json:"cash"`
	Commitments jsonBudgetLine `json:"commitments"`
	// Band is the Monte Carlo band of the cash (excl. uitvoering) at
	// prijspeil T, as the workbook's block "Onzekerheid" shows it: per
	// percentile (5, 50, the risk level, 95) an amount per column (null
	// for the earlier and later years: percentiles do not add up) and the
	// total. Absent without Monte Carlo.
	Band []jsonBudgetBand `json:"band,omitempty"`
}

// jsonBudgetBand is the cash of a budget table at one percentile.
type jsonBudgetBand struct {
	P     float64   `json:"p"`
	Cash  []*string `json:"cash"`
	Total string    `json:"total"`
}

// jsonBudgetLine holds a table's rows, one amount per column.
type jsonBudgetLine struct {
	SchemeCost    []string `json:"scheme_cost"`
	CWSCost       []string `json:"cws_cost"`
	ExecutionCost []string `json:"execution_cost"`
	Total         []string `json:"total"`
}

// budgetJSON is the budget tables of a result for begroting year.
func budgetJSON(res *raming.Result, year int, budgeted map[string]bool, cells *smallCells, level float64) *jsonBudget {
	b := raming.NewBudget(res.Scenario, year)
	j := &jsonBudget{BudgetYear: year, PriceLevel: b.Price.Year, PriceLevelFrom: b.Price.From, PriceIndex: b.Price.Index().String(),
		Indexing: map[string]string{}, Cases: []jsonBudgetCase{}} // [] when every case is small-cell suppressed
	for l, key := range []string{"scheme_cost", "cws_cost", "execution_cost"} {
		j.Indexing[key] = b.Price.Indexing[l].String()
		if b.Price.Indexing[l] == 0 {
			j.Indexing[key] = scenario.Nominal.String()
		}
	}
	for _, col := range b.Columns() {
		switch {
		case col.Earlier():
			j.Columns = append(j.Columns, "earlier")
		case col.Later():
			j.Columns = append(j.Columns, "later")
		default:
			j.Columns = append(j.Columns, decimal.NewFromInt(int64(col.From)).String())
		}
	}
	moneys := func(xs []decimal.Decimal) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = money(x)
		}
		return out
	}
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			if cells.hiddenCase(&c) {
				continue
			}
			l := b.Lines(&c)
			line := func(get [raming.NumLines][]decimal.Decimal, total []decimal.Decimal) jsonBudgetLine {
				jl := jsonBudgetLine{SchemeCost: moneys(get[raming.LineScheme]), CWSCost: moneys(get[raming.LineCWS]), Total: moneys(total)}
				if c.Profile.ExecutionKnown {
					jl.ExecutionCost = moneys(get[raming.LineExecution])
				}
				return jl
			}
			jc := jsonBudgetCase{ID: c.ID, Budgeted: budgeted[c.ID],
				Cash: line(l.Cash, l.CashTotal()), Commitments: line(l.Commitments, l.CommitmentTotal())}
			if sim := res.MonteCarlo; sim != nil {
				j.RiskLevel = level
				jc.Band = budgetBandJSON(b, sim.Case(c.ID), &c, level)
			}
			j.Cases = append(j.Cases, jc)
		}
	}
	return j
}

// budgetBandJSON is a case's cash band in the budget's columns (bandAt)
// at P5, P50, the risk level and P95, in euros.
func budgetBandJSON(b raming.Budget, cs *raming.CaseSim, c *raming.Case, level float64) []jsonBudgetBand {
	var out []jsonBudgetBand
	for _, p := range []float64{5, 50, level, 95} {
		if slices.ContainsFunc(out, func(x jsonBudgetBand) bool { return x.P == p }) {
			continue
		}
		years, total := bandAt(b, cs, c, p)
		jb := jsonBudgetBand{P: p, Total: euros(total)}
		for _, x := range years {
			if x == nil {
				jb.Cash = append(jb.Cash, nil)
				continue
			}
			jb.Cash = append(jb.Cash, ptr(euros(*x)))
		}
		out = append(out, jb)
	}
	return out
}

// BudgetedCases are the cases whose budget tables a result shows: per
// variant the one Options.BudgetCases names, else its central case.
func BudgetedCases(res *raming.Result, opts Options) []string {
	var ids []string
	for _, v := range res.Variants {
		id := v.CentralCase
		if c, ok := opts.BudgetCases[v.ID]; ok {
			id = c
		}
		ids = append(ids, id)
	}
	return ids
}
