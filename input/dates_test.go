package input

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestDatesWithTime: a date with a time of day, as Excel writes dates in a
// CSV export, is the date (the time dropped, also one that is not
// midnight). Before, each such row was rejected as "not a valid date from
// 1900 to 2100" and left the estimate quietly.
func TestDatesWithTime(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2014-04-22 00:00", "2014-04-22"},
		{"2014-04-22T00:00:00", "2014-04-22"},
		{"22-4-2014 0:00", "2014-04-22"},
		{"22-04-2014 00:00:00", "2014-04-22"},
		{"22-4-2014 13:45", "2014-04-22"},
		{"2014-04-22 23:59:59", "2014-04-22"},
		{"2014-04-22T08:30:00.000Z", "2014-04-22"},
		{"2014-04-22 08:30:00,25", "2014-04-22"},
		{"22/4/2014 0:00", "2014-04-22"},
		{" 22.4.2014  0:00 ", "2014-04-22"},
	} {
		got, err := parseDate(tt.in, false)
		if err != nil || got.String() != tt.want {
			t.Errorf("parseDate(%q): got %q, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	// In an extract: every row used.
	var b strings.Builder
	b.WriteString(header)
	for i := range 20 {
		fmt.Fprintf(&b, "EXP-%d,D,nee,ja,22-4-2014 0:00,2016-01-01T00:00:00,2021-05-01 00:00,,,,,,\n", i)
	}
	pop, err := Read(strings.NewReader(b.String()), Options{Source: "t", Today: today})
	if err != nil || len(pop.Records) != 20 || pop.Records[0].ProblemStart.String() != "2014-04-22" || pop.Records[0].EndTogether.String() != "2016-01-01" {
		t.Errorf("got %v, %v; want 20 records starting 2014-04-22", err, pop)
	}
}

// TestDateReasons: a date that is still refused gets a reason that names
// its problem, not "not a valid date from 1900 to 2100" for a value that
// is no date at all.
func TestDateReasons(t *testing.T) {
	for _, tt := range []struct {
		in     string
		year   bool
		reason string
	}{
		{"31-02-2016", false, `date "31-02-2016" is not a valid date from 1900 to 2100 (use YYYY-MM-DD or DD-MM-YYYY)`},
		{"01-03-1899", false, `date "01-03-1899" is not a valid date from 1900 to 2100`},
		{"1899", true, `date "1899" is not a year from 1900 to 2100 (use YYYY-MM-DD, DD-MM-YYYY or a year such as 2014)`},
		{"2014", false, `date "2014" is a year alone, which is a date only in start_problematiek (use YYYY-MM-DD or DD-MM-YYYY)`},
		{"14", true, `date "14" is not a year (a year has four digits, such as 2014; or use YYYY-MM-DD or DD-MM-YYYY)`},
		{"14", false, `date "14" is a number, not a date (use YYYY-MM-DD or DD-MM-YYYY)`},
		{"20140301", false, `date "••••••••" has no separators between day, month and year (use YYYY-MM-DD or DD-MM-YYYY)`},
		{"41751", false, `date "41751" is a number, not a date (an Excel date number? export the column formatted as a date; use YYYY-MM-DD or DD-MM-YYYY)`},
		{"1-3-14", false, `date "1-3-14" has a two-digit year (use YYYY-MM-DD or DD-MM-YYYY: write the year in full)`},
		{"1-3/2014", false, `date "1-3/2014" mixes separators (use YYYY-MM-DD or DD-MM-YYYY, with the same separator twice)`},
		{"1-3", false, `date "1-3" is not a whole date (use YYYY-MM-DD or DD-MM-YYYY: day, month and year)`},
		{"1-1-20144", false, `date "1-1-20144" has a number of more than four digits`},
		{"2014-04-22 24:00", false, `date "2014-04-22 24:00" has a time that is not a time of day such as 00:00 or 13:45:30 (use YYYY-MM-DD or DD-MM-YYYY, with or without a time)`},
		{"2014-04-22 0:0", false, `has a time that is not a time of day`},
		{"2014-04-22 12", false, `has a time that is not a time of day`},
		{"2014-04-22 12:00 uur", false, `has a time that is not a time of day`},
		{"22 april 2014", false, `date "22 april 2014" is not written as a date (use YYYY-MM-DD or DD-MM-YYYY)`},
		{"ja", false, `date "ja" is not written as a date`},
		{"2014-04-22x", false, `date "2014-04-22x" is not written as a date`},
	} {
		_, err := parseDate(tt.in, tt.year)
		if !errors.Is(err, ErrBadDate) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("parseDate(%q, %v): got %v, want %q", tt.in, tt.year, err, tt.reason)
		}
	}
}
