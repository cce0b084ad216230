package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// FuzzFlags runs `raming run` in-process with any values of the flags that
// take one, --iterations capped at 50 (a value that parses to more, or
// auto, is skipped: it would only be slow). Whatever the values, the run
// must not panic (an internal error, exit 1) and must end with a
// documented code, 0, 2 or 3 (without an extract or an output file, 4 and
// 5 cannot happen); exit 2 always with a message.
//
//	go test -run '^$' -fuzz FuzzFlags -fuzztime 3m .
func FuzzFlags(f *testing.F) {
	f.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	f.Setenv("RAMING_DEBUG", "1") // a panic's stack in the failure
	f.Add("5,50,95", "10", "1", "2", "10", "90", "4096", "A-15k", "funnel.affected_share=0.7")
	f.Add("", "0", "0", "1", "0", "51", "0", "B-66%", "")
	f.Add("0,100,99.99", "3", "18446744073709551615", "64", "1000000", "99.9", "1", "E-helft", "A.cws_appeal_share=1")
	f.Add("1,2.5, 97.5", "50", "7", "3", "-1", "80", "0", "C-30%", "phasing.cws_capacity=500,b.percentage=fixed")
	f.Add("50,", "1", "-1", "0", "1000000", "NaN", "-5", "", "=")
	f.Add("1e2", "+7", "0x10", "-3", "2147483648", "1e2", "9999999999999", "C-10%,D", "b.threshold=soft")
	f.Fuzz(func(t *testing.T, percentiles, iterations, seed, workers, smallCell, riskLevel, maxMemory, budgetCase, set string) {
		if n, err := strconv.Atoi(iterations); iterations == "auto" || err == nil && n > 50 {
			t.Skip("too many iterations for a fuzz run")
		}
		args := []string{"raming", "run", "--json", "-", "--log-format", "json",
			"--percentiles=" + percentiles, "--iterations=" + iterations, "--seed=" + seed, "--workers=" + workers,
			"--small-cell=" + smallCell, "--risk-level=" + riskLevel, "--max-memory=" + maxMemory}
		if budgetCase != "" {
			args = append(args, "--budget-case="+budgetCase)
		}
		if set != "" {
			args = append(args, "--set="+set)
		}
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		switch code {
		case exitOK, exitInput:
		case exitUsage:
			if errorMessage(stderr.String()) == "" {
				t.Errorf("%q: exit 2 without a message; stderr:\n%s", args, stderr.String())
			}
		default:
			t.Errorf("%q: exit %d; stderr:\n%s", args, code, stderr.String())
		}
	})
}

// errorMessage is the error run printed on stderr ("raming: MESSAGE"
// on a line of its own, after any log lines), or "".
func errorMessage(stderr string) string {
	msg := ""
	for _, line := range strings.Split(stderr, "\n") {
		if m, ok := strings.CutPrefix(line, "raming: "); ok {
			msg = strings.TrimSpace(m)
		}
	}
	return msg
}
