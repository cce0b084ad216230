package raming

import (
	"strings"
	"testing"
)

// TestRowsJump: a comparison says when tonight's extract uses a tenth more
// or fewer rows than the baseline's did, and not for smaller changes nor
// without an extract.
func TestRowsJump(t *testing.T) {
	for _, tc := range []struct {
		before, now int
		extract     bool
		want        string
	}{
		{11000, 30, true, "30 rows used where the baseline had 11000 (-100%)"},
		{2000, 1800, true, "(-10%)"},
		{2000, 1801, true, ""},
		{2000, 2199, true, ""},
		{2000, 2200, true, "(+10%)"},
		{0, 30, true, ""},
		{11000, 30, false, ""},
	} {
		got := rowsJump(tc.before, Population{Extract: tc.extract, RowsUsed: tc.now})
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%d → %d rows (extract %v): %q, want %q", tc.before, tc.now, tc.extract, got, tc.want)
		}
	}
}
