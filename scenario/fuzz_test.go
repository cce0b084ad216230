package scenario_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"raming/raming"
	"raming/scenario"
)

// FuzzParse: whatever a scenario file holds, Parse never panics and takes
// time linear in the file's size (parseBudget); it either refuses the file
// with problems that say what is wrong, or returns a scenario that the
// model computes without a panic and with finite figures.
func FuzzParse(f *testing.F) {
	for _, name := range scenario.BuiltinNames() {
		b, err := scenario.BuiltinText(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.toml")) // small.toml
	if err != nil {
		f.Fatal(err)
	}
	bad, err := filepath.Glob(filepath.Join("testdata", "bad", "*.toml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range append(files, bad...) {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("[" + strings.Repeat("a.", 2000) + "a]\nx = 1\n"))
	f.Add([]byte(strings.Repeat("[[A.cases]]\n[A.cases.lump_sum]\nvalue = 1\n", 200)))
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		sc, err := scenario.Parse(b, "fuzz.toml")
		if d := time.Since(start); d > parseBudget(len(b)) {
			t.Fatalf("Parse took %v for %d bytes, more than %v: not linear in the file's size", d, len(b), parseBudget(len(b)))
		}
		if err != nil {
			checkRefusal(t, err)
			return
		}
		compute(t, sc)
	})
}

// parseBudget is a generous bound on the time to parse n bytes: a second,
// and 20 µs a byte, about a thousand times what parsing costs (a quadratic
// parser took 17 s on a header of 120 KB, over three times this budget).
func parseBudget(n int) time.Duration {
	return time.Second + time.Duration(n)*20*time.Microsecond
}

// FuzzSet: whatever --set KEY=VALUE says (one setting a line), Set never
// panics; it either refuses a setting, or the built-in scenario it changes
// is refused by Revalidate or computes without a panic and with finite
// figures.
func FuzzSet(f *testing.F) {
	for _, kv := range []string{
		"funnel.affected_share=0.7",
		"funnel.base_population=1e308",
		"b.soft_min_contribution=1e17",
		"A.cws_average_damage.high=1e300",
		"D.cws_average_damage.sd=1e308",
		"A-15k.lump_sum=10000",
		"W-10k.lump_sum=0",
		"b.threshold=soft\nb.offset_30k=back",
		"b.peildatum=2021-05-01",
		"b.pending_peildatum=2023-12-31",
		"phasing.opening_year=2024\nphasing.price_level_year=2030",
		"phasing.cws_capacity_start=80\nphasing.cws_ramp_years=3",
		"phasing.uht_capacity=0.0001",
		"E.mediation_cases.min=0",
		"funnel.report_growth.max=1",
		"funnel.affected_share.low=0.6\nfunnel.affected_share.high=0.61",
	} {
		f.Add(kv)
	}
	f.Fuzz(func(t *testing.T, settings string) {
		for _, name := range scenario.BuiltinNames() {
			sc, err := scenario.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			if set(sc, settings) {
				if err := sc.Revalidate(); err != nil {
					checkRefusal(t, err)
					continue
				}
				compute(t, sc)
			}
		}
	})
}

// set applies every line KEY=VALUE of settings to sc, as --set does; it
// reports false if one is refused.
func set(sc *scenario.Scenario, settings string) bool {
	for _, kv := range strings.Split(settings, "\n") {
		key, value, ok := strings.Cut(kv, "=")
		if !ok || sc.Set(key, value) != nil {
			return false
		}
	}
	return true
}

// checkRefusal fails unless err lists the scenario's problems, each with
// a message.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	var se *scenario.Error
	if !errors.As(err, &se) || len(se.Problems) == 0 {
		t.Fatalf("got %T %v, want a scenario.Error with its problems", err, err)
	}
	for _, p := range se.Problems {
		if p.Msg == "" {
			t.Errorf("problem at %s without a message", p.Key)
		}
	}
}

// compute runs the deterministic estimate and a small simulation of a
// scenario that validated; either may refuse it (a scenario that cannot be
// computed), but neither may panic or give a figure that is not finite.
func compute(t *testing.T, sc *scenario.Scenario) {
	t.Helper()
	if _, err := raming.Estimate(sc, nil); err != nil {
		return
	}
	res, err := raming.Simulate(sc, nil, raming.MC{Seed: 1, Iterations: 50, Workers: 1})
	if err != nil {
		return
	}
	for _, c := range res.MonteCarlo.Cases {
		for _, p := range c.TotalStats.Percentiles {
			if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
				t.Fatalf("case %s: P%g is %g", c.CaseID, p.P, p.Value)
			}
		}
	}
}

// TestExtremesCompute: values at the edges of what validation admits
// compute (or the model refuses them with an error, as it does capacities
// too small for the population), without a panic and with finite figures.
func TestExtremesCompute(t *testing.T) {
	for _, settings := range []string{
		"funnel.base_population=100000000\nphasing.uht_capacity=100000000\nphasing.cws_capacity=100000000",
		"A.cws_average_damage=1000000000000\nA.cws_average_damage.low=1000000000\nA.cws_average_damage.high=1000000000000",
		"A.cws_average_damage.low=999999999999\nA.cws_average_damage.high=1000000000000",
		"A-15k.lump_sum=1000000000000\nA.cws_average_damage=1000000000000\nfunnel.base_population=100000000",
		"E.mediation_rate=10000\nE.mediation_hours=10000\nE.mediation_cases=100000000\nE.dispute_rate=10000\nE.dispute_hours=10000",
		"funnel.affected_share.low=0.00000000000000000001\nfunnel.affected_share.high=1",
		"funnel.affected_share.low=0.99999999999999999999\nfunnel.affected_share.high=1",
		"phasing.cws_capacity.min=0.00000000000000000001\nphasing.cws_capacity.max=100000000",
		"funnel.report_growth.max=1\nfunnel.report_growth.mode=1",
		"B.problem_years=100\nB-33%.years_together=100",
		"B.problem_years=0.00000000000000000001\nB-33%.years_together=0\nB-66%.years_together=0",
		"phasing.cws_capacity=0.00000000000000000001",
		"phasing.indexation_rate=1\nphasing.opening_year=2100\nphasing.price_level_year=2000",
		"phasing.cash_lag_share=1\nphasing.cws_lag_years=20\nphasing.intake_years=20",
	} {
		t.Run(strings.ReplaceAll(settings, "\n", " "), func(t *testing.T) {
			for _, name := range []string{"deck", "deck-exact"} {
				sc, err := scenario.Load(name)
				if err != nil {
					t.Fatal(err)
				}
				if !set(sc, settings) {
					t.Fatalf("%s: a setting was refused", name)
				}
				if err := sc.Revalidate(); err != nil {
					t.Fatal(err)
				}
				compute(t, sc)
			}
		})
	}
}
