package raming

import (
	"runtime"
	"slices"
	"testing"

	"raming/input"
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

// BenchmarkSimulateExtract11k is the simulation alone on an 11,000-row
// extract: 10,000 iterations of every case. iter·rows/s is the throughput
// in the terms (the binomial draws per group make it independent
// of the rows, after one pass to count them).
func BenchmarkSimulateExtract11k(b *testing.B) {
	sc := loadScenario(b, "deck-exact")
	pop := &input.Population{Source: "bench", Records: syntheticRecords(11000, 1), RowsRead: 11000}
	for b.Loop() {
		if _, err := Simulate(sc, pop, MC{Seed: 1, Iterations: 10000, Workers: runtime.NumCPU()}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(10000*11000*float64(b.N)/b.Elapsed().Seconds(), "iter·rows/s")
}

// BenchmarkEstimateExtract11k is the deterministic estimate on an
// 11,000-row extract: variant B per record under its options, the funnel
// counted on the records.
func BenchmarkEstimateExtract11k(b *testing.B) {
	sc := loadScenario(b, "deck")
	pop := &input.Population{Source: "bench", Records: syntheticRecords(11000, 1), RowsRead: 11000}
	for b.Loop() {
		if _, err := Estimate(sc, pop); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCashYears spreads one case's drawn cost over the budget years,
// as the bands per year do for every case and band iteration: the flow of
// files (the deck's phasing, 8,000 files of which 4,000 at the CWS) and the
// cash lag, in float64.
func BenchmarkCashYears(b *testing.B) {
	s := &simulator{intake: 2, lag: 1}
	rec := []float64{recUHTCap: 3000, recCWSCap: 1000, recCashLag: 0.1, recOpenShare: 1, recCWSStart: 0, recFlows: 8000, recFlows + 1: 4000}
	var buf cashBuffers
	for b.Loop() {
		s.cashYears(rec, 0, 1.2e8, 2.4e8, &buf)
	}
}

// BenchmarkSummarise11k summarises the draws of 10,000 iterations on an
// 11,000-row extract (every series sorted once, the bands per budget year,
// the sensitivity, the comparisons), without drawing them.
func BenchmarkSummarise11k(b *testing.B) {
	pop := &input.Population{Source: "bench", Records: syntheticRecords(11000, 1), RowsRead: 11000}
	s, d := simulateDraws(b, loadScenario(b, "deck-exact"), pop, MC{Seed: 1, Iterations: 10000, Workers: runtime.NumCPU()})
	for b.Loop() {
		s.summarise(d, true)
	}
}

// BenchmarkSortDraws sorts every series the summaries sort of 10,000
// iterations on an 11,000-row extract (the inputs, each case's total,
// scheme and CWS cost, and its cash per budget year), one after another.
func BenchmarkSortDraws(b *testing.B) {
	pop := &input.Population{Source: "bench", Records: syntheticRecords(11000, 1), RowsRead: 11000}
	s, d := simulateDraws(b, loadScenario(b, "deck-exact"), pop, MC{Seed: 1, Iterations: 10000, Workers: 1})
	var series [][]float64
	series = append(series, d.inputs...)
	var sc summaryScratch
	for j, c := range s.cases {
		if c.same >= 0 {
			continue
		}
		total := make([]float64, d.n)
		for i := range total {
			total[i] = d.scheme[j][i] + d.cws[j][i]
		}
		series = append(series, total, d.scheme[j], d.cws[j])
		for _, y := range s.caseYears(d, j, &sc) {
			series = append(series, slices.Clone(y))
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, x := range series {
			sc.sort(x)
		}
	}
}
