package scenario

import (
	"slices"
	"strings"
	"testing"
)

func loadWith(t *testing.T, name string, sets ...string) *Scenario {
	t.Helper()
	sc, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.SetAll(sets); err != nil {
		t.Fatal(err)
	}
	return sc
}

func diffKeys(ds []Difference) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Key+":"+d.Kind.String())
	}
	return out
}

func TestCloneIsIndependent(t *testing.T) {
	sc := loadWith(t, "deck")
	c := sc.Clone()
	if ds, st := Diff(sc, c); len(ds) != 0 || len(st) != 0 {
		t.Fatalf("a clone differs: %v %v", diffKeys(ds), st)
	}
	if err := c.SetAll([]string{"funnel.affected_share=0.7", "funnel.affected_share.low=0.6", "b.threshold=soft", "A-15k.lump_sum=20000"}); err != nil {
		t.Fatal(err)
	}
	delete(c.Rounding, "funnel.damage")
	c.A.Cases[0].Label = "changed"
	if !sc.Funnel.AffectedShare.Value.Equal(loadWith(t, "deck").Funnel.AffectedShare.Value) ||
		!sc.Funnel.AffectedShare.Uncertainty.Low.Equal(*loadWith(t, "deck").Funnel.AffectedShare.Uncertainty.Low) ||
		sc.B.Options.Threshold != ThresholdHard || sc.A.Cases[0].Label == "changed" || len(sc.Changed) != 0 {
		t.Fatal("changing the clone changed the original")
	}
	if _, ok := sc.Rounding["funnel.damage"]; !ok {
		t.Fatal("deleting a rounding of the clone deleted the original's")
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name         string
		base, other  *Scenario
		want         []string
		structure    int
		structureHas string
	}{
		{name: "the same", base: loadWith(t, "deck"), other: loadWith(t, "deck")},
		{name: "deck against deck-exact: the roundings", base: loadWith(t, "deck"), other: loadWith(t, "deck-exact"),
			want: []string{"rounding.C-10%.population:rounding", "rounding.C-30%.population:rounding", "rounding.E.dispute_cost:rounding",
				"rounding.E.settlement_deduction:rounding", "rounding.funnel.affected:rounding", "rounding.funnel.damage:rounding"}},
		{name: "a value, an interval, an option", base: loadWith(t, "deck"),
			other: loadWith(t, "deck", "funnel.affected_share=0.7", "A.cws_average_damage.high=60000", "b.threshold=soft", "D.cws_average_damage=25000", "D.cws_average_damage.low=15000"),
			want:  []string{"funnel.affected_share:value", "A.cws_average_damage:distribution", "D.cws_average_damage:value and distribution", "b.threshold:option"}},
		{name: "the same value set again changes nothing", base: loadWith(t, "deck"), other: loadWith(t, "deck", "funnel.affected_share=0.75")},
		{name: "the adopted scheme: other variants", base: loadWith(t, "deck-exact"), other: loadWith(t, "wet-2023"),
			want:      []string{"phasing.opening_year:value", "phasing.opening_year_share:value and distribution"},
			structure: 6, structureHas: "variant W is in the other scenario only"},
		{name: "a ramp-up given in one only is one key", base: loadWith(t, "deck"),
			other: loadWith(t, "deck", "phasing.cws_capacity_start=80", "phasing.cws_ramp_years=3"),
			want:  []string{"phasing.cws_capacity_start:value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, st := Diff(tt.base, tt.other)
			if got := diffKeys(ds); !slices.Equal(got, tt.want) {
				t.Errorf("differences %v, want %v", got, tt.want)
			}
			var sentences []string
			for _, d := range st {
				sentences = append(sentences, d.String())
			}
			if len(st) != tt.structure || tt.structureHas != "" && !slices.Contains(sentences, tt.structureHas) {
				t.Errorf("structure %q, want %d sentences with %q", st, tt.structure, tt.structureHas)
			}
			// Taking every difference makes the base the other, as far as keys go.
			c := tt.base.Clone()
			for _, d := range ds {
				if err := c.Take(tt.other, d); err != nil {
					t.Fatal(err)
				}
			}
			if err := c.Revalidate(); err != nil {
				t.Fatalf("the base with every difference taken: %v", err)
			}
			if rest, _ := Diff(c, tt.other); len(rest) != 0 {
				t.Errorf("after taking every difference, still %v", diffKeys(rest))
			}
			if rest, _ := Diff(tt.base, loadWith(t, tt.base.Name, tt.base.Settings...)); len(rest) != 0 {
				t.Errorf("taking changed the base: %v", diffKeys(rest))
			}
		})
	}
}

func TestDiffDescribes(t *testing.T) {
	ds, _ := Diff(loadWith(t, "deck"), loadWith(t, "deck", "A.cws_average_damage.high=60000", "phasing.cws_capacity_start=80", "phasing.cws_ramp_years=3"))
	if len(ds) != 2 {
		t.Fatalf("%v", diffKeys(ds))
	}
	if d := ds[1]; d.Base != "35000; lognormal low=25000 high=50000" || d.Other != "35000; lognormal low=25000 high=60000" {
		t.Errorf("%s: %q → %q", d.Key, d.Base, d.Other)
	}
	if d := ds[0]; d.Base != "; phasing.cws_ramp_years: -" || !strings.HasSuffix(d.Other, "phasing.cws_ramp_years: 3") || !slices.Equal(d.Also, []string{"phasing.cws_ramp_years"}) {
		t.Errorf("%s: %q → %q, also %v", d.Key, d.Base, d.Other, d.Also)
	}
}

// TestTakeCarriesChanged: an assumption --set changed in the other
// scenario counts as changed when taken, so that the deck's rounding of
// a quantity that depends on it no longer applies, as in the other.
func TestTakeCarriesChanged(t *testing.T) {
	base, other := loadWith(t, "deck"), loadWith(t, "deck", "funnel.affected_share=0.7")
	ds, _ := Diff(base, other)
	c := base.Clone()
	if err := c.Take(other, ds[0]); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Changed, []string{"funnel.affected_share"}) {
		t.Errorf("changed %v", c.Changed)
	}
	if err := c.Take(other, Difference{Key: "no.such"}); err == nil {
		t.Error("an unknown key was taken")
	}
}
