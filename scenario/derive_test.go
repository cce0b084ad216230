package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestBuiltinsDerive: deck and wet-2023 are written as what they change in
// deck-exact, and resolve to complete scenarios: their text reads on its
// own (without a base) as the same scenario, with the same SHA-256.
func TestBuiltinsDerive(t *testing.T) {
	for _, name := range []string{"deck", "wet-2023"} {
		t.Run(name, func(t *testing.T) {
			b, _ := BuiltinText(name)
			if !strings.Contains(string(b), "\nbase = \"deck-exact\"") {
				t.Errorf("builtin/%s.toml does not derive from deck-exact", name)
			}
			if n := strings.Count(string(b), "\n"); n > 150 { // wet-2023 holds its variant W whole
				t.Errorf("builtin/%s.toml has %d lines: it should hold only what differs from deck-exact", name, n)
			}
			sc := mustLoad(t, name)
			if sc.DerivedFrom != "built-in deck-exact" || strings.Contains(string(sc.Text), "\nbase = \"deck-exact\"") {
				t.Errorf("derived from %q; the text keeps the base line: %v", sc.DerivedFrom, strings.Contains(string(sc.Text), "\nbase = \"deck-exact\""))
			}
			again, err := Parse(sc.Text, "copy.toml")
			if err != nil {
				t.Fatal(err)
			}
			if again.SHA256 != sc.SHA256 || again.DerivedFrom != "" || len(again.Entries()) != len(sc.Entries()) {
				t.Errorf("the resolved text reads as another scenario")
			}
		})
	}
	if exact := mustLoad(t, "deck-exact"); exact.DerivedFrom != "" {
		t.Errorf("deck-exact derives from %q", exact.DerivedFrom)
	}
}

// write writes files into a temporary directory and returns it.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDeriveChanges: a derived file changes what it gives and keeps the
// rest of its base: an assumption is replaced whole, a table such as B's
// options key by key, a variant's cases as a whole; remove leaves a
// variant out; the base's comments stay.
func TestDeriveChanges(t *testing.T) {
	dir := write(t, map[string]string{"mine.toml": `# My scenario: the deck with a higher lump sum.
base = "deck"
remove = ["C", "rounding.C-10%.population", "rounding.C-30%.population"]
name = "mine"

[funnel.affected_share]
value = 0.8
unit = "share"
description = "Share affected: higher."
source = "Eigen aanname"

[B.options]
threshold = "soft"

[A]
central_case = "A-20k"

[[A.cases]]
id = "A-20k"
label = "Forfaitair bedrag 20k"
[A.cases.lump_sum]
value = 20000
unit = "eur"
description = "Lump sum."
source = "Eigen aanname"
`})
	sc, err := Load(filepath.Join(dir, "mine.toml"))
	if err != nil {
		t.Fatal(err)
	}
	deck := mustLoad(t, "deck")
	switch {
	case sc.Name != "mine" || sc.Title != deck.Title:
		t.Errorf("name %q, title %q", sc.Name, sc.Title)
	case !sc.Funnel.AffectedShare.Value.Equal(dec("0.8")) || sc.Funnel.AffectedShare.Uncertainty != nil:
		t.Errorf("affected share %s, uncertainty %v: want 0.8 without the base's uncertainty", sc.Funnel.AffectedShare.Value, sc.Funnel.AffectedShare.Uncertainty)
	case !sc.Funnel.TogetherShare.Value.Equal(deck.Funnel.TogetherShare.Value):
		t.Errorf("together share changed")
	case sc.B.Options.Threshold.String() != "soft" || sc.B.Options.Percentage != deck.B.Options.Percentage || !sc.B.Options.Cap.Value.Equal(deck.B.Options.Cap.Value):
		t.Errorf("options: threshold %s, percentage %s", sc.B.Options.Threshold, sc.B.Options.Percentage)
	case len(sc.A.Cases) != 1 || sc.A.Cases[0].ID != "A-20k" || sc.A.CentralCase != "A-20k" || sc.A.Name != deck.A.Name:
		t.Errorf("A: %d cases, central %s, name %s", len(sc.A.Cases), sc.A.CentralCase, sc.A.Name)
	case sc.C != nil || len(sc.Rounding) != len(deck.Rounding)-2:
		t.Errorf("C %v, %d roundings", sc.C, len(sc.Rounding))
	}
	if !strings.HasPrefix(string(sc.Text), "# My scenario") || !strings.Contains(string(sc.Text), "# --- Funnel ---") ||
		!strings.Contains(string(sc.Text), `threshold = "soft"`) || !strings.Contains(string(sc.Text), "# share | weighted-share") {
		t.Errorf("the resolved text lost the file's or the base's comments:\n%.2000s", sc.Text)
	}
}

// TestDeriveProblems: a problem is reported in the file and on the line
// where it was written, the derived file's or its base's.
func TestDeriveProblems(t *testing.T) {
	deckExact, _ := BuiltinText("deck-exact")
	tests := []struct {
		name  string
		files map[string]string // mine.toml is loaded
		want  []string          // in the error
	}{
		{"a value without its source", map[string]string{"mine.toml": "base = \"deck\"\n\n[funnel.affected_share]\nvalue = 0.8\n"},
			[]string{"mine.toml:3: funnel.affected_share.unit: unit is \"\"", "mine.toml:3: funnel.affected_share.source: missing"}},
		{"a typo", map[string]string{"mine.toml": "base = \"deck\"\n[funnel.afected_share]\nvalue = 0.8\n"},
			[]string{"mine.toml:2: funnel.afected_share: unknown table (did you mean affected_share?)"}},
		{"a problem in the base after the change", map[string]string{"mine.toml": "base = \"deck-exact\"\nremove = [\"A\"]\n"},
			[]string{"built-in deck-exact:" + strconv.Itoa(lineOf(t, string(deckExact), `moves_with = "A.cws_appeal_share"`)) + ": B.cws_appeal_share.uncertainty.moves_with: no assumption \"A.cws_appeal_share\""}},
		{"a central case removed", map[string]string{"mine.toml": "base = \"deck\"\n[[A.cases]]\nid = \"A-20k\"\n[A.cases.lump_sum]\nvalue = 20000\nunit = \"eur\"\ndescription = \"d\"\nsource = \"s\"\n"},
			[]string{"built-in deck-exact:" + strconv.Itoa(lineOf(t, string(deckExact), `central_case = "A-15k"  # the case whose Monte Carlo spread stands for the variant`)) + ": A.central_case: \"A-15k\" is not a case of variant A; cases: A-20k"}},
		{"remove what the base lacks", map[string]string{"mine.toml": "base = \"deck\"\nremove = [\"F\", \"phasing.opening_yaer\"]\n"},
			[]string{"mine.toml:2: remove: \"F\" (did you mean A?), \"phasing.opening_yaer\" (did you mean phasing.opening_year?) not in the base built-in deck"}},
		{"remove without base", map[string]string{"mine.toml": "remove = [\"A\"]\n"}, []string{"mine.toml:1: remove: remove without base"}},
		{"an empty base", map[string]string{"mine.toml": "base = \"\"\n"}, []string{"mine.toml:1: base: is empty"}},
		{"no such base", map[string]string{"mine.toml": "base = \"dek\"\n"}, []string{"mine.toml:1: base: ", "dek does not exist; base names a built-in scenario (deck, deck-exact, wet-2023) or a file relative to this one"}},
		{"itself", map[string]string{"mine.toml": "base = \"mine.toml\"\n"}, []string{"mine.toml:1: base: \"mine.toml\" derives from itself"}},
		{"a cycle", map[string]string{"mine.toml": "base = \"a.toml\"\n", "a.toml": "base = \"mine.toml\"\n"},
			[]string{"a.toml:1: base: \"mine.toml\" derives from itself", "mine.toml → ", "a.toml → "}},
		{"too deep", map[string]string{"mine.toml": "base = \"1.toml\"\n", "1.toml": "base = \"2.toml\"\n", "2.toml": "base = \"3.toml\"\n", "3.toml": "base = \"4.toml\"\n", "4.toml": "base = \"deck\"\n"},
			[]string{"4.toml:1: base: ", "derives through more than 5 scenarios"}},
		{"a base file with a problem", map[string]string{"mine.toml": "base = \"common.toml\"\n", "common.toml": "base = \"deck\"\n[funnel.affected_share]\nvalue = 2\n"},
			[]string{"common.toml:3: funnel.affected_share.value: value 2 is not a share"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := write(t, tt.files)
			_, err := Load(filepath.Join(dir, "mine.toml"))
			if err == nil {
				t.Fatal("got no error")
			}
			got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got\n%v\nwant it to contain %q", got, w)
				}
			}
		})
	}
}

// TestDeriveFromFile: a file may derive from a file relative to it, which
// may derive from a built-in; the text resolves through both.
func TestDeriveFromFile(t *testing.T) {
	dir := write(t, map[string]string{
		"common.toml": "# Our common assumptions.\nbase = \"deck-exact\"\nname = \"common\"\n\n[funnel.base_population]\nvalue = 12000\nunit = \"persons\"\ndescription = \"Ours.\"\nsource = \"Eigen telling\"\n",
	})
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "mine.toml"), []byte("base = \"../common.toml\"\nname = \"mine\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sc, err := Load(filepath.Join(sub, "mine.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "mine" || !sc.Funnel.BasePopulation.Value.Equal(dec("12000")) || sc.DerivedFrom != filepath.Join(sub, "..", "common.toml") ||
		!strings.HasPrefix(string(sc.Text), "# Our common assumptions.") {
		t.Errorf("got %s, base population %s, derived from %q", sc.Name, sc.Funnel.BasePopulation.Value, sc.DerivedFrom)
	}
	// A text not read from a file (a built-in, a run's stored scenario)
	// derives from built-ins only.
	if _, err := Parse([]byte("base = \"common.toml\"\n"), filepath.Join(dir, "text.toml")); err == nil ||
		!strings.Contains(err.Error(), "no built-in scenario \"common.toml\" (built-in: deck, deck-exact, wet-2023); only a scenario file may derive from another file") {
		t.Errorf("got %v", err)
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// FuzzDerive: whatever a file that derives from a built-in holds, Parse
// never panics and takes time linear in its size; a file it accepts
// resolves to a complete text that reads again, on its own, as the same
// scenario.
func FuzzDerive(f *testing.F) {
	for _, name := range []string{"deck", "wet-2023"} {
		b, _ := BuiltinText(name)
		f.Add(b)
	}
	f.Add([]byte("base = \"deck\"\nremove = [\"C\", \"rounding.C-10%.population\", \"rounding.C-30%.population\"]\nname = \"x\"\n[B.options]\nthreshold = \"soft\"\n[A]\ncentral_case = \"A-1\"\n[[A.cases]]\nid = \"A-1\"\n[A.cases.lump_sum]\nvalue = 1\nunit = \"eur\"\ndescription = \"d\"\nsource = \"s\"\n"))
	f.Add([]byte("# mine\nbase = \"deck-exact\"\n[funnel.affected_share]\nvalue = 0.8\nunit = \"share\"\ndescription = \"d\"\nsource = \"s\"\n[phasing]\nintake_years.value = 3\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		sc, err := Parse(b, "fuzz.toml")
		if d, budget := time.Since(start), time.Second+time.Duration(len(b))*20*time.Microsecond; d > budget {
			t.Fatalf("Parse took %v for %d bytes, more than %v", d, len(b), budget)
		}
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || len(se.Problems) == 0 {
				t.Fatalf("got %T %v, want a scenario.Error with its problems", err, err)
			}
			return
		}
		again, err := Parse(sc.Text, "resolved.toml")
		if err != nil {
			t.Fatalf("the resolved text does not read on its own: %v\n%s", err, sc.Text)
		}
		if again.SHA256 != sc.SHA256 || len(again.Entries()) != len(sc.Entries()) {
			t.Fatalf("the resolved text reads as another scenario")
		}
	})
}
