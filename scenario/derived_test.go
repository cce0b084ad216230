package scenario

import (
	"strings"
	"testing"
)

// TestDeriveGivesTheSetScenario: a derived file, resolved, is the
// scenario with the --set changes applied: every assumption's value and
// uncertainty and every option of B the same; the reasons are in it.
func TestDeriveGivesTheSetScenario(t *testing.T) {
	for _, tc := range []struct {
		name string
		base string
		sets []string
	}{
		{"a share", "deck", []string{"funnel.affected_share=0,7"}},
		{"an option and a case", "deck-exact", []string{"b.threshold=soft", "A-15k.lump_sum=20000", "b.minimum_one_year=true"}},
		{"a range and a date", "deck", []string{"funnel.affected_share.low=0.6", "b.peildatum=eerste-betaling", "b.pending_peildatum=2024-06-30"}},
		{"a triangular value", "deck-exact", []string{"phasing.cws_capacity=800", "B-66%.years_together=3"}},
		{"nothing", "deck", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, err := Load(tc.base)
			if err != nil {
				t.Fatal(err)
			}
			why := map[string]string{}
			for _, kv := range tc.sets {
				k, _, _ := strings.Cut(kv, "=")
				why[k] = "because of " + k + "\nsecond line"
			}
			text, err := Derive(base, Derivation{Base: tc.base, Name: "mine", Sets: tc.sets, Why: why})
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(text, "derived.toml")
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			want, _ := Load(tc.base)
			if err := want.SetAll(tc.sets); err != nil {
				t.Fatal(err)
			}
			if got.Name != "mine" {
				t.Errorf("name %q, want mine", got.Name)
			}
			ge, we := got.Entries(), want.Entries()
			if len(ge) != len(we) {
				t.Fatalf("%d entries, want %d", len(ge), len(we))
			}
			for i := range ge {
				g, w := ge[i], we[i]
				if g.ID != w.ID || !g.Value.Equal(w.Value) || g.Unit != w.Unit {
					t.Errorf("%s = %s %s, want %s = %s %s", g.ID, g.Value, g.Unit, w.ID, w.Value, w.Unit)
				}
				if (g.Uncertainty == nil) != (w.Uncertainty == nil) {
					t.Errorf("%s: uncertainty %v, want %v", g.ID, g.Uncertainty, w.Uncertainty)
				}
			}
			for _, op := range Options {
				if g, w := op.Get(&got.B.Options), op.Get(&want.B.Options); g != w {
					t.Errorf("b.%s = %s, want %s", op.Key, g, w)
				}
			}
			if g, w := got.B.Options.PendingPeildatum.Value, want.B.Options.PendingPeildatum.Value; g != w {
				t.Errorf("pending_peildatum %v, want %v", g, w)
			}
			for k := range why {
				if !strings.Contains(string(text), "because of "+k+" second line") {
					t.Errorf("the reason for %s is not in the file:\n%s", k, text)
				}
			}
		})
	}
}
