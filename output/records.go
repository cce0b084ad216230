package output

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"raming/raming"
)

// WriteRecordsCSV writes variant B per record (--records): one row per
// input row and case, so any amount can be explained to the person it
// belongs to. This is the one output with person-level rows: it is not
// subject to small-cell suppression, and it is meant for the execution, not
// for publication. Text that a spreadsheet would read as a formula (= + -
// @ at the start) is prefixed with an apostrophe.
func WriteRecordsCSV(w io.Writer, caseID string, records []raming.BRecord) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "case", "access", "weight", "reason", "years_together", "problem_years", "percentage", "amount", "applicant_adjustment"}); err != nil {
		return err
	}
	for _, r := range records {
		if err := cw.Write([]string{inert(r.ID), caseID, r.Access, strconv.FormatFloat(r.Weight, 'f', 4, 64), r.Reason,
			r.YearsTogether.String(), r.ProblemYears.String(), r.Percentage.String(), r.Amount.StringFixed(2), r.ApplicantAdjustment.StringFixed(2)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// inert keeps a spreadsheet from reading text as a formula.
func inert(s string) string {
	if strings.ContainsAny(s[:min(1, len(s))], "=+-@") {
		return "'" + s
	}
	return s
}
