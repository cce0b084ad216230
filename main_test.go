package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
