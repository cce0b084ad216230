package raming

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"raming/input"
	"raming/scenario"
)

// syntheticRecords makes n varied records for the sweep's tests and
// benchmark (the input package's generator writes files; this needs rows).
func syntheticRecords(n int, seed uint64) []input.Record {
	r := rand.New(rand.NewPCG(seed, 0))
	answers := []input.Answer{input.Yes, input.Yes, input.Yes, input.No, input.Unknown}
	recs := make([]input.Record, n)
	for i := range recs {
		start := time.Date(2012+r.IntN(8), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		rec := input.Record{ID: "EXP-" + string(rune('a'+i%26)), Affected: answers[r.IntN(len(answers))], ProblemStart: input.DateOf(start),
			RestoredAsApplicant: r.Float64() < 0.05}
		if r.Float64() < 0.8 {
			rec.EndTogether = input.DateOf(start.AddDate(0, r.IntN(96), r.IntN(28)))
		}
		if r.Float64() < 0.85 {
			rec.FirstPayment = input.DateOf(time.Date(2021+r.IntN(3), 3, 1, 0, 0, 0, 0, time.UTC))
		}
		rec.Recovery = input.Money{Cents: int64(100000 + r.IntN(9900000)), Known: r.Float64() < 0.9}
		rec.Contributed = input.Money{Cents: int64(r.IntN(200000)), Known: r.Float64() < 0.4}
		rec.Received30k = input.Money{Cents: int64(r.IntN(1500000)), Known: r.Float64() < 0.1}
		rec.IntegralAssessment = input.Money{Cents: int64(3000000 + r.IntN(6000000)), Known: r.Float64() < 0.4}
		recs[i] = rec
	}
	return recs
}

// TestSweepMatchesEstimate: a row of the sweep is what a run with those
// options computes for variant B.
func TestSweepMatchesEstimate(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	pop := &input.Population{Source: "test", Records: syntheticRecords(400, 9), RowsRead: 400}
	rows, err := Sweep(sc, pop, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7776 {
		t.Fatalf("got %d combinations, want 4·3·3·3·2·3·2·3·2 = 7,776", len(rows))
	}
	for _, i := range []int{0, 1, 777, 5000, 7775} {
		row := rows[i]
		sc2 := loadScenario(t, "deck-exact")
		sc2.B.Options = row.Options
		res, err := Estimate(sc2, pop)
		if err != nil {
			t.Fatal(err)
		}
		b := res.Variant("B").Cases[0]
		if !b.Total.Value.Round(2).Equal(row.Total.Round(2)) {
			t.Errorf("row %d %+v: sweep total %s, estimate %s", i, row.Options, row.Total.Round(2), b.Total.Value.Round(2))
		}
		if got := b.Population.Value.InexactFloat64(); got-row.Access > 1e-6 || row.Access-got > 1e-6 {
			t.Errorf("row %d: sweep access %v, estimate %v", i, row.Access, got)
		}
	}
}

// BenchmarkSweep11k is the full grid on 11,000 records.
func BenchmarkSweep11k(b *testing.B) { benchmarkSweep(b, 11000) }

// BenchmarkSweep100k is the full grid on 100,000 records (goal: the
// command, loading and writing included, under 6 s).
func BenchmarkSweep100k(b *testing.B) { benchmarkSweep(b, 100000) }

func benchmarkSweep(b *testing.B, n int) {
	sc := loadScenario(b, "deck-exact")
	pop := &input.Population{Source: "bench", Records: syntheticRecords(n, 1), RowsRead: n}
	for b.Loop() {
		if _, err := Sweep(sc, pop, runtime.NumCPU()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSweepBandsWithoutUncertainty: with every distribution removed and
// every value of the records known (so no share of access is drawn), each
// row's band collapses onto its total.
func TestSweepBandsWithoutUncertainty(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	for _, e := range sc.Entries() {
		e.Uncertainty = nil
	}
	recs := syntheticRecords(300, 4)
	for i := range recs {
		if recs[i].Affected == input.Unknown {
			recs[i].Affected = input.Yes
		}
		if recs[i].EndTogether.IsZero() {
			recs[i].EndTogether = recs[i].ProblemStart.AddDate(2, 0, 0)
		}
	}
	pop := &input.Population{Source: "test", Records: recs, RowsRead: 300}
	rows, err := Sweep(sc, pop, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := SweepBands(sc, rows, MC{Seed: 1, Iterations: 50, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[:200] {
		want := r.Total.InexactFloat64()
		for _, got := range []float64{r.P5, r.P50, r.P95} {
			if d := got - want; d > 0.01 || d < -0.01 {
				t.Fatalf("%+v: band %v/%v/%v, total %v", r.Options, r.P5, r.P50, r.P95, want)
			}
		}
	}
}

// An option set for the run is held at its value; the sweep varies the
// others, and has no band without a simulation.
func TestSweepHoldsSetOptions(t *testing.T) {
	sc, err := scenario.Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	all := len(OptionGrid(sc.B.Options, nil))
	if err := sc.Set("b.threshold", "soft"); err != nil {
		t.Fatal(err)
	}
	rows, err := Sweep(sc, generated(t, 300, 2), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || len(rows) >= all {
		t.Fatalf("%d rows, want fewer than the %d of the whole grid", len(rows), all)
	}
	for _, r := range rows {
		if r.Options.Threshold.String() != "soft" {
			t.Fatalf("row with threshold %s", r.Options.Threshold)
		}
		if !math.IsNaN(r.P50) {
			t.Fatalf("P50 %v without a simulation, want NaN", r.P50)
		}
	}
}

// TestRecordOrderDoesNotMatter: an extract with its rows in another order
// gives the same figures to the last bit: every row of the sweep (the
// amount statistics of variant B under every combination of its options)
// and a run's deterministic estimate and simulation.
func TestRecordOrderDoesNotMatter(t *testing.T) {
	pop := generated(t, 4000, 3)
	shuffled := *pop
	shuffled.Records = slices.Clone(pop.Records)
	rand.New(rand.NewPCG(7, 7)).Shuffle(len(shuffled.Records), func(i, j int) {
		shuffled.Records[i], shuffled.Records[j] = shuffled.Records[j], shuffled.Records[i]
	})
	sc := loadScenario(t, "deck")
	want, err := Sweep(sc, pop, 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Sweep(sc, &shuffled, 2)
	if err != nil {
		t.Fatal(err)
	}
	figures := func(r SweepRow) string { // the figures of a row (fmt prints NaN alike, unlike ==)
		return fmt.Sprint(r.Access, r.MeanAmount, r.MedianAmount, r.P10Amount, r.P90Amount, r.BelowLowAmount,
			r.Scheme, r.Applicant, r.CWS, r.Total, r.Execution, r.P5, r.P50, r.P95)
	}
	differ := 0
	for i := range want {
		if a, b := figures(want[i]), figures(got[i]); a != b {
			if differ++; differ <= 3 {
				t.Errorf("row %d: in file order %s, shuffled %s", i, a, b)
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d rows of the sweep differ with the rows shuffled", differ, len(want))
	}
	mc := MC{Seed: 1, Iterations: 300, Workers: 2}
	a, err := Simulate(sc, pop, mc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Simulate(sc, &shuffled, mc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Variants, b.Variants) {
		t.Error("the estimate differs with the rows shuffled")
	}
	if !reflect.DeepEqual(a.MonteCarlo.Cases, b.MonteCarlo.Cases) {
		t.Error("the simulation differs with the rows shuffled")
	}
}
