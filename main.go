// Command raming estimates the cost of the compensation scheme for
// ex-partners in the childcare-benefit scandal, variants A–E as the policy
// deck's "grove financiële raming" computes them, and writes an Excel
// workbook (Dutch) and a JSON summary.
//
// Usage:
//
//	raming run [--scenario deck|deck-exact|FILE] [--population FILE] --out FILE.xlsx [--json FILE.json]
//	raming compare [--base NAME|FILE] [--other NAME|FILE] [--other-set KEY=VALUE] [--population FILE] [--json FILE.json] [--out FILE.xlsx]
//	raming validate --population FILE [--json FILE.json] [--strict]
//	raming generate --rows N --seed S --out FILE.csv [--dialect nl]
//	raming sweep --population FILE --out FILE.xlsx [--csv FILE.csv]
//	raming scenario list | show NAME
//
// Exit codes: 0 success; 1 internal error; 2 usage error (unknown command
// or flag, bad value, an output over an input); 3 input refused (missing or unreadable file, bad
// scenario, personal data, file-level CSV problem, a scenario that cannot
// be computed on the population); 4 rows rejected under --strict, or more
// than --max-rejected of them; 5 the
// outputs (stdout included) could not be written; 130 or 143 interrupted by SIGINT or
// SIGTERM. A panic is an internal error too: one line on stderr, the
// stack only with RAMING_DEBUG=1.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"raming/baseline"
	"raming/input"
	"raming/internal/atomicfile"
	"raming/internal/bsn"
	"raming/internal/goroutine"
	"raming/published"
	"raming/raming"
	"raming/scenario"
)

func main() {
	floor := make([]byte, heapFloor)
	stop := removeTempsOnSignal() // SIGINT/SIGTERM: no temporary files left, exit 130/143
	code := run(os.Args, os.Stdout, os.Stderr)
	stop() // removes the temporary files a panic left behind
	runtime.KeepAlive(floor)
	os.Exit(code)
}

// heapFloor is the size of a block the command holds and never touches,
// so that the garbage collector, whose target is twice the live heap, does
// not collect a small run's heap over and over: a run on an 11,000-row
// extract allocates about 30 MB, and started five collections without it.
// The block is address space only (fresh pages, never written: no
// resident memory); a large run's collector target rises by twice its
// size at most.
const heapFloor = 32 << 20

// run runs the command line and returns the exit code. The error, if any,
// is printed once, on stderr, with any number in it that could be a BSN
// masked (a file name or flag value it repeats); a panic is printed as an
// internal error.
func run(args []string, stdout, stderr io.Writer) int {
	return internalErrorOnPanic(stderr, func() int {
		out := &stdoutWriter{w: stdout}
		err := newApp(out, stderr).Run(args)
		if out.err != nil && (err == nil || exitCode(err) == exitInternal) {
			err = &stdoutError{out.err} // whatever the command wrote there
		}
		if err != nil { // a file name or flag value in it may hold a BSN
			fmt.Fprintln(stderr, "raming:", bsn.MaskText(err.Error()))
		}
		return exitCode(err)
	})
}

// internalErrorOnPanic runs cmd and returns its exit code. A panic in cmd
// is a bug: it is printed on stderr on one line, with where it happened
// (also in a worker goroutine, which carries it back), and the code is
// exitInternal; RAMING_DEBUG=1 adds the full stack. The temporary files a
// panic leaves are removed by the stop function of removeTempsOnSignal.
func internalErrorOnPanic(stderr io.Writer, cmd func() int) (code int) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		p := goroutine.Recovered(v)
		msg := bsn.MaskText(strings.ReplaceAll(fmt.Sprint(p.Value), "\n", `\n`))
		if os.Getenv("RAMING_DEBUG") == "1" {
			fmt.Fprintf(stderr, "raming: internal error, please report: %s (at %s)\n%s", msg, p.Site(), p.Stack)
		} else {
			fmt.Fprintf(stderr, "raming: internal error, please report: %s (at %s; RAMING_DEBUG=1 prints the stack)\n", msg, p.Site())
		}
		code = exitInternal
	}()
	return cmd()
}

// Exit codes, documented in the README and in `raming --help`.
const (
	exitOK       = 0
	exitInternal = 1
	exitUsage    = 2
	exitInput    = 3
	exitRejected = 4
	exitOutput   = 5
)

// usageError is a command line the tool cannot follow: an unknown command,
// flag, option or value, or flags that do not go together.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usage(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

// stdoutError is stdout that could not be written (a full disk, a closed
// pipe): an output the user asked for is missing, as when a file cannot be
// written.
type stdoutError struct{ err error }

func (e *stdoutError) Error() string {
	return "cannot write to stdout: " + e.err.Error() + " (is the disk full, or did the reading end close?)"
}
func (e *stdoutError) Unwrap() error { return e.err }

// stdoutWriter is the commands' stdout: it keeps the first error of a
// write, and fails every write after it, so that run exits 5 when
// anything a command writes there (a report, a JSON summary, an extract,
// a scenario, the summary table, help) could not be written, also where
// the command does not look at the error.
type stdoutWriter struct {
	w   io.Writer
	err error
}

func (s *stdoutWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.err = err
	}
	return n, err
}

// rejectedError is rows rejected under --strict, or more of them than
// --max-rejected allows.
type rejectedError struct{ err error }

func (e *rejectedError) Error() string { return e.err.Error() }

// exitCode maps an error to the documented exit code by what it is: the
// same error gives the same code whichever command or stage met it. An
// error of no known kind is an internal error (1).
func exitCode(err error) int {
	var (
		usageErr    *usageError
		pathErr     *atomicfile.PathError
		fileErr     *input.FileError
		scenarioErr *scenario.Error
		modelErr    *raming.ModelError
		baselineErr *baseline.Error
		rejected    *rejectedError
		writeErr    *atomicfile.WriteError
		stdoutErr   *stdoutError
		memoryErr   *raming.MemoryError
		figuresErr  *published.Error
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usageErr), errors.As(err, &pathErr), errors.As(err, &memoryErr):
		return exitUsage
	case errors.As(err, &fileErr), errors.As(err, &scenarioErr), errors.As(err, &modelErr), errors.As(err, &baselineErr), errors.As(err, &figuresErr):
		return exitInput
	case errors.As(err, &rejected):
		return exitRejected
	case errors.As(err, &writeErr), errors.As(err, &stdoutErr):
		return exitOutput
	}
	return exitInternal
}
