package main

import (
	"path/filepath"
	"testing"
)

// BenchmarkEndToEnd11k is `raming run` on the 11,000-row synthetic extract
// with 10,000 Monte Carlo iterations: load, simulate, write the workbook and
// the JSON (goal: 0.08 s on 2 cores; docs/performance.md).
func BenchmarkEndToEnd11k(b *testing.B) {
	dir := b.TempDir()
	pop := filepath.Join(dir, "population.csv")
	if code := run([]string{"raming", "generate", "--rows", "11000", "--seed", "1", "--out", pop}, discard{}, discard{}); code != exitOK {
		b.Fatal("generate failed")
	}
	args := []string{"raming", "run", "--population", pop, "--iterations", "10000", "--out", filepath.Join(dir, "r.xlsx"),
		"--json", filepath.Join(dir, "r.json"), "--log-format", "json"}
	for b.Loop() {
		if code := run(args, discard{}, discard{}); code != exitOK {
			b.Fatal("run failed")
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
