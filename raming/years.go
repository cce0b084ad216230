package raming

import (
	"sync"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/internal/calendar"
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
	ya, ma, dd := calendar.Civil(da)
	yb, _, _ := calendar.Civil(db)
	y := yb - ya
	start := calendar.DaysFromCivil(ya+y, ma, dd)
	if start > db {
		y--
		start = calendar.DaysFromCivil(ya+y, ma, dd)
	}
	next := calendar.DaysFromCivil(ya+y+1, ma, dd)
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
