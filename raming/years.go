package raming

import (
	"sync"

	"github.com/shopspring/decimal"

	"raming/input"
)

// yearsBetween counts years from a to b: whole years by anniversary, then
// the days left as a fraction of the days to the next anniversary (so
// 2014-01-01 to 2015-07-02 is 1 + 182/365). Negative spans count 0. An
// anniversary of 29 February falls on 1 March in other years, as
// time.Time.AddDate has it; an unknown date counts as time.Time's zero,
// 1 January of year 1.
//
// It works in whole days (a record's every rule asks, twice), and takes
// the fraction from a table of the 732 that can occur: the figures, and
// their exponent, are those of y + the decimal division days ÷
// days-in-year to divPlaces.
func yearsBetween(a, b input.Date) decimal.Decimal {
	da, db := a.UnixDay(), b.UnixDay()
	if db <= da {
		return decimal.Zero
	}
	ya, ma, dd := civil(da)
	yb, _, _ := civil(db)
	y := yb - ya
	start := daysFromCivil(ya+y, ma, dd)
	if start > db {
		y--
		start = daysFromCivil(ya+y, ma, dd)
	}
	next := daysFromCivil(ya+y+1, ma, dd)
	return decimal.New(y*yearUnit+yearFractions()[next-start-365][db-start], -divPlaces)
}

// yearUnit is one year in units of 10^-divPlaces.
var yearUnit = decimal.New(1, divPlaces).IntPart()

// yearFractions holds days ÷ 365 and days ÷ 366 for days 0 to 365, rounded
// to divPlaces, in units of 10^-divPlaces.
var yearFractions = sync.OnceValue(func() *[2][366]int64 {
	var t [2][366]int64
	for in := range t {
		length := decimal.NewFromInt(int64(365 + in))
		for days := range t[in] {
			t[in][days] = decimal.NewFromInt(int64(days)).DivRound(length, divPlaces).Shift(divPlaces).IntPart()
		}
	}
	return &t
})

// civil is the proleptic Gregorian year, month and day of Unix day z
// (H. Hinnant, "chrono-compatible low-level date algorithms").
func civil(z int64) (y, m, d int64) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// daysFromCivil is the Unix day of year y, month m, day d. A day past the
// month's end runs into the next month (29 February of a common year is
// 1 March), as time.Date normalises it.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
