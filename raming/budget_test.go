package raming

import (
	"testing"

	"github.com/shopspring/decimal"

	"raming/scenario"
)

// TestBudgetWindow: for several budget years and scenarios, the table's
// columns are the years before T−2 together, T−2 ... T+5, and the years
// after together, and each line's columns add up to every year of the
// case (at a rate of 0, exactly the case's figure): nothing vanishes
// outside the window.
func TestBudgetWindow(t *testing.T) {
	for _, name := range []string{"deck", "deck-exact", "wet-2023"} {
		res := mustEstimate(t, name)
		for _, year := range []int{2018, 2022, 2024, 2027, 2031, 2045} {
			b := NewBudget(res.Scenario, year)
			cols := b.Columns()
			if len(cols) != 10 || !cols[0].Earlier() || !cols[9].Later() || cols[1].From != year-2 || cols[8].To != year+5 {
				t.Fatalf("%s, begroting %d: columns %v, want earlier, %d ... %d, later", name, year, cols, year-2, year+5)
			}
			for _, v := range res.Variants {
				for _, c := range v.Cases {
					l := b.Lines(&c)
					for _, tt := range []struct {
						what  string
						got   []decimal.Decimal
						want  decimal.Decimal
						exact bool
					}{
						{"cash scheme", l.Cash[LineScheme], c.Scheme.Value.Round(2), true},
						{"cash CWS", l.Cash[LineCWS], c.CWS.Value.Round(2), true},
						{"commitments", l.CommitmentTotal(), c.Total.Value.Round(2), true},
						{"cash", l.CashTotal(), c.Total.Value.Round(2), true},
						{"execution", l.Cash[LineExecution], c.Profile.Execution.Round(2), true},
						{"UHT decisions", l.UHTDecisions, c.Population.Value, false},
					} {
						got := decimal.Sum(decimal.Zero, tt.got...)
						if tt.exact && !got.Equal(tt.want) || !tt.exact && got.Sub(tt.want).Abs().GreaterThan(decimal.New(1, -9)) {
							t.Errorf("%s, begroting %d, %s: %s columns add up to %s, want %s", name, year, c.ID, tt.what, got, tt.want)
						}
					}
				}
			}
		}
	}
}

// TestPrijspeilT: at an indexation of 2% a year from the price year 2022,
// begroting 2027 shows the CWS damage and the execution costs (lines that
// follow prices) × 1.02^5 and the lump sums (fixed in law) as they are; a
// begroting before the price year deflates.
func TestPrijspeilT(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	if err := sc.Set("phasing.indexation_rate", "0.02"); err != nil {
		t.Fatal(err)
	}
	res, err := Estimate(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Case("A-15k")
	for _, tt := range []struct {
		year  int
		index string
	}{{2027, "1.1040808032"}, {2022, "1"}, {2020, "0.961168781238"}} {
		b := NewBudget(res.Scenario, tt.year)
		if got := b.Price.Index(); got.String() != tt.index {
			t.Errorf("begroting %d: index %s, want %s", tt.year, got, tt.index)
		}
		l := b.Lines(c)
		sum := func(xs []decimal.Decimal) decimal.Decimal { return decimal.Sum(decimal.Zero, xs...) }
		index, _ := decimal.NewFromString(tt.index)
		for _, line := range []struct {
			name    string
			got     decimal.Decimal
			atPrice decimal.Decimal
			factor  decimal.Decimal
		}{
			{"tegemoetkoming (nominal)", sum(l.Cash[LineScheme]), c.Scheme.Value.Round(2), decimal.NewFromInt(1)},
			{"CWS (indexed)", sum(l.Cash[LineCWS]), c.CWS.Value.Round(2), index},
			{"uitvoering (indexed)", sum(l.Cash[LineExecution]), c.Profile.Execution.Round(2), index},
		} {
			if want := line.atPrice.Mul(line.factor); !line.got.Equal(want) {
				t.Errorf("begroting %d, %s: %s, want %s × %s = %s", tt.year, line.name, line.got, line.atPrice, line.factor, want)
			}
		}
	}
	// A year's own prices (the nominal row): the 2025 CWS cash × 1.02^3,
	// the lump sums as they are.
	for _, y := range c.Profile.Years {
		f := decimal.NewFromFloat(1.02).Pow(decimal.NewFromInt(int64(y.Year - 2022)))
		if y.Year < 2022 {
			continue
		}
		if want := y.Cash.Scheme.Add(y.Cash.CWS.Mul(f)).Round(2); !y.Nominal.Equal(want) {
			t.Errorf("%d: nominal %s, want %s", y.Year, y.Nominal, want)
		}
	}
}

// TestPriceLevelWithoutBudgetTable: a scenario without [budget] shows
// every line nominal.
func TestPriceLevelWithoutBudgetTable(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	sc.Budget = nil
	sc.Phasing.IndexationRate.Value = decimal.RequireFromString("0.02")
	p := NewPriceLevel(sc, 2030)
	for l := range NumLines {
		if p.Indexing[l] != scenario.Nominal || !p.Factor(l).Equal(decimal.NewFromInt(1)) {
			t.Errorf("line %d: %s × %s, want nominal × 1", l, p.Indexing[l], p.Factor(l))
		}
	}
}
