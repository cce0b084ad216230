package raming

import "testing"

// TestP50NoiseFlagIsCalibrated: the noise flag of a changed P50 is a 95%
// band on the difference of two runs' P50s, from their batch-means
// standard errors: over 40 pairs of seeds of the same scenario (nothing
// changed but the draws), at least nine in ten case comparisons are
// flagged noise. (Nominally 95%; the standard errors are estimates.)
func TestP50NoiseFlagIsCalibrated(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	previous := func(res *Result) *Previous {
		p := &Previous{Cases: map[string]PreviousCase{}}
		for _, c := range res.MonteCarlo.Cases {
			p.Cases[c.CaseID] = PreviousCase{Total: res.Case(c.CaseID).Total.Value.Round(2), P50: c.TotalStats.At(50), P50SE: c.TotalStats.SEAt(50)}
		}
		return p
	}
	flagged, compared := 0, 0
	for seed := uint64(1); seed <= 40; seed++ {
		before := simulate(t, sc, MC{Seed: 1000 + seed, Iterations: 500, Workers: 2})
		now := simulate(t, sc, MC{Seed: 2000 + seed, Iterations: 500, Workers: 2})
		SetBaseline(now, previous(before), nil)
		for _, c := range now.Baseline.Cases {
			if !c.P50Compared {
				t.Fatalf("seed %d, %s: the P50s were not compared", seed, c.ID)
			}
			compared++
			if c.P50Noise {
				flagged++
			}
		}
	}
	rate := float64(flagged) / float64(compared)
	t.Logf("%d of %d P50 changes between seeds flagged noise (%.1f%%)", flagged, compared, 100*rate)
	if rate < 0.90 {
		t.Errorf("%d of %d P50 changes between seeds flagged noise (%.1f%%), want at least 90%%", flagged, compared, 100*rate)
	}
}
