package output

import (
	"io"
	"strconv"

	"raming/raming"
)

// recordRow is one row of the --records CSV.
type recordRow struct {
	ID                  text   `csv:"id"`
	Case                text   `csv:"case"`
	Access              string `csv:"access"`
	Weight              string `csv:"weight"`
	Reason              text   `csv:"reason"`
	YearsTogether       string `csv:"years_together"`
	ProblemYears        string `csv:"problem_years"`
	Percentage          string `csv:"percentage"`
	Amount              string `csv:"amount"`
	ApplicantAdjustment string `csv:"applicant_adjustment"`
}

// WriteRecordsCSV writes variant B per record (--records): one row per
// input row and case, so any amount can be explained to the person it
// belongs to. This is the one output with person-level rows: it is not
// subject to small-cell suppression, and it is meant for the execution, not
// for publication. Text fields are neutralised against formulas (see text).
func WriteRecordsCSV(w io.Writer, caseID string, records []raming.BRecord, d Dialect) error {
	rows := make([]recordRow, len(records))
	for i, r := range records {
		rows[i] = recordRow{ID: text(r.ID), Case: text(caseID), Access: r.Access, Weight: strconv.FormatFloat(r.Weight, 'f', 4, 64),
			Reason: text(r.Reason), YearsTogether: r.YearsTogether.String(), ProblemYears: r.ProblemYears.String(),
			Percentage: r.Percentage.String(), Amount: r.Amount.StringFixed(2), ApplicantAdjustment: r.ApplicantAdjustment.StringFixed(2)}
	}
	return writeCSV(w, rows, d, recordColumns)
}

// recordColumns name the --records columns in Dutch.
var recordColumns = map[string]csvColumn{
	"id": {dutch: "Id"}, "case": {dutch: "Geval"}, "access": {dutch: "Toegang"},
	"weight":         {dutch: "Kans op toegang", number: true},
	"reason":         {dutch: "Reden"},
	"years_together": {dutch: "Jaren samen", number: true}, "problem_years": {dutch: "Jaren problematiek", number: true},
	"percentage": {dutch: "Percentage", number: true}, "amount": {dutch: "Bedrag (euro)", number: true},
	"applicant_adjustment": {dutch: "Correctie aanvrager (euro)", number: true},
}
