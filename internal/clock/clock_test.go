package clock

import (
	"testing"
	"time"
)

// TestToday: at 00:30 in Amsterdam (22:30 UTC the day before) today is
// the Dutch date, so a row dated today is not "in the future".
func TestToday(t *testing.T) {
	now := time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC) // 1 July 00:30 CEST
	if got := Today(now); got.Format("2006-01-02") != "2026-07-01" {
		t.Errorf("got %s, want 2026-07-01", got.Format("2006-01-02"))
	}
}

// TestDateInAmsterdam: the date of --out-dir's file names is Amsterdam's,
// in summer and winter time.
func TestDateInAmsterdam(t *testing.T) {
	tests := []struct {
		utc  string
		want string
	}{
		{"2026-10-23T22:00:00Z", "2026-10-24"}, // local midnight, summer time
		{"2026-10-25T23:00:00Z", "2026-10-26"}, // local midnight, winter time
		{"2026-10-25T22:59:59Z", "2026-10-25"},
		{"2026-12-31T23:30:00Z", "2027-01-01"},
		{"1970-01-01T00:00:00Z", "1970-01-01"},
	}
	for _, tt := range tests {
		now, err := time.Parse(time.RFC3339, tt.utc)
		if err != nil {
			t.Fatal(err)
		}
		if got := Date(now); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.utc, got, tt.want)
		}
	}
}
