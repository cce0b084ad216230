package raming

import (
	"raming/input"
	"raming/scenario"
)

// SetBaseline compares res with an earlier run, read from its summary
// (before), and sets the comparison on res (Result.Baseline; see Compare).
// To split each change into data and scenario, the earlier run's scenario,
// which the summary carries with its --set changes, is evaluated again on
// pop, this run's population (nil: the scenario's own). When that cannot
// be done, the comparison does not split and its Note says why.
func SetBaseline(res *Result, before *Previous, pop *input.Population) {
	var same *Result
	note := ""
	if before.ScenarioText == "" {
		note = "the baseline carries no scenario text, so changes are not split into data and scenario"
	} else if sc, err := previousScenario(before); err != nil {
		note = "the baseline's scenario no longer reads with this version (" + err.Error() + "), so changes are not split into data and scenario"
	} else if same, err = Estimate(sc, pop); err != nil {
		note = "the baseline's scenario cannot be computed on this population (" + err.Error() + "), so changes are not split into data and scenario"
		same = nil
	}
	res.Baseline = Compare(before, res, res.Population.SHA256, same, note)
}

// previousScenario is an earlier run's scenario: its text with its --set
// changes applied again.
func previousScenario(before *Previous) (*scenario.Scenario, error) {
	sc, err := scenario.Parse([]byte(before.ScenarioText), "baseline scenario")
	if err != nil {
		return nil, err
	}
	return sc, sc.SetAll(before.ScenarioSet)
}
