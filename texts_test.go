package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"raming/published"
	"raming/scenario"
)

// hardText is a text of at most n bytes made of what a workbook finds
// hardest: apostrophes and quotes, a formula's first characters, line
// breaks and tabs, accents and a character outside the Basic Multilingual
// Plane (two UTF-16 units), as a TOML string in quotes.
func hardText(n int) string {
	const unit = "Bron: 'citaat' = +€ 30k; \"aanhaling\" @A1 -1 \\ regel\n\ttwee — é ü 😀 "
	var b strings.Builder
	for b.Len()+len(unit) <= n {
		b.WriteString(unit)
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(b.String()) + `"`
}

// tomlTexts matches the free texts of a scenario or published-figures file:
// a key-value on a line of its own, or text in an inline table.
var tomlTexts = regexp.MustCompile(`(?m)(^(?:name|title|description|source|why|deck_text|label|line|note|scope_note) = |\btext = )"(?:[^"\\]|\\.)*"`)

// longestTexts is a built-in file (read by text) with every free text at the
// longest a file allows, as a file.
func longestTexts(t *testing.T, name string, text func(string) ([]byte, error)) string {
	t.Helper()
	b, err := text(name)
	if err != nil {
		t.Fatal(err)
	}
	s := tomlTexts.ReplaceAllStringFunc(string(b), func(m string) string {
		return m[:strings.Index(m, "=")+2] + hardText(scenario.MaxText)
	})
	return writeFile(t, name+"-long.toml", s)
}

// TestLongestTextsWrite: a scenario whose every text is as long as a
// scenario allows (4,000 bytes), and published figures likewise, write a
// workbook, the JSON, the records and the sweep: a long text wraps in a row
// no taller than a spreadsheet allows (409 pt) instead of failing the run
// after all the computing.
func TestLongestTextsWrite(t *testing.T) {
	dir := t.TempDir()
	deck := longestTexts(t, "deck", scenario.BuiltinText)
	pub := longestTexts(t, "ex-partners", func(n string) ([]byte, error) {
		set, err := published.Load(n)
		if err != nil {
			return nil, err
		}
		return set.Text, nil
	})
	pop := writeExtract(t, 300, "standard")
	for _, args := range [][]string{
		{"run", "--scenario", deck, "--population", pop, "--iterations", "200", "-q",
			"--out", filepath.Join(dir, "r.xlsx"), "--json", filepath.Join(dir, "r.json"), "--records", filepath.Join(dir, "r.csv")},
		{"run", "--scenario", longestTexts(t, "wet-2023", scenario.BuiltinText), "--published", pub, "--iterations", "200", "-q",
			"--out", filepath.Join(dir, "w.xlsx"), "--json", filepath.Join(dir, "w.json")},
		{"sweep", "--scenario", deck, "--population", pop, "--out", filepath.Join(dir, "s.xlsx"), "--csv", filepath.Join(dir, "s.csv")},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Errorf("%s: exit %d: %s", args[0], code, lastLine(stderr))
		}
	}
}

// lastLine is the last line of a command's stderr: its error.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestBaselineScenarioNoLongerReads: when last night's summary carries a
// scenario that this version no longer reads (here: with a problem for
// every assumption), tonight's run still writes, with a WARN line and a
// one-line note in the comparison, and so the night after compares with it.
func TestBaselineScenarioNoLongerReads(t *testing.T) {
	dir := t.TempDir()
	night := func(date string) (int, string) {
		t.Helper()
		t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(mustDate(t, date).Add(12*time.Hour).Unix(), 10))
		code, _, stderr := runCLI(t, "run", "--iterations", "0", "--out-dir", dir, "--baseline", "latest", "-q")
		return code, stderr
	}
	if code, stderr := night("2026-03-01"); code != exitOK {
		t.Fatal(stderr)
	}
	first := filepath.Join(dir, "raming-2026-03-01.json")
	var s map[string]any
	b, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	sc := s["scenario"].(map[string]any)
	sc["text"] = regexp.MustCompile(`(?m)^source = `).ReplaceAllString(sc["text"].(string), "sourc = ")
	if b, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(first, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := night("2026-03-02")
	if code != exitOK || !strings.Contains(stderr, "level=WARN msg=\"--baseline: the baseline's scenario no longer reads") {
		t.Fatalf("exit %d, want 0 with a WARN line: %s", code, lastLine(stderr))
	}
	if code, stderr := night("2026-03-03"); code != exitOK {
		t.Fatalf("the night after: exit %d: %s", code, lastLine(stderr))
	}
	var tonight struct{ Baseline struct{ Note string } }
	b, _ = os.ReadFile(filepath.Join(dir, "raming-2026-03-02.json"))
	if err := json.Unmarshal(b, &tonight); err != nil {
		t.Fatal(err)
	}
	if n := tonight.Baseline.Note; strings.Contains(n, "\n") || !strings.Contains(n, "more)") || len([]rune(n)) > 500 {
		t.Errorf("note %q: want one line that sums up the problems", n)
	}
}

// TestSheetNames: every sheet of every workbook the tool writes has a name
// by Excel's rules, unique ignoring letter case; and only a variant's sheet
// begins with one letter and a space (its ID: "A Forfaitair"), so that a
// variant's short name, which scenario validation holds to the rules,
// never names a sheet twice.
func TestSheetNames(t *testing.T) {
	dir := t.TempDir()
	pop := writeExtract(t, 300, "standard")
	last := filepath.Join(dir, "last.json")
	if code, _, stderr := runCLI(t, "run", "--population", pop, "--iterations", "0", "--json", last); code != exitOK {
		t.Fatal(stderr)
	}
	books := map[string][]string{ // workbook: the command that writes it
		"run.xlsx": {"run", "--population", pop, "--iterations", "200", "--baseline", last, "-q"},
		"pub.xlsx": {"run", "--scenario", "wet-2023", "--published", "ex-partners", "--iterations", "200", "-q"},
		"sw.xlsx":  {"sweep", "--population", pop},
	}
	variantSheet := regexp.MustCompile(`^\pL( |$)`)
	for name, args := range books {
		path := filepath.Join(dir, name)
		if code, _, stderr := runCLI(t, append(args, "--out", path)...); code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, lastLine(stderr))
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		variants := 0
		for _, s := range f.GetSheetList() {
			if err := excelize.NewFile().SetSheetName("Sheet1", s); err != nil { // excelize checks Excel's rules
				t.Errorf("%s: sheet %q: %v", name, s, err)
			}
			if seen[strings.ToLower(s)] {
				t.Errorf("%s: two sheets named %q", name, s)
			}
			seen[strings.ToLower(s)] = true
			if variantSheet.MatchString(s) {
				variants++
			}
		}
		f.Close()
		sc := "deck"
		if name == "pub.xlsx" {
			sc = "wet-2023"
		}
		if name == "sw.xlsx" {
			sc = "" // the sweep has no variant sheets
		}
		want := 0
		if sc != "" {
			s, err := scenario.Load(sc)
			if err != nil {
				t.Fatal(err)
			}
			want = len(s.Variants())
		}
		if variants != want {
			t.Errorf("%s: %d sheets begin with one letter and a space, want %d (one per variant): %v", name, variants, want, seen)
		}
	}
}

// TestBaselinePassedOverInNote: with --baseline latest, a newer summary
// that cannot be read back (here: damaged) is passed over with a WARN
// line, and the comparison, with the older one, says so in its note.
func TestBaselinePassedOverInNote(t *testing.T) {
	dir := t.TempDir()
	night := func(date string) (int, string) {
		t.Helper()
		t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(mustDate(t, date).Add(12*time.Hour).Unix(), 10))
		code, _, stderr := runCLI(t, "run", "--iterations", "0", "--out-dir", dir, "--baseline", "latest", "-q")
		return code, stderr
	}
	for _, date := range []string{"2026-03-01", "2026-03-02"} {
		if code, stderr := night(date); code != exitOK {
			t.Fatal(lastLine(stderr))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "raming-2026-03-02.json"), []byte(`{"variants": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := night("2026-03-03")
	if code != exitOK || !strings.Contains(stderr, "passed over a file that is not a readable summary") {
		t.Fatalf("exit %d, want 0 with a WARN line: %s", code, stderr)
	}
	var s struct{ Baseline struct{ File, Note string } }
	b, _ := os.ReadFile(filepath.Join(dir, "raming-2026-03-03.json"))
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(s.Baseline.File, "raming-2026-03-01.json") || !strings.Contains(s.Baseline.Note, "a newer summary could not be read and was passed over (baseline ") ||
		!strings.Contains(s.Baseline.Note, "raming-2026-03-02.json: not a raming JSON summary") {
		t.Errorf("compared with %s, note %q; want the first night's, with the second named as passed over", s.Baseline.File, s.Baseline.Note)
	}
}
