package main

import (
	"strings"
	"testing"
)

// TestDutchDecimalsOnTheCommandLine: --set takes a value as a Dutch user
// types it: 0,7 and 70% are 0.7 (the flag is not split at the comma), and
// 1,000, which could be one or a thousand, is refused with both readings.
func TestDutchDecimalsOnTheCommandLine(t *testing.T) {
	summary := func(value string) string {
		t.Helper()
		code, stdout, stderr := runCLI(t, "run", "--scenario", "deck-exact", "--iterations", "0", "--json", "-",
			"--set", "funnel.affected_share="+value, "--set", "b.threshold=soft")
		if code != 0 {
			t.Fatalf("--set funnel.affected_share=%s: exit %d\n%s", value, code, stderr)
		}
		// The figures, without what names the setting itself.
		var keep []string
		for _, l := range strings.Split(stdout, "\n") {
			if !strings.Contains(l, "affected_share=") && !strings.Contains(l, `"run_time"`) {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	want := summary("0.7")
	for _, v := range []string{"0,7", "70%", "0,70"} {
		if got := summary(v); got != want {
			t.Errorf("--set funnel.affected_share=%s gives other figures than 0.7", v)
		}
	}
	code, _, stderr := runCLI(t, "run", "--scenario", "deck-exact", "--iterations", "0", "--json", "-", "--set", "A-15k.lump_sum=1,000")
	if code != 2 && code != 3 || !strings.Contains(stderr, `could be 1 (a decimal comma) or 1000 (a thousands separator)`) {
		t.Errorf("--set A-15k.lump_sum=1,000: exit %d, %s; want a refusal naming both readings", code, stderr)
	}
}
