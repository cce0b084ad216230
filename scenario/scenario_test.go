package scenario

import (
	"os"
	"path/filepath"
	"reflect"
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
		if !valid[e.Unit] {
			t.Errorf("%s: unit %q is not in the closed list", e.ID, e.Unit)
		}
		if e.Label == "" {
			t.Errorf("%s: no Dutch label (struct tag nl)", e.ID)
		}
		if !strings.Contains(e.Source, "\"") {
			t.Errorf("%s: source does not quote the deck: %q", e.ID, e.Source)
		}
	}
}

// TestBadScenarios: each bad file is refused with a message that names the
// key and the line.
func TestBadScenarios(t *testing.T) {
	tests := []struct {
		file string
		want []string // substrings of the error
	}{
		{"typo.toml", []string{"typo.toml:50: A.cws_apeal_share", "unknown key"}},
		{"missing.toml", []string{"D.cws_average_damage: missing"}},
		{"share-above-1.toml", []string{"share-above-1.toml:33: funnel.affected_share.value", "not a share"}},
		{"share-negative.toml", []string{"share-negative.toml:27: funnel.restored_share.value", "negative"}},
		{"negative-amount.toml", []string{"negative-amount.toml:246: E.cws_average_damage.value", "negative"}},
		{"wrong-unit.toml", []string{"wrong-unit.toml:90: B.base_amount.unit", `unit is "euro", want "eur"`}},
		{"no-source.toml", []string{"E.mediation_rate.source: missing"}},
		{"syntax.toml", []string{"syntax.toml:228"}},
		{"bad-rounding.toml", []string{`bad-rounding.toml:275: rounding.funnel.dammage: unknown quantity "funnel.dammage"`, "funnel.damage"}},
		{"duplicate-case.toml", []string{"duplicate-case.toml:73: A.cases.1.id", "used twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			_, err := Load(path)
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
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
