package raming

import (
	"runtime"
	"testing"
)

// BenchmarkEstimate is the deterministic estimate of both built-in
// scenarios' kind: exact decimals, every case and its multi-year profile.
func BenchmarkEstimate(b *testing.B) {
	sc := loadScenario(b, "deck-exact")
	for b.Loop() {
		if _, err := Estimate(sc, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSimulate10k is 10,000 Monte Carlo iterations of every case on
// the scenario's base population, on all cores.
func BenchmarkSimulate10k(b *testing.B) {
	sc := loadScenario(b, "deck-exact")
	for b.Loop() {
		if _, err := Simulate(sc, nil, MC{Seed: 1, Iterations: 10000, Workers: runtime.NumCPU()}); err != nil {
			b.Fatal(err)
		}
	}
}
