// Package clock is the time of a run: SOURCE_DATE_EPOCH when set (the
// reproducible-builds convention), else now; and the calendar date in the
// Netherlands at it, whatever the machine's time zone. The zone database
// is embedded (time/tzdata), so Europe/Amsterdam loads on a machine
// without one.
package clock

import (
	"fmt"
	"os"
	"strconv"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database
)

// Dutch is the scheme's time zone, Europe/Amsterdam.
var Dutch = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err) // cannot happen: time/tzdata is embedded
	}
	return loc
}()

// LastEpoch is the last SOURCE_DATE_EPOCH accepted: the end of 9999 in
// the Netherlands, so every date written has four digits.
var LastEpoch = time.Date(9999, 12, 31, 23, 59, 59, 0, Dutch).Unix()

// Now is the time of the run, in UTC: SOURCE_DATE_EPOCH (seconds since
// 1970) when set, else now. A value before 1970 or after 9999, such as
// one in milliseconds, is an error that says what to give.
func Now() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Now().UTC(), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > LastEpoch {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: give the run time in seconds since 1970, from 0 to %d (the year 9999), as `date +%%s` prints it (not in milliseconds)", s, LastEpoch)
	}
	return time.Unix(n, 0).UTC(), nil
}

// Today is the calendar date in the Netherlands at now, as midnight UTC
// like the extract's dates: a row dated today is not in the future, even
// in the first hours of the Dutch day.
func Today(now time.Time) time.Time {
	y, m, d := now.In(Dutch).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Date is the calendar date in the Netherlands at now, YYYY-MM-DD.
func Date(now time.Time) string {
	return now.In(Dutch).Format(time.DateOnly)
}
