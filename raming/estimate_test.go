package raming

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"raming/scenario"
)

func mustEstimate(t *testing.T, name string) *Result {
	t.Helper()
	sc, err := scenario.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Estimate(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func findCase(t *testing.T, res *Result, id string) Case {
	t.Helper()
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			if c.ID == id {
				return c
			}
		}
	}
	t.Fatalf("no case %s", id)
	return Case{}
}

// TestVariantTotals pins the totals the deck prints (scenario "deck") and the
// same assumptions computed exactly ("deck-exact"). Source: issue "The
// deck's grove financiële raming of variants A–E", table of required figures.
func TestVariantTotals(t *testing.T) {
	tests := []struct {
		scenario, variant string
		low, high         string
	}{
		{"deck", "A", "76000000", "124000000"},
		{"deck", "B", "60000000", "92000000"},
		{"deck", "C", "48800000", "115000000"},
		{"deck", "D", "80000000", "80000000"},
		{"deck", "E", "22500000", "80000000"},
		{"deck-exact", "A", "74456250", "121481250"},
		{"deck-exact", "B", "58781250", "90131250"},
		{"deck-exact", "C", "47808750", "108157500"},
		{"deck-exact", "D", "78375000", "78375000"},
		{"deck-exact", "E", "13646875", "78375000"},
	}
	results := map[string]*Result{}
	for _, tt := range tests {
		t.Run(tt.scenario+"/"+tt.variant, func(t *testing.T) {
			res, ok := results[tt.scenario]
			if !ok {
				res = mustEstimate(t, tt.scenario)
				results[tt.scenario] = res
			}
			for _, v := range res.Variants {
				if v.ID != tt.variant {
					continue
				}
				if !v.TotalLow.Equal(decimal.RequireFromString(tt.low)) {
					t.Errorf("total low: got %s, want %s", v.TotalLow, tt.low)
				}
				if !v.TotalHigh.Equal(decimal.RequireFromString(tt.high)) {
					t.Errorf("total high: got %s, want %s", v.TotalHigh, tt.high)
				}
				return
			}
			t.Fatalf("no variant %s", tt.variant)
		})
	}
}

// TestCaseFigures pins every sub-figure of the two raming slides: population,
// scheme cost and CWS cost per case.
func TestCaseFigures(t *testing.T) {
	tests := []struct {
		name                    string // scenario/case
		population, scheme, cws string
	}{
		{"deck/A-15k", "4000", "60000000", "16000000"},
		{"deck/A-30k", "4000", "120000000", "4000000"},
		{"deck/B-33%", "4000", "40000000", "20000000"},
		{"deck/B-66%", "4000", "80000000", "12000000"},
		{"deck/C-10%", "800", "48000000", "800000"},
		{"deck/C-30%", "2500", "112500000", "2500000"},
		{"deck/D", "8000", "0", "80000000"},
		{"deck/E-helft", "8000", "5000000", "17500000"},
		{"deck/E-als-D", "8000", "0", "80000000"},
		{"deck-exact/A-15k", "3918.75", "58781250", "15675000"},
		{"deck-exact/A-30k", "3918.75", "117562500", "3918750"},
		{"deck-exact/B-33%", "3918.75", "39187500", "19593750"},
		{"deck-exact/B-66%", "3918.75", "78375000", "11756250"},
		{"deck-exact/C-10%", "783.75", "47025000", "783750"},
		{"deck-exact/C-30%", "2351.25", "105806250", "2351250"},
		{"deck-exact/D", "7837.5", "0", "78375000"},
		{"deck-exact/E-helft", "7837.5", "5100000", "8546875"},
		{"deck-exact/E-als-D", "7837.5", "0", "78375000"},
	}
	results := map[string]*Result{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scName, caseID, _ := strings.Cut(tt.name, "/")
			res, ok := results[scName]
			if !ok {
				res = mustEstimate(t, scName)
				results[scName] = res
			}
			c := findCase(t, res, caseID)
			for _, f := range []struct {
				what string
				got  *Expr
				want string
			}{{"population", c.Population, tt.population}, {"scheme", c.Scheme, tt.scheme}, {"cws", c.CWS, tt.cws}} {
				if !f.got.Value.Equal(decimal.RequireFromString(f.want)) {
					t.Errorf("%s: got %s, want %s", f.what, f.got.Value, f.want)
				}
			}
			if want := c.Scheme.Value.Add(c.CWS.Value); !c.Total.Value.Equal(want) {
				t.Errorf("total: got %s, want scheme + cws = %s", c.Total.Value, want)
			}
		})
	}
}

// TestProfilesAddUp: for every case of both built-in scenarios, the budget
// years add up to the case total to the cent, for commitments and for cash.
func TestProfilesAddUp(t *testing.T) {
	for _, name := range []string{"deck", "deck-exact"} {
		res := mustEstimate(t, name)
		for _, v := range res.Variants {
			for _, c := range v.Cases {
				var commit, cash, exec decimal.Decimal
				for _, y := range c.Profile.Years {
					commit = commit.Add(y.Commitments.Total)
					cash = cash.Add(y.Cash.Total)
					exec = exec.Add(y.Cash.Execution)
					if !y.Cash.Total.Equal(y.Cash.Scheme.Add(y.Cash.CWS)) {
						t.Errorf("%s/%s %d: cash total %s is not scheme + CWS", name, c.ID, y.Year, y.Cash.Total)
					}
					for _, a := range []decimal.Decimal{y.Cash.Scheme, y.Cash.CWS, y.Cash.Execution, y.Commitments.Total} {
						if a.IsNegative() || !a.Equal(a.Round(2)) {
							t.Errorf("%s/%s %d: amount %s is negative or not in whole cents", name, c.ID, y.Year, a)
						}
					}
				}
				want := c.Total.Value.Round(2)
				if !commit.Equal(want) || !cash.Equal(want) {
					t.Errorf("%s/%s: years add up to commitments %s, cash %s; want the total %s", name, c.ID, commit, cash, want)
				}
				if c.Profile.ExecutionKnown && !exec.Equal(c.Profile.Execution.Round(2)) {
					t.Errorf("%s/%s: execution years add up to %s, want %s", name, c.ID, exec, c.Profile.Execution)
				}
			}
		}
	}
}

// TestCWSCapacitySpreads: ~3,900 CWS files at 1,000 a year from 1 January
// 2022 take at least four years and end in 2025 or 2026, as the deck's own
// timing statement says (footnote 2: "~1.000 dossiers per jaar (vanaf 1
// januari 2022) en (stel) ~4.000 melders, minstens nog bezig in 2025-26").
func TestCWSCapacitySpreads(t *testing.T) {
	res := mustEstimate(t, "deck-exact")
	d := findCase(t, res, "D")
	years := 0
	for _, y := range d.Profile.Years {
		if y.CWSDecisions.Sign() > 0 {
			years++
			if y.CWSDecisions.GreaterThan(decimal.NewFromInt(1000)) {
				t.Errorf("%d: %s CWS decisions exceed the capacity of 1,000", y.Year, y.CWSDecisions)
			}
		}
	}
	if years < 4 {
		t.Errorf("3,918.75 CWS files spread over %d years, want at least 4", years)
	}
	if y := d.Profile.LastCWSYear; y != 2025 && y != 2026 {
		t.Errorf("last CWS decision in %d, want 2025 or 2026 (the deck: \"minstens nog bezig in 2025-26\")", y)
	}
}

// TestCWSRampUp: a CWS that ramps up from today's ~80 files a year to
// 1,000 over three years decides at most 80 in the opening year, and ends
// later than at full capacity from the start.
func TestCWSRampUp(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	for _, kv := range [][2]string{{"phasing.cws_capacity_start", "80"}, {"phasing.cws_ramp_years", "3"}} {
		if err := sc.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := sc.Revalidate(); err != nil {
		t.Fatal(err)
	}
	res, err := Estimate(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := findCase(t, res, "D")
	caps := []int64{80, 386, 693, 1000} // 80 + (1,000 − 80) × k/3, rounded down
	for k, y := range d.Profile.Years {
		if k < len(caps) && y.CWSDecisions.GreaterThan(decimal.NewFromInt(caps[k]+1)) {
			t.Errorf("%d: %s CWS decisions above the ramp's capacity %d", y.Year, y.CWSDecisions, caps[k])
		}
	}
	full := findCase(t, mustEstimate(t, "deck-exact"), "D")
	if d.Profile.LastCWSYear <= full.Profile.LastCWSYear {
		t.Errorf("with the ramp-up the last CWS decision is %d, at full capacity %d; want later", d.Profile.LastCWSYear, full.Profile.LastCWSYear)
	}
}

// TestOpeningYearShiftsProfile: a later opening moves every year along.
func TestOpeningYearShiftsProfile(t *testing.T) {
	sc, err := scenario.Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := Estimate(sc, nil)
	sc.Phasing.OpeningYear.Value = sc.Phasing.OpeningYear.Value.Add(decimal.NewFromInt(2))
	later, _ := Estimate(sc, nil)
	for i, v := range base.Variants {
		for j, c := range v.Cases {
			a, b := c.Profile, later.Variants[i].Cases[j].Profile
			if len(a.Years) != len(b.Years) || b.Years[0].Year != a.Years[0].Year+2 || b.LastCWSYear != a.LastCWSYear+2 && a.LastCWSYear != 0 {
				t.Errorf("%s: opening two years later gives years %d.. (last CWS %d), before %d.. (last CWS %d)",
					c.ID, b.Years[0].Year, b.LastCWSYear, a.Years[0].Year, a.LastCWSYear)
				continue
			}
			for k := range a.Years {
				if !a.Years[k].Cash.Total.Equal(b.Years[k].Cash.Total) {
					t.Errorf("%s: year %d cash %s, shifted %s", c.ID, k, a.Years[k].Cash.Total, b.Years[k].Cash.Total)
				}
			}
		}
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		name    string
		total   string
		weights []string
		want    []string
	}{
		{"even thirds", "100", []string{"1", "1", "1"}, []string{"33.34", "33.33", "33.33"}},
		{"fractional cents", "0.05", []string{"1", "1"}, []string{"0.03", "0.02"}},
		{"zero weight year", "10", []string{"0", "3", "1"}, []string{"0", "7.5", "2.5"}},
		{"no weights", "5", []string{"0", "0"}, []string{"5", "0"}},
		{"rounds the total", "10.005", []string{"1"}, []string{"10.01"}},
		{"a saving", "-100", []string{"1", "1", "1"}, []string{"-33.34", "-33.33", "-33.33"}},
		{"a saving of fractional cents", "-0.05", []string{"1", "1"}, []string{"-0.03", "-0.02"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w []decimal.Decimal
			for _, s := range tt.weights {
				w = append(w, decimal.RequireFromString(s))
			}
			got := allocate(decimal.RequireFromString(tt.total), w)
			for i := range tt.want {
				if !got[i].Equal(decimal.RequireFromString(tt.want[i])) {
					t.Errorf("got %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
}

// TestAllocateNeverOvershoots: weights whose quotients round up to a whole
// cent still add up to the total exactly.
func TestAllocateNeverOvershoots(t *testing.T) {
	for n := 2; n < 40; n++ {
		w := make([]decimal.Decimal, n)
		for i := range w {
			w[i] = decimal.NewFromInt(int64(1+i%3)).DivRound(decimal.NewFromInt(7), divPlaces)
		}
		for _, total := range []string{"0.01", "0.10", "1000000.01", "78375000", "33.33"} {
			got := decimal.Sum(decimal.Zero, allocate(decimal.RequireFromString(total), w)...)
			if !got.Equal(decimal.RequireFromString(total)) {
				t.Fatalf("%d weights, total %s: years add up to %s", n, total, got)
			}
		}
	}
}

// TestMediationsAtMostTheAffected: variant E's ~1k mediations are a count,
// capped at the affected ex-partners, so a population of 0 costs nothing
// and a small one pays for no more mediations than it has people.
func TestMediationsAtMostTheAffected(t *testing.T) {
	for _, tt := range []struct {
		base      string
		wantCases string // mediations
	}{{"0", "0"}, {"800", "570"}, {"11000", "1000"}} {
		sc := loadScenario(t, "deck-exact")
		if err := sc.Set("funnel.base_population", tt.base); err != nil {
			t.Fatal(err)
		}
		res, err := Estimate(sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		quantity := func(id string) decimal.Decimal {
			for _, q := range res.Quantities {
				if q.ID == id {
					return q.Value()
				}
			}
			t.Fatalf("no quantity %s", id)
			return decimal.Zero
		}
		got := quantity("E.mediations")
		if affected := quantity("funnel.affected"); !got.Equal(decimal.Min(affected, decimal.NewFromInt(1000))) {
			t.Errorf("base %s: %s mediations, %s affected", tt.base, got, affected)
		}
		if !got.Round(0).Equal(decimal.RequireFromString(tt.wantCases)) {
			t.Errorf("base %s: %s mediations, want %s", tt.base, got, tt.wantCases)
		}
		if tt.base == "0" && !res.Variant("E").Cases[0].Total.Value.IsZero() {
			t.Errorf("no population: E costs %s", res.Variant("E").Cases[0].Total.Value)
		}
	}
}
