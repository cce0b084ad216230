package scenario

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestBuiltinsLoad(t *testing.T) {
	for _, name := range BuiltinNames() {
		sc, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sc.Name != name {
			t.Errorf("%s: name in file is %q", name, sc.Name)
		}
	}
}

// TestDeckIsDeckExactPlusRounding keeps the two built-in scenarios in step:
// "deck" must be "deck-exact" plus the deck's rounding, nothing else.
func TestDeckIsDeckExactPlusRounding(t *testing.T) {
	deck, err := Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	exact, err := Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	if len(exact.Rounding) != 0 {
		t.Errorf("deck-exact has rounding: %v", exact.Rounding)
	}
	if len(deck.Rounding) == 0 {
		t.Error("deck has no rounding")
	}
	de, ee := deck.Entries(), exact.Entries()
	if len(de) != len(ee) {
		t.Fatalf("deck has %d assumptions, deck-exact %d", len(de), len(ee))
	}
	for i := range de {
		if de[i].ID != ee[i].ID || !de[i].Value.Equal(ee[i].Value) || de[i].Source != ee[i].Source {
			t.Errorf("%s: deck %s, deck-exact %s", de[i].ID, de[i].Value, ee[i].Value)
		}
	}
	for _, v := range [][2]any{{deck.A.Cases, exact.A.Cases}, {deck.E.Cases, exact.E.Cases}} {
		if !reflect.DeepEqual(v[0], v[1]) {
			t.Errorf("cases differ: %v vs %v", v[0], v[1])
		}
	}
}

// toolAssumption starts the source of a value no document gives: explicit,
// so a reader never mistakes the tool's assumption for the deck's.
const toolAssumption = "Geen bron in het deck: "

// TestMetadata checks what every assumption must carry (STYLE.md 4).
func TestMetadata(t *testing.T) {
	sc, err := Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	valid := map[Unit]bool{}
	for _, u := range Units {
		valid[u] = true
	}
	for _, e := range sc.Entries() {
		if e.Optional && !e.Given() {
			continue
		}
		if !valid[e.Unit] {
			t.Errorf("%s: unit %q is not in the closed list", e.ID, e.Unit)
		}
		if e.Label == "" {
			t.Errorf("%s: no Dutch label (struct tag nl)", e.ID)
		}
		if !strings.Contains(e.Source, "\"") && !strings.HasPrefix(e.Source, toolAssumption) {
			t.Errorf("%s: source neither quotes a document nor says %q: %q", e.ID, toolAssumption, e.Source)
		}
	}
}

// TestBadScenarios: each bad file (made by testdata/make-bad.py) is refused
// with a message naming the file, the line (that of the marker text) and the key.
func TestBadScenarios(t *testing.T) {
	tests := []struct {
		file   string
		marker string // text on the line the error must point at
		key    string
		msg    string
	}{
		{"decimal-comma.toml", "value = 0,75", "", "not valid TOML: 0,75 has a decimal comma; TOML writes a decimal point: 0.75"},
		{"typo.toml", "[A.cws_apeal_share]", "A.cws_apeal_share", "unknown table (did you mean cws_appeal_share?)"},
		{"missing.toml", "[D]", "D.cws_average_damage", "missing: add it with value, unit (eur)"},
		{"share-above-1.toml", "value = 75", "funnel.affected_share.value", "not a share"},
		{"share-negative.toml", "value = -0.05", "funnel.restored_share.value", "negative"},
		{"negative-amount.toml", "value = -25000", "E.cws_average_damage.value", "negative"},
		{"wrong-unit.toml", `unit = "euro"`, "B.base_amount.unit", `unit is "euro", want "eur"`},
		{"no-source.toml", "[E.mediation_rate]", "E.mediation_rate.source", "missing: name the slide"},
		{"syntax.toml", "value = 300 euro", "", "not valid TOML: expected newline"},
		{"duplicate-case.toml", `id = "A-15k"` + "\n#2", "A.cases.1.id", "used twice"},
		{"zero-capacity.toml", "value = 0\n@[phasing.cws_capacity]", "phasing.cws_capacity.value", "would never finish"},
		{"fractional-year.toml", "value = 2024.5", "phasing.opening_year.value", "whole number"},
		{"interval-reversed.toml", "[A.cws_average_damage.uncertainty]", "A.cws_average_damage.uncertainty", "low 50000 must be below high 25000"},
		{"beta-on-amount.toml", `distribution = "beta"` + "\n@[D.cws_average_damage.uncertainty]", "D.cws_average_damage.uncertainty.distribution", "beta applies to shares only"},
		{"moves-with-unknown.toml", `moves_with = "A.cws_avg_damage"`, "B.cws_average_damage.uncertainty.moves_with", `no assumption "A.cws_avg_damage"`},
		{"no-why.toml", "[E.settled_share.uncertainty]", "E.settled_share.uncertainty.why", "missing: say in a sentence why"},
		{"unknown-distribution.toml", `distribution = "gauss"`, "E.mediation_cases.uncertainty.distribution", "unknown distribution"},
		{"unknown-central-case.toml", `central_case = "A-20k"  # the case whose Monte Carlo spread stands for the variant`, "A.central_case", `"A-20k" is not a case of variant A; cases: A-15k, A-30k`},
		{"underscore-number.toml", "value = 11_000", "funnel.base_population.value", "11_000 is not a plain decimal number: write 11000, without underscores"},
		{"too-large.toml", "high = 1e300", "A.cws_average_damage.uncertainty.high", "1e300 is too large: a value in eur is at most 1,000,000,000,000"},
		{"case-id-clash.toml", `id = "A+15k"`, "A.cases.1.id", `case id "A+15k" is the same name in the workbook as case "A-15k"`},
		{"sheet-name-apostrophe.toml", `short_name = "Maatwerk'"  # sheet tab and chart label`, "D.short_name", `"Maatwerk'" begins or ends with an apostrophe, which a sheet name may not`},
		{"sheet-name-too-long.toml", `short_name = "Mediation en geschilbeslechting 😀"  # sheet tab and chart label`, "E.short_name", `makes the sheet name "E Mediation en geschilbeslechting 😀" of 36 characters; a sheet name has at most 31 (an emoji counts as two): shorten the short name to at most 29`},
		{"sheet-name-character.toml", `short_name = "Forfaitair: 15k/30k"  # sheet tab and chart label`, "A.short_name", `contains one of : \ / ? * [ ], which a sheet name may not hold`},
		{"sheet-name-tab.toml", `short_name = "Proportioneel\t"  # sheet tab and chart label`, "B.short_name", "contains a control character"},
		{"bsn-in-text.toml", `description = "Zie dossier 123 456 782: base amount of which the ex-partner receives the share of problem years spent together."`, "B.base_amount.description", "the text holds a number that could be a BSN"},
		{"bsn-in-comment.toml", "# Checked with BSN 111222333 (made up)", "", "the comment holds a number that could be a BSN"},
		{"control-character.toml", `description = "\u0007Base amount of which the ex-partner receives the share of problem years spent together."`, "B.base_amount.description", "holds the character U+0007, which a workbook cannot hold"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := path + ":" + strconv.Itoa(lineOf(t, string(text), tt.marker))
			if tt.key != "" {
				want += ": " + tt.key
			}
			_, err = Load(path)
			if err == nil {
				t.Fatalf("got no error, want %q", want)
			}
			for _, w := range []string{want, tt.msg} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error\n%v\nwant it to contain %q", err, w)
				}
			}
			for _, bsn := range []string{"123 456 782", "111222333"} {
				if strings.Contains(err.Error(), bsn) {
					t.Errorf("got error\n%v\nwhich repeats %q", err, bsn)
				}
			}
		})
	}
}

// lineOf returns the 1-based line of a marker: "text" is its first
// occurrence, "text\n#2" its second, "text\n@[table]" the first after [table].
func lineOf(t *testing.T, text, marker string) int {
	t.Helper()
	m, opt, _ := strings.Cut(marker, "\n")
	nth, after := 1, ""
	if strings.HasPrefix(opt, "#") {
		nth, _ = strconv.Atoi(opt[1:])
	} else if strings.HasPrefix(opt, "@") {
		after = opt[1:]
	}
	seenAfter := after == ""
	for i, line := range strings.Split(text, "\n") {
		if !seenAfter {
			seenAfter = strings.TrimSpace(line) == after
			continue
		}
		if strings.TrimSpace(line) == m {
			if nth--; nth == 0 {
				return i + 1
			}
		}
	}
	t.Fatalf("marker %q not found", marker)
	return 0
}

func TestLoadUnknown(t *testing.T) {
	_, err := Load("dek")
	if err == nil || !strings.Contains(err.Error(), "deck, deck-exact") {
		t.Errorf("got %v, want an error naming the built-in scenarios", err)
	}
}

func TestBuiltinTextIsFile(t *testing.T) {
	for _, name := range BuiltinNames() {
		b, _ := BuiltinText(name)
		disk, err := os.ReadFile(filepath.Join("builtin", name+".toml"))
		if err != nil || string(b) != string(disk) {
			t.Errorf("%s: embedded text differs from builtin/%s.toml", name, name)
		}
	}
}
