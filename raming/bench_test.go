package raming

import (
	"context"
	"runtime"
	"testing"
	"time"

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
	cpu := processCPU()
	for b.Loop() {
		if _, err := Simulate(sc, pop, MC{Seed: 1, Iterations: 10000, Workers: runtime.NumCPU()}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
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

// BenchmarkBandYears spreads every case's drawn cost over the budget
// years, for a block of 256 iterations on an 11,000-row extract, as the
// main run and each pass of the summaries do: each flow's shares per year,
// then each case's cash per year.
func BenchmarkBandYears(b *testing.B) {
	pop := &input.Population{Source: "bench", Records: syntheticRecords(11000, 1), RowsRead: 11000}
	s, rec, _ := simulateRecord(b, loadScenario(b, "deck-exact"), pop, MC{Seed: 1, Iterations: lanes, Workers: 1})
	w := s.newWorker()
	s.block(w, 0, lanes, rec, false)
	for b.Loop() {
		for f := range s.flows {
			s.lanesOf(w.machine, f, lanes, &w.flows[f])
		}
		for j, c := range s.cases {
			if c.same < 0 {
				caseYears(&w.flows[c.flow], w.col(c.scheme), w.col(c.cws), lanes, &w.years[j])
			}
		}
	}
}

// BenchmarkSummarise11k summarises the draws of 10,000 iterations on an
// 11,000-row extract (every series replayed from the record for its
// passes, the bands per budget year, the sensitivity, the comparisons),
// without drawing them.
func BenchmarkSummarise11k(b *testing.B) {
	pop := &input.Population{Source: "bench", Records: syntheticRecords(11000, 1), RowsRead: 11000}
	mc := MC{Seed: 1, Iterations: 10000, Workers: runtime.NumCPU()}
	s, rec, ext := simulateRecord(b, loadScenario(b, "deck-exact"), pop, mc)
	for b.Loop() {
		if _, err := s.summarise(context.Background(), rec, ext, mc.Iterations, mc.Iterations, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEngineWhatIf is a deterministic what-if on a resident engine
// with the 11,000-row extract of `make run`: one --set of another
// variant's assumption, the estimate of every variant (B per record from
// the engine's cache).
func BenchmarkEngineWhatIf(b *testing.B) {
	e := benchEngine(b)
	sets := []string{"A.cws_average_damage=40000", "A.cws_average_damage=41000"}
	i := 0
	cpu := processCPU()
	for b.Loop() {
		if _, err := e.Run(context.Background(), Request{Sets: sets[i%2 : i%2+1]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu)
}

// BenchmarkEngineWhatIf10k is a what-if with 10,000 Monte Carlo iterations
// on the same engine, on all cores.
func BenchmarkEngineWhatIf10k(b *testing.B) {
	e := benchEngine(b)
	sets := []string{"A.cws_average_damage=40000", "A.cws_average_damage=41000"}
	i := 0
	cpu := processCPU()
	for b.Loop() {
		if _, err := e.Run(context.Background(), Request{Sets: sets[i%2 : i%2+1], MC: MC{Seed: 1, Iterations: 10000, Workers: runtime.NumCPU()}}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu)
}

// benchEngine is an engine on the deck scenario and the 11,000-row
// synthetic extract of `make run` (seed 1), read as a run reads it.
func benchEngine(b *testing.B) *Engine {
	e, err := NewEngine(loadScenario(b, "deck"), generated(b, 11000, 1))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Run(context.Background(), Request{}); err != nil { // B per record, cached
		b.Fatal(err)
	}
	return e
}

// reportCPU reports the CPU time per operation since start (processCPU).
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((processCPU()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkSimulate1M is a run of 1,000,000 iterations on the 11,000-row
// extract of `make run` (the deck scenario, seed 1), on all cores: the
// simulation of the 11k × 1M comparison with the numpy peer,
// without reading the extract or writing. cpu-ms/op is its CPU time.
func BenchmarkSimulate1M(b *testing.B) {
	e := benchEngine(b)
	cpu := processCPU()
	for b.Loop() {
		if _, err := e.Run(context.Background(), Request{MC: MC{Seed: 1, Iterations: 1_000_000, Workers: runtime.NumCPU()}}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}
