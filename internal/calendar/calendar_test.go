package calendar

import (
	"testing"
	"time"
)

// Every day from year 1 to 9999 (and some before the Unix epoch's
// century, negative years included) maps as time.Time maps it, both ways.
func TestAgreesWithTime(t *testing.T) {
	for d := time.Date(-400, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 10000; d = d.AddDate(0, 0, 1) {
		z := d.Unix() / 86400
		if d.Unix() < 0 && d.Unix()%86400 != 0 {
			z--
		}
		if got := DaysFromCivil(int64(d.Year()), int64(d.Month()), int64(d.Day())); got != z {
			t.Fatalf("DaysFromCivil(%s) = %d, want %d", d.Format("2006-01-02"), got, z)
		}
		if y, m, day := Civil(z); y != int64(d.Year()) || m != int64(d.Month()) || day != int64(d.Day()) {
			t.Fatalf("Civil(%d) = %d-%d-%d, want %s", z, y, m, day, d.Format("2006-01-02"))
		}
	}
	// A day past the month's end runs into the next month, as time.Date has it.
	if got, want := DaysFromCivil(2013, 2, 29), DaysFromCivil(2013, 3, 1); got != want {
		t.Errorf("29 February 2013 is day %d, want 1 March's %d", got, want)
	}
}
