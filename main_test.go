package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// runCLI runs the command line in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"raming"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	badScenario := filepath.Join("scenario", "testdata", "bad", "typo.toml")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"--help"}, exitOK, ""},
		{"run deck", []string{"run", "--json", filepath.Join(dir, "a.json")}, exitOK, ""},
		{"unknown flag", []string{"run", "--bogus"}, exitUsage, "flag provided but not defined"},
		{"nothing to write", []string{"run"}, exitUsage, "nothing to write"},
		{"stray argument", []string{"run", "--json", "-", "extra"}, exitUsage, "unexpected argument"},
		{"bad scenario", []string{"run", "--scenario", badScenario, "--json", "-"}, exitInput, "A.cws_apeal_share: unknown key"},
		{"unknown scenario", []string{"run", "--scenario", "dek", "--json", "-"}, exitInput, "neither a built-in scenario"},
		{"missing population", []string{"run", "--population", filepath.Join(dir, "none.csv"), "--json", "-"}, exitInput, "cannot read the population extract"},
		{"unwritable output", []string{"run", "--json", filepath.Join(dir, "no", "such", "dir.json")}, exitInput, "cannot write"},
		{"bad SOURCE_DATE_EPOCH", []string{"run", "--json", "-"}, exitUsage, "SOURCE_DATE_EPOCH"},
		{"show needs a name", []string{"scenario", "show"}, exitUsage, "give one scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "bad SOURCE_DATE_EPOCH" {
				t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
			}
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code: got %d, want %d (stderr: %s)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr: got %q, want it to contain %q", stderr, tt.stderr)
			}
		})
	}
}

func TestRunWritesBothOutputs(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01
	dir := t.TempDir()
	xlsx, js := filepath.Join(dir, "r.xlsx"), filepath.Join(dir, "r.json")
	if code, _, stderr := runCLI(t, "run", "--scenario", "deck-exact", "--out", xlsx, "--json", js); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s struct {
		RunTime  string `json:"run_time"`
		Variants []struct {
			ID       string `json:"id"`
			TotalLow string `json:"total_low"`
		} `json:"variants"`
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.RunTime != "2026-01-01T00:00:00Z" {
		t.Errorf("run_time: got %s, want SOURCE_DATE_EPOCH's 2026-01-01T00:00:00Z", s.RunTime)
	}
	if len(s.Variants) != 5 || s.Variants[1].ID != "B" || s.Variants[1].TotalLow != "58781250.00" {
		t.Errorf("variants: got %+v", s.Variants)
	}
	if fi, err := os.Stat(xlsx); err != nil || fi.Size() == 0 {
		t.Errorf("workbook not written: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestScenarioShowRoundTrips(t *testing.T) {
	code, out, _ := runCLI(t, "scenario", "show", "deck")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	path := filepath.Join(t.TempDir(), "copy.toml")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "run", "--scenario", path, "--json", "-"); code != exitOK {
		t.Errorf("a printed scenario does not load back: exit %d: %s", code, stderr)
	}
	code, out, _ = runCLI(t, "scenario", "list")
	if code != exitOK || !strings.Contains(out, "deck-exact") {
		t.Errorf("scenario list: exit %d, output %q", code, out)
	}
}

// TestBaselineSplitsChanges: a change of scenario with the same data shows
// up entirely as the scenario's effect, and the parts add up to the change.
func TestBaselineSplitsChanges(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	dir := t.TempDir()
	last, now := filepath.Join(dir, "last.json"), filepath.Join(dir, "now.json")
	if code, _, stderr := runCLI(t, "run", "--scenario", "deck", "--iterations", "500", "--json", last); code != exitOK {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, "run", "--scenario", "deck-exact", "--iterations", "500", "--json", now, "--baseline", last); code != exitOK {
		t.Fatal(stderr)
	}
	var s struct {
		Baseline struct {
			ScenarioChanged, DataChanged, Attribution bool
			Cases                                     []struct {
				ID                                string
				Delta, DataEffect, ScenarioEffect string
				P50Noise                          *bool
			}
		}
	}
	b, _ := os.ReadFile(now)
	if err := json.Unmarshal(bytes.ReplaceAll(b, []byte("_"), nil), &s); err != nil {
		t.Fatal(err)
	}
	bl := s.Baseline
	if !bl.ScenarioChanged || bl.DataChanged || !bl.Attribution {
		t.Errorf("got scenario changed %v, data changed %v, attribution %v; want true, false, true", bl.ScenarioChanged, bl.DataChanged, bl.Attribution)
	}
	if len(bl.Cases) != 9 {
		t.Fatalf("got %d cases, want 9", len(bl.Cases))
	}
	for _, c := range bl.Cases {
		if c.DataEffect != "0.00" || c.ScenarioEffect != c.Delta {
			t.Errorf("%s: change %s split into data %s + scenario %s; want all of it scenario", c.ID, c.Delta, c.DataEffect, c.ScenarioEffect)
		}
		if c.P50Noise == nil || !*c.P50Noise {
			t.Errorf("%s: the Monte Carlo P50 (which ignores the deck's rounding) should not have moved beyond noise", c.ID)
		}
	}
}

// writeExtract writes a synthetic extract and returns its path.
func writeExtract(t *testing.T, rows int, dialect string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "population.csv")
	if code, _, stderr := runCLI(t, "generate", "--rows", fmt.Sprint(rows), "--seed", "7", "--dialect", dialect, "--out", path); code != exitOK {
		t.Fatal(stderr)
	}
	return path
}

// TestBadExtractsExitThree: every file-level problem of an extract stops
// the run with exit code 3 before anything is written.
func TestBadExtractsExitThree(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("input", "testdata", "bad", "*"))
	if len(files) < 8 {
		t.Fatalf("found %d bad extracts", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.json")
			code, _, stderr := runCLI(t, "run", "--population", f, "--json", out, "--iterations", "0")
			if code != exitInput {
				t.Errorf("exit %d, want 3 (stderr %s)", code, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output was written")
			}
		})
	}
}

// TestStrict: rejected rows are listed and the run goes on; with --strict
// the run fails with exit code 4.
func TestStrict(t *testing.T) {
	path := writeExtract(t, 50, "standard")
	b, _ := os.ReadFile(path)
	lines := strings.Split(string(b), "\n")
	lines[3] = strings.Replace(lines[3], ",nee,", `,"=SUM(1,2)",`, 1) // an enum that is no enum, and looks like a formula
	os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
	dir := t.TempDir()
	js, xlsx := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xlsx")
	code, _, stderr := runCLI(t, "run", "--population", path, "--json", js, "--out", xlsx, "--iterations", "0")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s struct {
		Population struct {
			RowsRead     int `json:"rows_read"`
			RowsUsed     int `json:"rows_used"`
			RowsRejected int `json:"rows_rejected"`
			Rejected     []struct {
				Line   int    `json:"line"`
				Column string `json:"column"`
				Reason string `json:"reason"`
			} `json:"rejected"`
		} `json:"population"`
	}
	raw, _ := os.ReadFile(js)
	json.Unmarshal(raw, &s)
	p := s.Population
	if p.RowsRead != 50 || p.RowsUsed+p.RowsRejected != p.RowsRead || len(p.Rejected) != 1 || p.Rejected[0].Line != 4 {
		t.Errorf("got %+v; want 50 read, 1 rejected on line 4", p)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reason, _ := f.GetCellValue("Afgewezen rijen", "C5")
	formula, _ := f.GetCellFormula("Afgewezen rijen", "C5")
	if !strings.Contains(reason, "=SUM(1,2)") || formula != "" {
		t.Errorf("the reason from the input must stay inert text: value %q, formula %q", reason, formula)
	}
	if code, _, _ := runCLI(t, "run", "--population", path, "--json", js, "--iterations", "0", "--strict"); code != exitRejected {
		t.Errorf("--strict: exit %d, want 4", code)
	}
	code, out, _ := runCLI(t, "validate", "--population", path)
	if code != exitOK || !strings.Contains(out, "line 4, column") {
		t.Errorf("validate: exit %d, output %q", code, out)
	}
}

// TestReproducible: the same inputs, seed and SOURCE_DATE_EPOCH give
// byte-identical JSON and workbooks.
func TestReproducible(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	path := writeExtract(t, 500, "nl")
	var outs [2][2][]byte
	for i := range outs {
		dir := t.TempDir()
		js, xlsx := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xlsx")
		if code, _, stderr := runCLI(t, "run", "--population", path, "--json", js, "--out", xlsx, "--iterations", "1000", "--workers", fmt.Sprint(i+1)); code != exitOK {
			t.Fatal(stderr)
		}
		outs[i][0], _ = os.ReadFile(js)
		outs[i][1], _ = os.ReadFile(xlsx)
	}
	if !bytes.Equal(outs[0][0], outs[1][0]) {
		t.Error("two runs gave different JSON")
	}
	if !bytes.Equal(outs[0][1], outs[1][1]) {
		t.Error("two runs gave different workbooks")
	}
}

// TestExitCodeMapping: an error the commands did not classify is an
// internal error, exit code 1; wrapped codes survive wrapping.
func TestExitCodeMapping(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{errors.New("unexpected"), exitInternal},
		{fmt.Errorf("context: %w", inputError(errors.New("bad file"))), exitInput},
		{usageError(errors.New("bad flag")), exitUsage},
		{&exitError{exitRejected, errors.New("rows")}, exitRejected},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v): got %d, want %d", tt.err, got, tt.want)
		}
	}
}

// TestSweepCommand: the sweep writes one row per combination of B's
// options, and refuses an unknown option naming the valid ones.
func TestSweepCommand(t *testing.T) {
	path := writeExtract(t, 300, "standard")
	csvPath := filepath.Join(t.TempDir(), "sweep.csv")
	code, _, stderr := runCLI(t, "sweep", "--population", path, "--csv", csvPath, "--iterations", "100", "--log-format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(csvPath)
	if lines := strings.Count(string(b), "\n"); lines != 7777 {
		t.Errorf("got %d lines, want a header and 7,776 combinations", lines)
	}
	code, _, stderr = runCLI(t, "sweep", "--population", path, "--csv", csvPath, "--set", "b.colour=red")
	if code != exitUsage || !strings.Contains(stderr, "b.threshold") {
		t.Errorf("unknown option: exit %d, stderr %q; want 2 and the valid options", code, stderr)
	}
	code, _, stderr = runCLI(t, "run", "--population", path, "--json", "-", "--iterations", "0", "--set", "b.threshold=medium")
	if code != exitUsage || !strings.Contains(stderr, "none, hard, soft") {
		t.Errorf("unknown value: exit %d, stderr %q; want 2 and the valid values", code, stderr)
	}
}

// TestFewIterations: a run with too few iterations for batch-means errors
// still writes both outputs (the errors are left empty).
func TestFewIterations(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "--iterations", "10", "--json", filepath.Join(dir, "r.json"), "--out", filepath.Join(dir, "r.xlsx")); code != exitOK {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestDutchToday: at 00:30 in Amsterdam (22:30 UTC the day before) today
// is the Dutch date, so a row dated today is not "in the future".
func TestDutchToday(t *testing.T) {
	now := time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC) // 1 July 00:30 CEST
	if got := dutchToday(now); got.Format("2006-01-02") != "2026-07-01" {
		t.Errorf("got %s, want 2026-07-01", got.Format("2006-01-02"))
	}
}
