package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fullWriter fails every write, as a full disk does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestStdoutCannotBeWritten: every command that writes to stdout exits 5
// when stdout cannot be written (a full disk, /dev/full), whatever it
// writes there: a report, a JSON summary, an extract, a scenario, the
// summary table, help. A command that writes nothing there (sweep, a quiet
// run) is not affected. Each is run with a writer that fails, and, on
// Linux, with stdout on /dev/full.
func TestStdoutCannotBeWritten(t *testing.T) {
	dir := t.TempDir()
	pop := writeExtract(t, 50, "standard")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"run --json -", []string{"run", "--iterations", "0", "--json", "-"}, exitOutput},
		{"run, the summary table", []string{"run", "--iterations", "0", "--json", filepath.Join(dir, "r.json")}, exitOutput},
		{"run --quiet", []string{"run", "--iterations", "0", "--json", filepath.Join(dir, "q.json"), "--quiet"}, exitOK},
		{"validate", []string{"validate", "--population", pop}, exitOutput},
		{"validate --json -", []string{"validate", "--population", pop, "--json", "-"}, exitOutput},
		{"generate --out -", []string{"generate", "--rows", "10", "--out", "-"}, exitOutput},
		{"sweep", []string{"sweep", "--population", pop, "--csv", filepath.Join(dir, "s.csv")}, exitOK},
		{"scenario list", []string{"scenario", "list"}, exitOutput},
		{"scenario show", []string{"scenario", "show", "deck"}, exitOutput},
		{"published list", []string{"published", "list"}, exitOutput},
		{"published show", []string{"published", "show", "ex-partners"}, exitOutput},
		{"scenario", []string{"scenario"}, exitOutput},
		{"--help", []string{"--help"}, exitOutput},
		{"run --help", []string{"run", "--help"}, exitOutput},
		{"--version", []string{"--version"}, exitOutput},
		{"serve (its address)", []string{"serve", "--iterations", "0"}, exitOutput},
	}
	stdouts := []struct {
		name string
		open func(t *testing.T) io.Writer
	}{
		{"a writer that fails", func(*testing.T) io.Writer { return fullWriter{} }},
		{"/dev/full", func(t *testing.T) io.Writer {
			if runtime.GOOS != "linux" {
				t.Skip("/dev/full is Linux's")
			}
			f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			if err != nil {
				t.Skip(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}},
	}
	for _, out := range stdouts {
		t.Run(out.name, func(t *testing.T) {
			for _, tt := range tests {
				var stderr strings.Builder
				code := run(append([]string{"raming"}, tt.args...), out.open(t), &stderr)
				if code != tt.code {
					t.Errorf("%s: exit %d, want %d: %s", tt.name, code, tt.code, stderr.String())
				}
				if tt.code == exitOutput && !strings.Contains(stderr.String(), "cannot write to stdout") {
					t.Errorf("%s: stderr %q, want it to say stdout cannot be written", tt.name, stderr.String())
				}
			}
		})
	}
}
