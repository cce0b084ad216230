package raming

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"raming/input"
)

// TestRunWarnings: a run says where its figures are weaker than they
// look, after the estimate's own warnings: too few iterations, budget
// years already past.
func TestRunWarnings(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	opening := int(sc.Phasing.OpeningYear.Value.IntPart())
	tests := []struct {
		name string
		mc   MC
		year int
		want []string
	}{
		{"deterministic, in the opening year", MC{}, opening, nil},
		{"few iterations", MC{Iterations: 200, Seed: 1, Workers: 1}, opening, []string{"only 200 Monte Carlo iterations"}},
		{"a later year", MC{}, opening + 1, []string{"lies before this run's year"}},
		{"enough iterations", MC{Iterations: 1000, Seed: 1, Workers: 2}, opening, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(sc, nil, tt.mc, tt.year)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Warnings) != len(tt.want) {
				t.Fatalf("got warnings %q, want %d", res.Warnings, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(res.Warnings[i], w) {
					t.Errorf("warning %d: got %q, want it to contain %q", i, res.Warnings[i], w)
				}
			}
			if (res.MonteCarlo != nil) != (tt.mc.Iterations > 0) {
				t.Errorf("simulated %v with %d iterations", res.MonteCarlo != nil, tt.mc.Iterations)
			}
		})
	}
}

// TestSetWithoutEffectWarns: --set funnel.base_population (or its
// uncertainty) on a run on an extract changes nothing, and says so; on the
// scenario's own population it is no warning.
func TestSetWithoutEffectWarns(t *testing.T) {
	for _, tc := range []struct {
		set     string
		extract bool
		want    bool
	}{
		{"funnel.base_population=20000", true, true},
		{"funnel.base_population=20000", false, false},
		{"funnel.affected_share=0.7", true, false},
	} {
		sc := loadScenario(t, "deck-exact")
		if err := sc.SetAll([]string{tc.set}); err != nil {
			t.Fatal(err)
		}
		var pop *input.Population
		if tc.extract {
			pop = generated(t, 500, 4)
		}
		res, err := Run(sc, pop, MC{}, int(sc.Phasing.OpeningYear.Value.IntPart()))
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "has no effect") })
		if got != tc.want {
			t.Errorf("--set %s (extract %v): warnings %q, want a warning of no effect: %v", tc.set, tc.extract, res.Warnings, tc.want)
		}
	}
}

// TestCountFunnelIsTheEstimates: the funnel validate counts is the one
// the estimate counts, with the extract's rejected rows and warnings.
func TestCountFunnelIsTheEstimates(t *testing.T) {
	sc := loadScenario(t, "deck")
	pop := generated(t, 300, 4)
	got, err := CountFunnel(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Estimate(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, res.Population) {
		t.Errorf("CountFunnel gives %+v, the estimate %+v", got, res.Population)
	}
	if got.SHA256 != pop.SHA256 || got.RowsRead != pop.RowsRead || len(got.Funnel) == 0 {
		t.Errorf("population %+v", got)
	}
}

// TestResultQueries: cases by id, the variant of a case, the case computed
// per record.
func TestResultQueries(t *testing.T) {
	res := mustEstimate(t, "deck")
	ids := res.CaseIDs()
	if len(ids) != 9 || ids[0] != "A-15k" {
		t.Errorf("case ids %q", ids)
	}
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			if got := res.VariantOf(c.ID); got == nil || got.ID != v.ID {
				t.Errorf("VariantOf(%s) = %v, want %s", c.ID, got, v.ID)
			}
		}
	}
	if res.VariantOf("Z-1") != nil || res.PerRecordCase() != nil {
		t.Error("a case that does not exist, or a per-record case without an extract")
	}
	onExtract, err := Estimate(loadScenario(t, "deck"), generated(t, 200, 2))
	if err != nil {
		t.Fatal(err)
	}
	if c := onExtract.PerRecordCase(); c == nil || !slices.Contains(onExtract.CaseIDs(), c.ID) || c.PerRecord == nil {
		t.Errorf("no per-record case on an extract: %v", c)
	}
}

// TestRejectedRowsOnThePopulation: the extract's rejected rows and the
// reader's warnings travel on the result's population, for the outputs.
func TestRejectedRowsOnThePopulation(t *testing.T) {
	csv := "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,kleur\n" +
		"X-1,D-1,nee,ja,2014,rood\nX-2,D-2,nee,misschien,2014,rood\n"
	pop, err := input.Read(strings.NewReader(csv), input.Options{Source: "two.csv", IgnoreUnknownColumns: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Estimate(loadScenario(t, "deck"), pop)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Population
	want := RejectedRow{Line: 3, ID: "X-2", Column: "gedupeerd", Reason: pop.Rejected[0].Reason(), Kind: RejectBadAnswer}
	if len(p.Rejected) != 1 || p.Rejected[0] != want || p.RowsRejected != 1 {
		t.Errorf("rejected %+v, want [%+v]", p.Rejected, want)
	}
	if !slices.Equal(p.Warnings, pop.Warnings) || len(p.Warnings) == 0 || p.SHA256 != pop.SHA256 {
		t.Errorf("warnings %q, want the reader's %q; SHA-256 %q", p.Warnings, pop.Warnings, p.SHA256)
	}
}
