package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"raming/internal/atomicfile"
)

// TestSignalRemovesTemporaryFiles: a run interrupted by SIGINT or SIGTERM
// while writing a large output exits with 130 or 143 and leaves no
// temporary file, and last night's output as it was.
func TestSignalRemovesTemporaryFiles(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "raming.xlsx")
			if err := os.WriteFile(out, []byte("last night"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperInterruptedRun$", "-test.count=1")
			cmd.Env = append(os.Environ(), "RAMING_TEST_INTERRUPT="+out)
			stdout, _ := cmd.StdoutPipe()
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill() })
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if line != "writing\n" {
				t.Fatalf("helper: %q, %v", line, err)
			}
			if temps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(temps) == 0 {
				t.Fatal("no temporary file while writing: the test tests nothing")
			}
			cmd.Process.Signal(c.sig)
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != c.code {
				t.Errorf("got %v, want exit code %d", err, c.code)
			}
			checkNothingLeft(t, dir, out)
		})
	}
}

// checkNothingLeft checks that an interrupted run left no temporary file in
// dir and the earlier output at out as it was ("last night").
func checkNothingLeft(t *testing.T, dir, out string) {
	t.Helper()
	if temps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(temps) > 0 {
		t.Errorf("temporary files left behind: %v", temps)
	}
	if got, _ := os.ReadFile(out); string(got) != "last night" {
		t.Errorf("output changed: %.20q", got)
	}
}

// TestHelperInterruptedRun is the run TestSignalRemovesTemporaryFiles
// interrupts: it writes a large output, slowly, until killed.
func TestHelperInterruptedRun(t *testing.T) {
	out := os.Getenv("RAMING_TEST_INTERRUPT")
	if out == "" {
		t.Skip("a helper process of TestSignalRemovesTemporaryFiles")
	}
	stop := removeTempsOnSignal()
	defer stop()
	chunk := strings.Repeat("x", 1<<16)
	atomicfile.Write(out, func(w io.Writer) error {
		for i := 0; ; i++ {
			if _, err := io.WriteString(w, chunk); err != nil {
				return err
			}
			if i == 10 {
				os.Stdout.WriteString("writing\n")
			}
			if i >= 10 {
				time.Sleep(10 * time.Millisecond) // large, but not the whole disk
			}
		}
	})
	t.Error("the write ended: it should have been interrupted")
}

// TestClosedPipeExits5: a run whose stdout is a pipe its reader closes
// (raming generate --out - | head -c 1) exits 5, as for any output it
// could not write, not killed by SIGPIPE (141 in a shell).
func TestClosedPipeExits5(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPipedRun$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RAMING_TEST_PIPE=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	if _, err := io.ReadFull(stdout, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	stdout.Close()
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 5 {
		t.Errorf("got %v, want exit code 5", err)
	}
}

// TestHelperPipedRun is the run TestClosedPipeExits5 reads one byte of:
// an extract of 20,000 rows on stdout, far more than a pipe holds.
func TestHelperPipedRun(t *testing.T) {
	if os.Getenv("RAMING_TEST_PIPE") == "" {
		t.Skip("a helper process of TestClosedPipeExits5")
	}
	stop := removeTempsOnSignal()
	code := run([]string{"raming", "generate", "--rows", "20000", "--out", "-"}, os.Stdout, io.Discard)
	stop()
	os.Exit(code)
}
