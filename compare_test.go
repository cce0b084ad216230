package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"raming/internal/bsn"
)

// comparedJSON is what the tests read of `raming compare --json`.
type comparedJSON struct {
	Differences []struct{ Key string }
	Structure   []string
	Cases       []struct {
		ID         string
		Central    bool
		Difference struct{ Point, P5, P95 *string }
		PCheaper   *string `json:"p_other_cheaper"`
	}
}

func readCompared(t *testing.T, b []byte) comparedJSON {
	t.Helper()
	var j comparedJSON
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatalf("%v:\n%s", err, b)
	}
	return j
}

// TestCompareCommand runs `raming compare` as an analyst would: on an
// extract with Monte Carlo, writing the workbook and the JSON; without an
// extract and with --iterations 0; and a file against a built-in scenario.
func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	pop := writeExtract(t, 400, "standard")
	xlsx, js := filepath.Join(dir, "c.xlsx"), filepath.Join(dir, "c.json")
	// --small-cell 1 shows every figure: on 400 rows a share of the
	// unknown rows moves fewer than 10 people (TestNoSmallCountCanBeDerived
	// checks the suppression).
	code, stdout, stderr := runCLI(t, "compare", "--population", pop, "--other-set", "funnel.affected_share=0,7", "--other-set", "b.threshold=soft",
		"--iterations", "300", "--out", xlsx, "--json", js, "--small-cell", "1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"P5 - P95", "B-opties", "b.threshold +", "wrote " + bsn.MaskText(xlsx)} { // a temporary folder's number may look like a BSN
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if j := readCompared(t, b); len(j.Differences) != 2 || len(j.Cases) == 0 || j.Cases[0].PCheaper == nil {
		t.Errorf("the JSON has %d differences, %d cases", len(j.Differences), len(j.Cases))
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.GetSheetList(), ","); got != "Vergelijking,Toerekening,Per begrotingsjaar,Sleutels,Herkomst" {
		t.Errorf("sheets %s", got)
	}
	f.Close()

	// Without an extract, the point estimates only, JSON on stdout: EUR 1,000
	// more for each of the 3,918.75 with access, less the CWS's 20% of it.
	code, stdout, stderr = runCLI(t, "compare", "--base", "deck-exact", "--other-set", "A-15k.lump_sum=16000", "--iterations", "0", "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	j := readCompared(t, []byte(stdout))
	for _, c := range j.Cases {
		if c.PCheaper != nil || c.Difference.P5 != nil {
			t.Errorf("%s: a band without a simulation", c.ID)
		}
		if want := map[bool]string{true: "3135000.00", false: "0.00"}[c.ID == "A-15k"]; *c.Difference.Point != want {
			t.Errorf("%s: difference %s, want %s", c.ID, *c.Difference.Point, want)
		}
	}
	if !strings.Contains(stderr, "A-15k: A-15k.lump_sum +3.1") || strings.Contains(stderr, "D: ") {
		t.Errorf("the table (on stderr with --json -) lacks the contribution:\n%s", stderr)
	}

	// A file against a built-in scenario: the structure that differs is said.
	file := writeFile(t, "adopted.toml", "base = \"wet-2023\"\nname = \"mine\"\n\n[W.cws_appeal_share]\nvalue = 0.25\nunit = \"share\"\ndescription = \"Higher.\"\nsource = \"Test.\"\n")
	code, stdout, stderr = runCLI(t, "compare", "--base", "deck-exact", "--other", file, "--iterations", "0", "--json", "-", "-q")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if j := readCompared(t, []byte(stdout)); len(j.Cases) != 0 || len(j.Structure) == 0 {
		t.Errorf("deck-exact against the adopted scheme: %d shared cases, structure %v; want none shared and the structure said", len(j.Cases), j.Structure)
	}
	if !strings.Contains(stderr, "no case in common") {
		t.Errorf("the log does not say the scenarios have no case in common:\n%s", stderr)
	}
}

// TestCompareWithItself: the same scenario twice (a name, a file) has no
// difference: every difference 0, P(other cheaper) 0.5 (each iteration a
// tie, counted half).
func TestCompareWithItself(t *testing.T) {
	code, stdout, stderr := runCLI(t, "compare", "--base", "deck", "--other", "deck", "--iterations", "200", "--json", "-", "-q")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	j := readCompared(t, []byte(stdout))
	if len(j.Differences) != 0 || len(j.Cases) == 0 {
		t.Fatalf("%d differences, %d cases", len(j.Differences), len(j.Cases))
	}
	for _, c := range j.Cases {
		if *c.Difference.Point != "0.00" || *c.Difference.P5 != "0.00" || *c.Difference.P95 != "0.00" || *c.PCheaper != "0.5000" {
			t.Errorf("%s: difference %s (P5 %s, P95 %s), P(other cheaper) %s", c.ID, *c.Difference.Point, *c.Difference.P5, *c.Difference.P95, *c.PCheaper)
		}
	}
	code, stdout, _ = runCLI(t, "compare", "--iterations", "0")
	if code != exitOK || !strings.Contains(stdout, "no key differs") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

// TestCompareRefuses: hostile input exits as the rest of the command line
// does: 2 for a command line the tool cannot follow, 3 for input it
// refuses, and nothing is written.
func TestCompareRefuses(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "c.json")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"a missing file", []string{"--other", filepath.Join(dir, "none.toml")}, exitInput, "none.toml"},
		{"a bad scenario", []string{"--base", filepath.Join("scenario", "testdata", "bad", "typo.toml")}, exitInput, "unknown table"},
		{"a bad key", []string{"--other-set", "funnel.afected_share=0.7"}, exitUsage, "did you mean funnel.affected_share"},
		{"a bad value", []string{"--other-set", "b.threshold=medium"}, exitUsage, "none, hard, soft"},
		{"no KEY=VALUE", []string{"--other-set", "funnel.affected_share"}, exitUsage, "write KEY=VALUE"},
		{"an option per record without an extract", []string{"--other-set", "b.percentage=fixed"}, exitUsage, "needs an extract"},
		{"auto", []string{"--iterations", "auto"}, exitUsage, "same iterations"},
		{"a workbook named .csv", []string{"--out", filepath.Join(dir, "c.csv")}, exitUsage, "must end in .xlsx"},
		{"a missing extract", []string{"--population", filepath.Join(dir, "none.csv")}, exitInput, "cannot read the population extract"},
		{"a stray argument", []string{"deck"}, exitUsage, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"compare", "--iterations", "0", "--json", out}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d; stderr %q, want %q", code, tt.code, stderr, tt.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output was written")
			}
		})
	}
}
