package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"raming/internal/atomicfile"
)

// TestPanicIsInternalError: a panic in a command is printed as an
// internal error on one line, with where it happened, and exits 1; the
// stack only with RAMING_DEBUG=1.
func TestPanicIsInternalError(t *testing.T) {
	var nilMap map[string][]int
	tests := []struct {
		name  string
		debug string
		cmd   func() int
		want  string
	}{
		{"string", "", func() int { panic("boom") }, "boom"},
		{"error over two lines", "", func() int { panic(errors.New("first\nsecond")) }, `first\nsecond`},
		{"index out of range", "", func() int { return nilMap["x"][3] }, "runtime error: index out of range [3] with length 0"},
		{"with the stack", "1", func() int { panic("boom") }, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("RAMING_DEBUG", tt.debug)
			var stderr bytes.Buffer
			code := internalErrorOnPanic(&stderr, tt.cmd)
			first, rest, _ := strings.Cut(stderr.String(), "\n")
			if code != exitInternal {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.HasPrefix(first, "raming: internal error, please report: "+tt.want+" (at ") ||
				!strings.Contains(first, "TestPanicIsInternalError.func") || !strings.Contains(first, "panic_test.go:") {
				t.Errorf("got %q; want the panic's value and where, on one line", first)
			}
			if hasStack := strings.Contains(rest, "goroutine "); hasStack != (tt.debug == "1") {
				t.Errorf("RAMING_DEBUG=%q: stack printed %v; after the line: %q", tt.debug, hasStack, rest)
			}
		})
	}
	if code := internalErrorOnPanic(io.Discard, func() int { return exitInput }); code != exitInput {
		t.Errorf("without a panic: exit %d, want the command's 3", code)
	}
}

// TestPanicRemovesTemporaryFiles: a process whose command panics while
// writing an output exits 1, leaves no temporary file and last night's
// output as it was.
func TestPanicRemovesTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "raming.json")
	if err := os.WriteFile(out, []byte("last night"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPanickingRun$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RAMING_TEST_PANIC="+out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInternal {
		t.Errorf("got %v, want exit code 1; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "raming: internal error, please report: boom while writing") {
		t.Errorf("stderr: %s", stderr.String())
	}
	checkNothingLeft(t, dir, out)
}

// TestHelperPanickingRun is the process TestPanicRemovesTemporaryFiles
// runs: main's sequence, with a command that panics halfway through
// writing an output.
func TestHelperPanickingRun(t *testing.T) {
	out := os.Getenv("RAMING_TEST_PANIC")
	if out == "" {
		t.Skip("a helper process of TestPanicRemovesTemporaryFiles")
	}
	stop := removeTempsOnSignal()
	code := internalErrorOnPanic(os.Stderr, func() int {
		atomicfile.Write(out, func(w io.Writer) error {
			io.WriteString(w, "half of tonight's")
			if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp-*")); len(temps) == 0 {
				return errors.New("no temporary file while writing: the test tests nothing")
			}
			panic("boom while writing")
		})
		return exitOK
	})
	stop()
	os.Exit(code)
}
