package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// extractWithRejected is a generated extract of rows rows of which the
// first bad ones have an answer that is no answer ("misschien") and one
// more, if bad > 1, a start date that is no date.
func extractWithRejected(t *testing.T, rows, bad int) string {
	t.Helper()
	path := writeExtract(t, rows, "standard")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i := 1; i <= bad; i++ {
		f := strings.Split(lines[i], ",")
		if i == bad && bad > 1 {
			f[4] = "2014-13-45"
		} else {
			f[3] = "misschien"
		}
		lines[i] = strings.Join(f, ",")
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMaxRejected: more than --max-rejected (a share, 1% by default) of
// the extract's rows rejected fails run and sweep with exit 4 and nothing
// written, naming the count and the most common reasons; fewer are a WARN
// line on stderr and a line under the summary table on stdout.
func TestMaxRejected(t *testing.T) {
	many := extractWithRejected(t, 100, 3) // 3%
	few := extractWithRejected(t, 200, 1)  // 0.5%
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	const reasons = "3 of 100 rows rejected (3.0%); most common: gedupeerd: not a valid answer (2 rows), start_problematiek: not a valid date (1 row)"

	for _, args := range [][]string{
		{"run", "--population", many, "--iterations", "0", "--out", out("r.xlsx"), "--json", out("r.json")},
		{"sweep", "--population", many, "--out", out("s.xlsx")},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitRejected || !strings.Contains(stderr, reasons) || !strings.Contains(stderr, "more than --max-rejected 0.01 allows") {
			t.Errorf("%s, 3%% rejected: exit %d, want 4 with the count and reasons: %s", args[0], code, lastLine(stderr))
		}
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("a run over --max-rejected wrote %v, want nothing", names)
	}

	code, stdout, stderr := runCLI(t, "run", "--population", few, "--iterations", "0", "--json", out("f.json"))
	const one = "1 of 200 rows rejected (0.5%); most common: gedupeerd: not a valid answer (1 row)"
	if code != exitOK || !strings.Contains(stderr, "level=WARN msg=\""+one) || !strings.Contains(stdout, one+"; the estimate leaves them out") {
		t.Errorf("0.5%% rejected: exit %d, want 0 with a WARN line and a line under the table:\nstdout %s\nstderr %s", code, stdout, stderr)
	}

	for _, tt := range []struct {
		path, max string
		code      int
	}{
		{many, "0.05", exitOK},
		{many, "1", exitOK},
		{few, "0", exitRejected},
		{few, "1.5", exitUsage},
		{few, "-0.1", exitUsage},
		{few, "NaN", exitUsage},
	} {
		code, _, stderr := runCLI(t, "run", "--population", tt.path, "--iterations", "0", "--json", out("m.json"), "--max-rejected", tt.max)
		if code != tt.code {
			t.Errorf("--max-rejected %s: exit %d, want %d: %s", tt.max, code, tt.code, lastLine(stderr))
		}
	}
}

// TestGeneratedExtractRejectsNothing: the synthetic extract of `make run`
// is read whole, so the default --max-rejected never stops it, and the run
// has no warning about rejected rows.
func TestGeneratedExtractRejectsNothing(t *testing.T) {
	pop := writeExtract(t, 11000, "standard")
	code, _, stderr := runCLI(t, "run", "--population", pop, "--iterations", "0", "--json", filepath.Join(t.TempDir(), "r.json"))
	if code != exitOK || strings.Contains(stderr, "rejected (") || !strings.Contains(stderr, "rows_rejected=0") {
		t.Errorf("exit %d, want 0 with no row rejected: %s", code, stderr)
	}
}
