package raming

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"raming/input"
)

// yearsBetweenByTime is the definition yearsBetween computes in whole
// days: anniversaries by time.Time.AddDate, the days left divided by the
// days to the next anniversary.
func yearsBetweenByTime(a, b time.Time) decimal.Decimal {
	if !b.After(a) {
		return decimal.Zero
	}
	y := b.Year() - a.Year()
	if a.AddDate(y, 0, 0).After(b) {
		y--
	}
	start := a.AddDate(y, 0, 0)
	next := a.AddDate(y+1, 0, 0)
	days := decimal.NewFromInt(int64(b.Sub(start).Hours() / 24))
	in := decimal.NewFromInt(int64(next.Sub(start).Hours() / 24))
	return decimal.NewFromInt(int64(y)).Add(days.DivRound(in, divPlaces))
}

func TestYearsBetween(t *testing.T) {
	d := func(y int, m time.Month, day int) input.Date {
		return input.DateOf(time.Date(y, m, day, 0, 0, 0, 0, time.UTC))
	}
	for _, c := range []struct {
		a, b input.Date
		want string
	}{
		{d(2014, 1, 1), d(2015, 7, 2), "1.498630136986"}, // 1 + 182/365
		{d(2014, 1, 1), d(2016, 7, 2), "2.5"},            // 2 + 183/366
		{d(2014, 1, 1), d(2014, 1, 1), "0"},
		{d(2016, 1, 1), d(2014, 1, 1), "0"},
		{d(2012, 2, 29), d(2013, 3, 1), "1"},               // the anniversary of 29 February is 1 March
		{d(2012, 2, 29), d(2013, 2, 28), "0.997267759563"}, // 365/366
		{d(2012, 2, 29), d(2016, 2, 29), "4"},
		{d(2015, 3, 1), d(2016, 2, 29), "0.997267759563"}, // 365/366: the leap day falls in the year
	} {
		if got := yearsBetween(c.a, c.b); got.String() != c.want {
			t.Errorf("yearsBetween(%s, %s) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}

// TestYearsBetweenAsByTime: whole days give the figures of the definition
// by time.Time to the last decimal and in the same representation, on
// random dates from 1900 to 2100 (leap days and the turns of centuries
// included) and with an unknown date.
func TestYearsBetweenAsByTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	lo, hi := input.DateOf(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)), input.DateOf(time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC))
	leap := input.DateOf(time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC))
	pick := func() input.Date {
		switch rng.IntN(20) {
		case 0:
			return 0
		case 1:
			return leap.AddDate(4*rng.IntN(25)-48, 0, 0)
		}
		return lo + input.Date(rng.Int32N(int32(hi-lo)))
	}
	for range 200000 {
		a := pick()
		b := a + input.Date(rng.Int32N(20*366)) - 366
		if rng.IntN(4) == 0 {
			b = pick()
		}
		got, want := yearsBetween(a, b), yearsBetweenByTime(a.Time(), b.Time())
		if got.String() != want.String() || got.Exponent() != want.Exponent() {
			t.Fatalf("yearsBetween(%s, %s) = %s (exponent %d), by time %s (exponent %d)", a, b, got, got.Exponent(), want, want.Exponent())
		}
	}
}
