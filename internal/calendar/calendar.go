// Package calendar converts between dates of the proleptic Gregorian
// calendar and day numbers, without going through time.Time (H. Hinnant,
// "chrono-compatible low-level date algorithms"). The extract's dates
// (input) and the years between them (raming) count days with it.
package calendar

// DaysFromCivil is the Unix day (days since 1 January 1970) of year y,
// month m, day d. A day past the month's end runs into the next month
// (29 February of a common year is 1 March), as time.Date normalises it.
func DaysFromCivil(y, m, d int64) int64 {
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

// Civil is the year, month and day of Unix day z.
func Civil(z int64) (y, m, d int64) {
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
