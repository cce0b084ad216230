package raming

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

// compare runs Engine.Compare of base with the other scenario (nil: base
// with otherSets) on pop.
func compare(t testing.TB, base, other *scenario.Scenario, pop *input.Population, mc MC, otherSets ...string) *ScenarioComparison {
	t.Helper()
	e, err := NewEngine(base, pop)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Compare(context.Background(), CompareRequest{Other: other, OtherSets: otherSets, MC: mc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sharedCase returns the comparison of one case.
func sharedCase(t testing.TB, c *ScenarioComparison, id string) *CaseComparison {
	t.Helper()
	for i := range c.Cases {
		if c.Cases[i].CaseID == id {
			return &c.Cases[i]
		}
	}
	t.Fatalf("no shared case %s", id)
	return nil
}

// independentDiff is the band (P5, P95) of the differences other − base
// when the other is simulated on another seed than the base: what two
// separate runs would show.
func independentDiff(t testing.TB, base *scenario.Scenario, pop *input.Population, mc MC, caseID string, otherSets ...string) (p5, p95 float64) {
	t.Helper()
	e, _ := NewEngine(base, pop)
	ctx := context.Background()
	mb, _ := e.model(base)
	other, err := e.Scenario(otherSets)
	if err != nil {
		t.Fatal(err)
	}
	mo, _ := e.model(other)
	resB, bs, err := mb.simulation(ctx, mc)
	if err != nil {
		t.Fatal(err)
	}
	mc2 := mc
	mc2.Seed++
	op, err := mo.plan(ctx, mc2, func(res *Result) (*simulator, [][2]int) { return bs, sharedCases(resB, res) })
	if err != nil {
		t.Fatal(err)
	}
	_, os, err := op.run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for k, ij := range sharedCases(resB, resB) {
		if caseAt(resB, ij[0]).ID == caseID {
			d := os.pair.out[k].diff
			return d.At(5), d.At(95)
		}
	}
	t.Fatalf("no case %s", caseID)
	return 0, 0
}

// TestPairedBandIsNarrow: on common random numbers the band of a small
// change's difference is at most a fifth of the case's own band, for a
// change of a value, of a distribution and of an option of B; the
// difference of two independent runs is not (it is wider than the case's
// band itself).
func TestPairedBandIsNarrow(t *testing.T) {
	pop := generated(t, 3000, 1)
	base := loadScenario(t, "deck")
	mc := MC{Seed: 1, Iterations: 2000, Workers: 2}
	tests := []struct {
		name, caseID string
		sets         []string
	}{
		{"a value", "B-opties", []string{"funnel.affected_share=0.77"}},
		{"a value that changes the extract's draws", "C-10%", []string{"funnel.affected_share=0.77"}},
		{"a value of an amount", "A-15k", []string{"A.cws_average_damage=36000"}},
		{"a distribution", "B-opties", []string{"funnel.affected_share.low=0.6"}},
		{"a distribution of a share the extract's draws take", "C-10%", []string{"funnel.affected_share.low=0.6"}},
		{"a distribution of an earlier input", "D", []string{"funnel.report_growth.max=0.55"}},
		{"an option of B", "B-opties", []string{"b.minimum_one_year=true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := compare(t, base, nil, pop, mc, tt.sets...)
			cc := sharedCase(t, c, tt.caseID)
			own := c.Base.MonteCarlo.Case(tt.caseID).TotalStats
			width := own.At(95) - own.At(5)
			paired := cc.Diff.At(95) - cc.Diff.At(5)
			lo, hi := independentDiff(t, base, pop, mc, tt.caseID, tt.sets...)
			t.Logf("%s %s: own band %.0f, paired difference %.0f (%.3f of it), independent %.0f (%.3f); point difference %s",
				tt.caseID, tt.sets, width, paired, paired/width, hi-lo, (hi-lo)/width, cc.Difference.StringFixed(0))
			if paired > width/5 {
				t.Errorf("the paired difference's band %.0f is wider than a fifth of the case's band %.0f", paired, width)
			}
			if hi-lo <= width/5 {
				t.Errorf("two independent runs' difference has a band of %.0f, within a fifth of the case's %.0f: the test cannot tell them apart", hi-lo, width)
			}
		})
	}
}

// TestUntouchedCasesDoNotMove: a change draws its own inputs and
// Binomial nodes differently, and nothing else: a case that does not
// depend on it has no difference in any iteration, even when the change
// adds draws (an option of B changes B's Binomial nodes, which the
// extract's hardship counts of C follow in the model) or changes how many
// random numbers a draw takes (a beta's shape).
func TestUntouchedCasesDoNotMove(t *testing.T) {
	pop := generated(t, 3000, 1)
	for _, tt := range []struct {
		sets  []string
		cases []string
	}{
		{[]string{"b.threshold=soft"}, []string{"A-15k", "C-10%", "C-30%", "D", "E-helft"}},
		{[]string{"b.percentage=fixed", "b.cws_route=uht-step"}, []string{"A-30k", "C-10%", "E-helft"}},
		{[]string{"A.cws_appeal_share.low=0.1"}, []string{"C-10%", "D", "E-helft"}},
	} {
		c := compare(t, loadScenario(t, "deck"), nil, pop, MC{Seed: 1, Iterations: 1000, Workers: 2}, tt.sets...)
		for _, id := range tt.cases {
			cc := sharedCase(t, c, id)
			if d := cc.Diff; d.At(5) != 0 || d.At(95) != 0 || d.Mean != 0 || d.SD != 0 {
				t.Errorf("%v: %s moved: P5 %.0f, P95 %.0f, mean %.0f", tt.sets, id, d.At(5), d.At(95), d.Mean)
			}
		}
	}
}

// TestCompareWithItself: a scenario compared with itself differs in
// nothing: every difference is 0 in every iteration, P(other cheaper) is
// 0.5 (every iteration a tie, counted half), no key differs and nothing
// is attributed.
func TestCompareWithItself(t *testing.T) {
	for _, pop := range []*input.Population{nil, generated(t, 500, 2)} {
		c := compare(t, loadScenario(t, "deck"), loadScenario(t, "deck"), pop, MC{Seed: 3, Iterations: 300, Workers: 2})
		if len(c.Differences) != 0 || len(c.Structure) != 0 || c.Method != AttributionNone {
			t.Errorf("differences %v, structure %v, method %v", c.Differences, c.Structure, c.Method)
		}
		if len(c.Cases) == 0 {
			t.Fatal("no shared case")
		}
		for _, cc := range c.Cases {
			if !cc.Difference.IsZero() || cc.Diff.At(5) != 0 || cc.Diff.At(95) != 0 || cc.Diff.Mean != 0 || cc.POtherCheaper != 0.5 || cc.Attribution != nil {
				t.Errorf("%s: difference %s, P5 %v, P95 %v, P(cheaper) %v, attribution %v", cc.CaseID, cc.Difference, cc.Diff.At(5), cc.Diff.At(95), cc.POtherCheaper, cc.Attribution)
			}
			for _, y := range cc.Years {
				if !y.Point.IsZero() || y.Band.P5 != 0 || y.Band.P95 != 0 {
					t.Errorf("%s %d: %s, band %v-%v", cc.CaseID, y.Year, y.Point, y.Band.P5, y.Band.P95)
				}
			}
		}
	}
}

// sumOfShares is the sum of a case's attribution.
func sumOfShares(cc *CaseComparison) decimal.Decimal {
	sum := decimal.Zero
	for _, a := range cc.Attribution {
		sum = sum.Add(a.Amount)
	}
	return sum
}

// TestAttributionAddsUp: the shares of the keys add up to the point
// difference to the cent, for values, a distribution and options of B,
// with and without an extract, by Shapley values and in order beyond
// MaxShapleyKeys keys.
func TestAttributionAddsUp(t *testing.T) {
	pop := generated(t, 800, 4)
	tests := []struct {
		name   string
		pop    *input.Population
		sets   []string
		method AttributionMethod
	}{
		{"values", nil, []string{"funnel.affected_share=0.7", "A.cws_average_damage=40000", "D.cws_average_damage=21000"}, AttributionShapley},
		{"a distribution and values", nil, []string{"funnel.affected_share.low=0.6", "funnel.together_share=0.45", "C-10%.average_amount=55000"}, AttributionShapley},
		{"options of B and a distribution", pop, []string{"b.threshold=soft", "b.percentage=fixed", "b.offset_30k=front", "A.cws_average_damage.high=60000", "funnel.affected_share=0.8"}, AttributionShapley},
		{"beyond ten keys", pop, []string{"b.threshold=soft", "b.percentage=fixed", "b.offset_30k=front", "b.base=15000", "b.extra_payment=extra",
			"funnel.affected_share=0.8", "funnel.together_share=0.45", "A.cws_average_damage=40000", "A.cws_appeal_share=0.25", "D.cws_average_damage=21000",
			"E.settled_share=0.6", "C-10%.average_amount=55000"}, AttributionSequential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := compare(t, loadScenario(t, "deck"), nil, tt.pop, MC{Workers: 2}, tt.sets...)
			if c.Method != tt.method || c.Note != "" {
				t.Fatalf("method %v (%s), want %v", c.Method, c.Note, tt.method)
			}
			moved := false
			for i := range c.Cases {
				cc := &c.Cases[i]
				if got, want := sumOfShares(cc), cc.Difference.Round(2); !got.Equal(want) {
					t.Errorf("%s: the shares add up to %s, the difference is %s", cc.CaseID, got, want)
				}
				for _, a := range cc.Attribution {
					if a.Residual {
						t.Errorf("%s: a residual of %s although every difference is a key", cc.CaseID, a.Amount)
					}
					if a.Kind == scenario.DiffDistribution && !a.Amount.IsZero() {
						t.Errorf("%s: the distribution of %s moved the estimate by %s", cc.CaseID, a.Key, a.Amount)
					}
				}
				moved = moved || !cc.Difference.IsZero()
			}
			if !moved {
				t.Error("no case moved: the test tests nothing")
			}
		})
	}
}

// TestShapleySymmetric: two keys with the same effect get the same
// share, whichever comes first; a key without effect gets none; and
// shapley is exact on a game with an interaction.
func TestShapleySymmetric(t *testing.T) {
	// Two lump sums raised by the same amount: each case moves by one key
	// only, and the split is order-free.
	c := compare(t, loadScenario(t, "deck-exact"), nil, nil, MC{}, "A-15k.lump_sum=16000", "A-30k.lump_sum=31000", "D.cws_average_damage=21000")
	for _, id := range []string{"A-15k", "A-30k", "D"} {
		cc := sharedCase(t, c, id)
		if got := sumOfShares(cc); !got.Equal(cc.Difference.Round(2)) {
			t.Errorf("%s: %s, want %s", id, got, cc.Difference)
		}
	}
	// A game: v = 10·x + 10·y + 6·x·y (x, y the keys taken): x and y are
	// symmetric, z is a null player.
	v := func(m uint32) decimal.Decimal {
		x, y := int64(m&1), int64(m>>1&1)
		return decimal.NewFromInt(10*x + 10*y + 6*x*y)
	}
	phi := shapley(3, v)
	for i, want := range []float64{13, 13, 0} {
		if got, _ := phi[i].Float64(); got != want {
			t.Errorf("φ%d = %v, want %v", i, got, want)
		}
	}
	// The same on the engine: A-30k's CWS cost is damage × appeal share ×
	// (CWS damage − EUR 30k); raising the appeal share from 20% to 22%
	// and the CWS damage from 35k to 35.5k (5k to 5.5k above the lump
	// sum) both raise it by a tenth: the same effect, the same share,
	// and together a hundredth more.
	c = compare(t, loadScenario(t, "deck-exact"), nil, nil, MC{}, "A.cws_appeal_share=0.22", "A.cws_average_damage=35500")
	cc := sharedCase(t, c, "A-30k")
	if len(cc.Attribution) != 2 || !cc.Attribution[0].Amount.Equal(cc.Attribution[1].Amount) {
		t.Errorf("A-30k: the two keys of the same effect got %v", cc.Attribution)
	}
	if got := sumOfShares(cc); !got.Equal(cc.Difference.Round(2)) || cc.Difference.IsZero() {
		t.Errorf("A-30k: %s, want %s", got, cc.Difference)
	}
}

// TestAttributionShares: exact shares become whole cents that add up to
// the total rounded to the cent, by the largest remainder.
func TestAttributionShares(t *testing.T) {
	got := allocateCents([]*big.Rat{big.NewRat(1, 3), big.NewRat(1, 3), big.NewRat(1, 3)}, decimal.NewFromInt(1))
	if got[0].String() != "0.34" || got[1].String() != "0.33" || got[2].String() != "0.33" {
		t.Errorf("a euro in thirds: %v", got)
	}
	got = allocateCents([]*big.Rat{big.NewRat(-1, 3), big.NewRat(-2, 3)}, decimal.NewFromInt(-1))
	if got[0].String() != "-0.33" || got[1].String() != "-0.67" {
		t.Errorf("minus a euro: %v", got)
	}
}

// TestCompareRefusesMemoryAtOnce: a comparison over the memory limit (the
// two scenarios together) is refused before either draws: no iteration is
// run, and the error says how much it needs.
func TestCompareRefusesMemoryAtOnce(t *testing.T) {
	e, _ := NewEngine(loadScenario(t, "deck"), generated(t, 2000, 3))
	drawn := false
	mc := MC{Seed: 1, Iterations: 1_000_000, Workers: 2, MaxMemory: 64 << 20, Progress: func(int, int) { drawn = true }}
	_, err := e.Compare(context.Background(), CompareRequest{OtherSets: []string{"b.threshold=soft"}, MC: mc})
	var me *MemoryError
	if !errors.As(err, &me) || me.Need <= mc.MaxMemory {
		t.Fatalf("got %v, want a MemoryError over %d bytes", err, mc.MaxMemory)
	}
	if drawn {
		t.Error("the comparison drew iterations before it was refused")
	}
	// Each scenario alone fits: the limit holds for the two together.
	one := mc
	one.Progress = nil
	one.Iterations = 1000
	if _, err := e.Compare(context.Background(), CompareRequest{OtherSets: []string{"b.threshold=soft"}, MC: one}); err != nil {
		t.Fatalf("a small comparison: %v", err)
	}
}
