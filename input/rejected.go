package input

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// RejectedReason is a reason rows of the extract were rejected for, and
// how many were.
type RejectedReason struct {
	// Reason is the column and the problem, without a row's value (so it
	// can never repeat one): "start_problematiek: not a valid date", or
	// the problem alone for the row as a whole ("wrong number of fields").
	Reason string
	Rows   int
}

// CommonReasons returns the reasons rows were rejected for, the most
// common first (of equally common ones, the first met first), at most n.
func (p *Population) CommonReasons(n int) []RejectedReason {
	var reasons []RejectedReason
	at := map[string]int{}
	for _, r := range p.Rejected {
		reason := r.Err.Error()
		if r.Column != "" {
			reason = r.Column + ": " + reason
		}
		i, ok := at[reason]
		if !ok {
			i = len(reasons)
			at[reason] = i
			reasons = append(reasons, RejectedReason{Reason: reason})
		}
		reasons[i].Rows++
	}
	slices.SortStableFunc(reasons, func(a, b RejectedReason) int { return cmp.Compare(b.Rows, a.Rows) })
	return reasons[:min(n, len(reasons))]
}

// RejectedShare is the share of the rows read that were rejected (0 when
// none were read).
func (p *Population) RejectedShare() float64 {
	if p.RowsRead == 0 {
		return 0
	}
	return float64(len(p.Rejected)) / float64(p.RowsRead)
}

// RejectedSummary says in one line how many rows were rejected, of how
// many, and the three most common reasons: "12 of 11000 rows rejected
// (0.1%); most common: start_problematiek: not a valid date (8 rows), ...".
// "" when no row was rejected.
func (p *Population) RejectedSummary() string {
	if len(p.Rejected) == 0 {
		return ""
	}
	var reasons []string
	for _, r := range p.CommonReasons(3) {
		rows := "rows"
		if r.Rows == 1 {
			rows = "row"
		}
		reasons = append(reasons, fmt.Sprintf("%s (%d %s)", r.Reason, r.Rows, rows))
	}
	return fmt.Sprintf("%d of %d rows rejected (%s); most common: %s", len(p.Rejected), p.RowsRead, percent(p.RejectedShare()), strings.Join(reasons, ", "))
}

// percent writes a share as a percentage with one decimal, or "<0.1%".
func percent(share float64) string {
	if share > 0 && share < 0.001 {
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*share)
}
