// Command raming estimates the cost of the compensation scheme for
// ex-partners in the childcare-benefit scandal, variants A–E as the policy
// deck's "grove financiële raming" computes them, and writes an Excel
// workbook (Dutch) and a JSON summary.
//
// Usage:
//
//	raming run [--scenario deck|deck-exact|FILE] [--population FILE] --out FILE.xlsx [--json FILE.json]
//	raming validate --population FILE [--json FILE.json] [--strict]
//	raming generate --rows N --seed S --out FILE.csv [--dialect nl]
//	raming scenario list | show NAME
//
// Exit codes: 0 success; 1 internal error; 2 usage error (unknown flag, bad
// value); 3 input refused (missing or unreadable file, bad scenario, personal
// data, file-level CSV problem); 4 rows rejected under --strict.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run runs the command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	err := newApp(stdout, stderr).Run(args)
	if err != nil {
		fmt.Fprintln(stderr, "raming:", err)
	}
	return exitCode(err)
}

// exitCode maps an error to the documented exit code: an error without a
// code of its own is an internal error (1).
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitInternal
}
