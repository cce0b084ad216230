package raming

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"raming/input"
	"raming/scenario"
)

// SetBaseline compares res with an earlier run, read from its summary
// (before), and sets the comparison on res (Result.Baseline; see Compare).
// To split each change into data and scenario, the earlier run's scenario,
// which the summary carries with its --set changes, is evaluated again on
// pop, this run's population (nil: the scenario's own). When that cannot
// be done, the comparison does not split and its Note says why, in one
// line (a scenario with many problems is summed up by its first): the
// note is shown in a cell, and an earlier night's scenario that no longer
// reads must not fail tonight's run. The note names the newer summaries
// passed over (Previous.PassedOver) too.
func SetBaseline(res *Result, before *Previous, pop *input.Population) {
	var same *Result
	note := ""
	if before.ScenarioText == "" {
		note = "the baseline carries no scenario text, so changes are not split into data and scenario"
	} else if sc, err := previousScenario(before); err != nil {
		note = "the baseline's scenario no longer reads with this version (" + oneLine(err) + "), so changes are not split into data and scenario"
	} else if same, err = Estimate(sc, pop); err != nil {
		note = "the baseline's scenario cannot be computed on this population (" + oneLine(err) + "), so changes are not split into data and scenario"
		same = nil
	}
	if n := len(before.PassedOver); n > 0 {
		passed := fmt.Sprintf("%d newer summaries could not be read and were passed over", n)
		if n == 1 {
			passed = "a newer summary could not be read and was passed over"
		}
		passed += " (" + oneLine(before.PassedOver[0])
		if n > 1 {
			passed += fmt.Sprintf("; and %d more", n-1)
		}
		note = strings.TrimPrefix(note+"; "+passed+")", "; ")
	}
	if jump := rowsJump(before.RowsUsed, res.Population); jump != "" {
		note = strings.TrimPrefix(note+"; "+jump, "; ")
	}
	res.Baseline = Compare(before, res, res.Population.SHA256, same, note)
}

// rowsJumpShare is the change in an extract's rows used, against the
// baseline's, from which a comparison says so (the tool's own threshold,
// docs/nightly.md): a nightly extract grows by the reports of a day, so a
// tenth more or fewer rows suggests an incomplete or a different file.
const rowsJumpShare = 0.10

// rowsJump says when tonight's extract uses a tenth more or fewer rows
// than the baseline's did, or "".
func rowsJump(before int, p Population) string {
	if !p.Extract || before <= 0 {
		return ""
	}
	change := float64(p.RowsUsed-before) / float64(before)
	if math.Abs(change) < rowsJumpShare {
		return ""
	}
	return fmt.Sprintf("this extract has %d rows used where the baseline had %d (%+.0f%%): check that it is complete and the right file", p.RowsUsed, before, 100*change)
}

// maxNoteError is the most characters of an error that a comparison's
// note quotes.
const maxNoteError = 300

// oneLine is an error for a note: its first line, with the first problem
// it lists and how many more follow, cut to maxNoteError characters.
func oneLine(err error) string {
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	s := lines[0]
	if len(lines) > 1 {
		s += " " + strings.TrimSpace(lines[1])
	}
	if n := len(lines) - 2; n > 0 {
		s += fmt.Sprintf(" (and %d more)", n)
	}
	if utf8.RuneCountInString(s) > maxNoteError {
		s = string([]rune(s)[:maxNoteError-1]) + "…"
	}
	return s
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
