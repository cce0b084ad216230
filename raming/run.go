package raming

import (
	"fmt"
	"strings"

	"raming/input"
	"raming/scenario"
)

// Run computes what `raming run` reports: the deterministic estimate, and
// the Monte Carlo simulation unless mc.Iterations is 0, with the run's
// warnings (AddRunWarnings).
func Run(sc *scenario.Scenario, pop *input.Population, mc MC, year int) (*Result, error) {
	var res *Result
	var err error
	if mc.Iterations == 0 {
		res, err = Estimate(sc, pop)
	} else {
		res, err = Simulate(sc, pop, mc)
	}
	if err != nil {
		return nil, err
	}
	AddRunWarnings(res, mc, year)
	return res, nil
}

// AddRunWarnings adds to res, the result of a run with mc, the warnings
// (Result.Warnings, after the estimate's own) that say where the figures
// are weaker than they look: an --iterations auto that stopped before it
// was stable, too few iterations for the bands, budget years already past
// in year, the year of the run (the model has no clock). Run adds them; a
// server that answers runs on an Engine adds them to each result, so that
// its figures and warnings are the command line's.
func AddRunWarnings(res *Result, mc MC, year int) {
	if sim := res.MonteCarlo; sim != nil && sim.Auto && !sim.Converged {
		res.Warnings = append(res.Warnings, fmt.Sprintf("--iterations auto stopped at its maximum of %d iterations before the P95 of every case was stable to %v%%: the percentiles are less precise than auto aims for (see their standard errors); check whether an uncertainty in the scenario is wider than intended, or give --iterations N",
			sim.Iterations, AutoTolerance*100))
	}
	if n := mc.Iterations; n > 0 && n < 1000 && !mc.Auto {
		res.Warnings = append(res.Warnings, fmt.Sprintf("only %d Monte Carlo iterations: the bands and percentiles are rough (their standard errors say how rough); use 10000, the default, or more", n))
	}
	if res.Population.Extract && len(res.Scenario.Changed) > 0 {
		base := res.Scenario.ID(&res.Scenario.Funnel.BasePopulation)
		for _, key := range res.Scenario.Changed {
			if key == base || strings.HasPrefix(key, base+".") {
				res.Warnings = append(res.Warnings, fmt.Sprintf("--set %s has no effect: a run on an extract counts its rows (%d) instead of %s", key, res.Population.RowsUsed, base))
				break
			}
		}
	}
	if y := int(res.Scenario.Phasing.OpeningYear.Value.IntPart()); y < year {
		res.Warnings = append(res.Warnings, fmt.Sprintf("phasing.opening_year %d lies before this run's year %d: the budget years before %d are past, and their amounts are what the scenario assumes, not what was spent",
			y, year, year))
	}
}

// CountFunnel counts the funnel of a scenario on a population extract and
// nothing more (no variant is computed, and so the scenario's [rounding]
// keys, which name the variants' quantities too, are not checked): what
// `raming validate` reports.
func CountFunnel(sc *scenario.Scenario, pop *input.Population) (Population, error) {
	if sc == nil {
		return Population{}, fmt.Errorf("no scenario given")
	}
	return newBuilder(sc, pop).res.Population, nil
}

// SweepWithBands is Sweep on mc.Workers workers and, when mc.Iterations is
// above 0, SweepBands: every combination of B's options, each with its
// band.
func SweepWithBands(sc *scenario.Scenario, pop *input.Population, mc MC) ([]SweepRow, error) {
	rows, err := Sweep(sc, pop, mc.Workers)
	if err != nil || mc.Iterations == 0 {
		return rows, err
	}
	return rows, SweepBands(sc, rows, mc)
}
