package input

import (
	"reflect"
	"testing"
)

// TestRejectedSummary: the reasons rows were rejected for are counted by
// column and problem (never by a row's value), the most common first and,
// of equally common ones, the first met first; the summary names the
// three most common.
func TestRejectedSummary(t *testing.T) {
	p := &Population{RowsRead: 1000, Rejected: []*RowError{
		{Line: 2, Column: "gedupeerd", Err: ErrBadAnswer, Detail: `"misschien" is not an answer`},
		{Line: 3, Err: ErrFieldCount},
		{Line: 4, Column: "start_problematiek", Err: ErrBadDate, Detail: `date "2014-13-45"`},
		{Line: 5, Column: "gedupeerd", Err: ErrBadAnswer, Detail: `"wellicht" is not an answer`},
		{Line: 6, Column: "id", Err: ErrDuplicateID},
	}}
	want := []RejectedReason{{"gedupeerd: not a valid answer", 2}, {"wrong number of fields", 1}, {"start_problematiek: not a valid date", 1}}
	if got := p.CommonReasons(3); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	const summary = "5 of 1000 rows rejected (0.5%); most common: gedupeerd: not a valid answer (2 rows), wrong number of fields (1 row), start_problematiek: not a valid date (1 row)"
	if got := p.RejectedSummary(); got != summary {
		t.Errorf("got %q\nwant %q", got, summary)
	}
	if got := (&Population{RowsRead: 5}).RejectedSummary(); got != "" {
		t.Errorf("no row rejected: got %q, want none", got)
	}
	if got := (&Population{RowsRead: 20000, Rejected: p.Rejected[:1]}).RejectedSummary(); got != "1 of 20000 rows rejected (<0.1%); most common: gedupeerd: not a valid answer (1 row)" {
		t.Errorf("got %q", got)
	}
}
