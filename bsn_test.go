package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raming/published"
	"raming/scenario"
)

// The BSNs in these tests are made up: 123456782 and 111222333 pass the
// eleven-test and belong to no one known to the tests.

// shows reports whether text shows one of the made-up BSNs, in any of the
// forms the tests write them.
func shows(text string) bool {
	for _, s := range []string{"123456782", "111222333", "123 456 782", "123.456.782"} {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// zipText is the text of every file in a zip archive (a workbook).
func zipText(t *testing.T, path string) string {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var b strings.Builder
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(&b, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	return b.String()
}

// TestBSNInFileNames: a BSN in the name of a file the tool reads (the
// extract, a scenario, published figures, a baseline) or writes never
// reaches a message, a log line (text or JSON), stdout, the JSON summary,
// the workbook or the records: each shows the name with the digits
// masked. The files are not refused for their names (docs/input.md).
func TestBSNInFileNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dossier 123 456 782")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	in := func(name string) string { return filepath.Join(dir, name) }
	pop := in("extract-111222333.csv")
	if code, _, stderr := runCLI(t, "generate", "--rows", "300", "--out", pop); code != exitOK {
		t.Fatal(stderr)
	}
	copyOf := func(name string, text []byte) string {
		if err := os.WriteFile(in(name), text, 0o644); err != nil {
			t.Fatal(err)
		}
		return in(name)
	}
	deck, _ := scenario.BuiltinText("deck")
	wet, _ := scenario.BuiltinText("wet-2023")
	pub, err := published.Load("ex-partners")
	if err != nil {
		t.Fatal(err)
	}
	base := in("vorige-123.456.782.json")
	if code, _, stderr := runCLI(t, "run", "--population", pop, "--iterations", "0", "--json", base); code != exitOK {
		t.Fatal(stderr)
	}
	runs := [][]string{
		{"run", "--scenario", copyOf("scenario-111222333.toml", deck), "--population", pop, "--baseline", base, "--iterations", "100",
			"--out", in("raming-111222333.xlsx"), "--json", in("raming-111222333.json"), "--records", in("records-111222333.csv")},
		{"run", "--scenario", copyOf("wet-111222333.toml", wet), "--published", copyOf("gepubliceerd-111222333.toml", pub.Text),
			"--iterations", "100", "--out", in("wet-111222333.xlsx"), "--json", in("wet-111222333.json")},
		{"sweep", "--population", pop, "--out", in("sweep-111222333.xlsx"), "--csv", in("sweep-111222333.csv")},
		{"validate", "--population", pop, "--json", "-"},
	}
	for _, args := range runs {
		for _, format := range []string{"text", "json"} {
			a := args
			if args[0] != "validate" {
				a = append(a, "--log-format", format)
			}
			code, stdout, stderr := runCLI(t, a...)
			if code != exitOK {
				t.Fatalf("%v: exit %d: %s", a, code, lastLine(stderr))
			}
			if shows(stdout) || shows(stderr) {
				t.Errorf("%s (%s log): a BSN in a file name is shown:\nstdout %s\nstderr %s", args[0], format, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, "•••") {
				t.Errorf("%s (%s log): no name shown masked:\nstdout %s\nstderr %s", args[0], format, stdout, stderr)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := in(e.Name())
		var text string
		switch filepath.Ext(path) {
		case ".xlsx":
			text = zipText(t, path)
		case ".json", ".csv":
			if strings.HasPrefix(e.Name(), "extract") || strings.HasPrefix(e.Name(), "vorige") {
				continue // the tool's input; the baseline predates the run
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			text = string(b)
		default:
			continue
		}
		if shows(text) {
			t.Errorf("%s shows a BSN of a file name", e.Name())
		}
	}
}

// TestBSNInFlagValues: a flag value that holds a BSN is never repeated in
// the error about it, nor one in a command or flag name.
func TestBSNInFlagValues(t *testing.T) {
	dir := t.TempDir()
	pop := writeExtract(t, 50, "standard")
	js := filepath.Join(dir, "r.json")
	tests := [][]string{
		{"run", "--json", js, "--iterations", "0", "--budget-case", "A-123456782"},
		{"run", "--scenario", "wet-2023", "--published", "ex-partners", "--published-case", "W-123456782", "--json", js, "--iterations", "0"},
		{"run", "--json", js, "--iterations", "0", "--set", "funnel.affected_share=123456782"},
		{"run", "--json", js, "--iterations", "0", "--set", "funnel.affected_share=123 456 782"},
		{"run", "--json", js, "--iterations", "0", "--set", "123456782=1"},
		{"run", "--json", js, "--iterations", "0", "--population", pop, "--set", "b.threshold=123456782"},
		{"run", "--json", js, "--scenario", "123456782"},
		{"run", "--json", js, "--population", filepath.Join(dir, "123456782.csv")},
		{"run", "--json", js, "--population", pop, "--sheet", "123456782"},
		{"run", "--json", js, "--iterations", "123456782x"},
		{"run", "--json", js, "--percentiles", "5,123456782"},
		{"run", "--json", js, "--log-format", "123456782"},
		{"run", "--json", js, "--encoding", "123456782"},
		{"run", "--json", js, "--dialect", "123456782"},
		{"run", "--json", js, "--baseline", filepath.Join(dir, "123456782.json")},
		{"run", "--out", filepath.Join(dir, "r-123456782.csv")},
		{"run", "--json", js, "--123456782"},
		{"123456782"},
		{"generate", "--out", "x-123456782.xlsx"},
		{"scenario", "show", "123456782"},
		{"published", "show", "111222333"},
	}
	for _, args := range tests {
		code, stdout, stderr := runCLI(t, args...)
		if code == exitOK {
			t.Errorf("%v: exit 0, want an error", args)
			continue
		}
		if shows(stdout) || shows(stderr) {
			t.Errorf("%v: the error repeats the BSN: %s", args, lastLine(stderr))
		}
	}
}
