package input

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"raming/internal/bsn"
	"raming/internal/calendar"
)

// The value parsers below do not allocate on the happy path: a million-row
// extract has thirteen million values. A problem is returned as a row-level
// sentinel plus the sentence that explains it (see RowError.Reason).

// parseBool reads ja/nee, true/false, 1/0, j/n (any case, surrounding
// spaces allowed).
func parseBool(s string) (bool, error) {
	switch a := answerOf(strings.TrimSpace(s)); a {
	case Yes, No:
		return a == Yes, nil
	}
	return false, valueError(ErrBadAnswer, "value %s is not a valid answer (use ja or nee)", quote(s))
}

// parseAnswer reads ja/nee/onbekend (any case; the bool forms too); empty
// is onbekend.
func parseAnswer(s string) (Answer, error) {
	t := strings.TrimSpace(s)
	if t == "" || strings.EqualFold(t, "onbekend") {
		return Unknown, nil
	}
	if a := answerOf(t); a != Unknown {
		return a, nil
	}
	return Unknown, valueError(ErrBadAnswer, "value %s is not a valid answer (use ja, nee or onbekend; empty is onbekend)", quote(s))
}

// answerOf maps the bool forms to Yes or No, anything else to Unknown.
func answerOf(t string) Answer {
	switch len(t) {
	case 1:
		switch t[0] {
		case '1', 'j', 'J':
			return Yes
		case '0', 'n', 'N':
			return No
		}
	case 2:
		if strings.EqualFold(t, "ja") {
			return Yes
		}
	case 3:
		if strings.EqualFold(t, "nee") {
			return No
		}
	case 4:
		if strings.EqualFold(t, "true") {
			return Yes
		}
	case 5:
		if strings.EqualFold(t, "false") {
			return No
		}
	}
	return Unknown
}

// Dates in an extract lie between these years.
const (
	minYear = 1900
	maxYear = 2100
)

// parseDate reads 2014-03-01, 01-03-2014 or 1-3-2014 (also with / or . as
// the separator, the same one twice), with or without a time of day after
// it (2014-03-01 00:00, 2014-03-01T00:00:00, 1-3-2014 0:00, as Excel writes
// dates; the time is dropped, whatever it is); with year true also a bare
// year 2014, which is 1 January. Empty is the zero (unknown) Date. A date
// that does not exist (31-02-2020) is refused, not rolled over. A value
// that is refused gets a reason that names its problem: a date that does
// not exist or lies outside 1900-2100, a two-digit year, mixed separators,
// a time that is not a time of day, a number that is no date, or not a
// date's form at all.
func parseDate(s string, year bool) (Date, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, nil
	}
	var n [3]int // the numbers
	var w [3]int // their widths in digits
	var sep byte // the separator seen first
	k, i := 0, 0
	mixed, long := false, false
scan:
	for ; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			if w[k] == 4 {
				long = true
				break scan
			}
			n[k] = n[k]*10 + int(c-'0')
			w[k]++
		case (c == '-' || c == '/' || c == '.') && k < 2 && w[k] > 0:
			if sep != 0 && c != sep {
				mixed = true
			}
			sep = c
			k++
		default:
			break scan
		}
	}
	if i == len(t) && !mixed { // the usual forms, first
		switch {
		case k == 2 && w[0] == 4 && w[1] <= 2 && w[2] >= 1 && w[2] <= 2: // YYYY-MM-DD
			if y, m, d := n[0], n[1], n[2]; y >= minYear && y <= maxYear && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) {
				return civil(y, m, d), nil
			}
		case k == 2 && w[0] <= 2 && w[1] >= 1 && w[1] <= 2 && w[2] == 4: // DD-MM-YYYY
			if d, m, y := n[0], n[1], n[2]; y >= minYear && y <= maxYear && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) {
				return civil(y, m, d), nil
			}
		case k == 0 && year && w[0] == 4 && n[0] >= minYear && n[0] <= maxYear:
			return civil(n[0], 1, 1), nil
		}
	}
	return badDate(s, t, year, n, w, k, i, mixed, long)
}

// badDate is parseDate for what is not one of the usual forms: a date
// with a time of day, or a value it refuses, with the reason.
func badDate(s, t string, year bool, n, w [3]int, k, i int, mixed, long bool) (Date, error) {
	use := "use YYYY-MM-DD or DD-MM-YYYY"
	if year {
		use = "use YYYY-MM-DD, DD-MM-YYYY or a year such as 2014"
	}
	bad := func(format string, args ...any) (Date, error) {
		return 0, valueError(ErrBadDate, "date %s "+format, append([]any{quote(s)}, args...)...)
	}
	if k == 0 && (i == len(t) || long && strings.Trim(t[i:], "0123456789") == "") { // a number
		switch {
		case len(t) == 4 && year:
			if y := n[0]; y >= minYear && y <= maxYear {
				return civil(y, 1, 1), nil
			}
			return bad("is not a year from %d to %d (%s)", minYear, maxYear, use)
		case len(t) == 4:
			return bad("is a year alone, which is a date only in start_problematiek (%s)", use)
		case len(t) == 8:
			return bad("has no separators between day, month and year (%s)", use)
		case len(t) == 5:
			return bad("is a number, not a date (an Excel date number? export the column formatted as a date; %s)", use)
		case year:
			return bad("is not a year (a year has four digits, such as 2014; or use YYYY-MM-DD or DD-MM-YYYY)")
		}
		return bad("is a number, not a date (%s)", use)
	}
	if i < len(t) && !long { // what follows the date: a time of day, or not
		if k != 2 || w[2] == 0 || (t[i] != ' ' && t[i] != 'T') {
			return bad("is not written as a date (%s)", use)
		}
		if !timeOfDay(strings.TrimSpace(t[i+1:])) {
			return bad("has a time that is not a time of day such as 00:00 or 13:45:30 (%s, with or without a time)", use)
		}
	}
	var y, m, d int
	switch {
	case long:
		return bad("has a number of more than four digits (%s)", use)
	case mixed:
		return bad("mixes separators (%s, with the same separator twice)", use)
	case k == 1 || w[2] == 0:
		return bad("is not a whole date (%s: day, month and year)", use)
	case w[0] == 4 && w[1] <= 2 && w[2] <= 2: // YYYY-MM-DD
		y, m, d = n[0], n[1], n[2]
	case w[0] <= 2 && w[1] <= 2 && w[2] == 4: // DD-MM-YYYY
		d, m, y = n[0], n[1], n[2]
	case w[0] <= 2 && w[1] <= 2 && w[2] <= 2:
		return bad("has a two-digit year (%s: write the year in full)", use)
	default:
		return bad("is not written as a date (%s)", use)
	}
	if y >= minYear && y <= maxYear && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) {
		return civil(y, m, d), nil
	}
	return bad("is not a valid date from %d to %d (%s)", minYear, maxYear, use)
}

// timeOfDay reports whether t is a time of day as spreadsheets write one:
// H:MM or HH:MM, optionally with :SS and a fraction of a second (. or ,),
// and optionally Z; hours 0-23, minutes and seconds 0-59.
func timeOfDay(t string) bool {
	t = strings.TrimSuffix(t, "Z")
	num := func(s string, digits, most int) (string, bool) {
		v, j := 0, 0
		for j < len(s) && j < digits && s[j] >= '0' && s[j] <= '9' {
			v = v*10 + int(s[j]-'0')
			j++
		}
		return s[j:], j > 0 && (j == digits || digits == 2 && j == 1 && most == 23) && v <= most
	}
	rest, ok := num(t, 2, 23)
	if !ok || !strings.HasPrefix(rest, ":") {
		return false
	}
	if rest, ok = num(rest[1:], 2, 59); !ok {
		return false
	}
	if strings.HasPrefix(rest, ":") {
		if rest, ok = num(rest[1:], 2, 59); !ok {
			return false
		}
		if rest != "" && (rest[0] == '.' || rest[0] == ',') {
			rest = strings.TrimLeft(rest[1:], "0123456789")
		}
	}
	return rest == ""
}

// daysIn is the number of days in month m of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civil returns the Date of a valid calendar date (days since 31 December
// 1899, as DateOf counts), without going through time.Time.
func civil(y, m, d int) Date {
	return Date(calendar.DaysFromCivil(int64(y), int64(m), int64(d)) - unixDay0)
}

// maxWholeDigits bounds amounts to under EUR 10^13, so that an amount's
// cents, and a percentage of them, fit an int64. Some thousands of such
// amounts add up to more than an int64 holds: the model checks its sums.
const maxWholeDigits = 13

// decimalMark is what separates an amount's decimals in a file: a point
// (a ,-separated file), a comma (a ;-separated file, a Dutch Excel
// export), or either (a tab-separated file or a workbook's text cells,
// which do not tell).
type decimalMark byte

const (
	eitherMark decimalMark = 0
	pointMark  decimalMark = '.'
	commaMark  decimalMark = ','
)

// parseMoney reads an amount in euros, never negative, with at most two
// decimals, into cents: 12345.67, 12345,67, 12.345,67, 12,345.67, each with
// an optional EUR or € before it. Empty is unknown (Known false).
//
// The separators: when both a dot and a comma occur, the last one is the
// decimal separator and the other groups thousands. When one of them occurs
// more than once, it groups thousands. When one occurs once, it is the
// decimal separator, except that it groups thousands when it is the file's
// thousands separator (a dot in a ;-separated file, a comma in a
// ,-separated file) and exactly three digits follow. So `1.500` is 1500 in
// a ;-file, and `1,500` is 1500 in a ,-file; `1,500` in a ;-file and
// `1.500` in a ,-file have three decimals and are refused as ambiguous.
// Where the file does not tell (eitherMark), a dot or comma that occurs
// once and is followed by three digits is refused as ambiguous. Thousands
// groups must have three digits.
func parseMoney(s string, mark decimalMark) (Money, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Money{}, nil
	}
	neg := false
	if t[0] == '-' {
		neg, t = true, strings.TrimSpace(t[1:])
	}
	if len(t) >= 3 && strings.EqualFold(t[:3], "eur") {
		t = strings.TrimSpace(t[3:])
	} else if strings.HasPrefix(t, "€") {
		t = strings.TrimSpace(t[len("€"):])
	}
	if !neg && t != "" && t[0] == '-' {
		neg, t = true, strings.TrimSpace(t[1:])
	}
	thousandsSep, decimalSep := byte(','), byte('.')
	example := "12345.67 or 12,345.67"
	switch mark {
	case commaMark:
		thousandsSep, decimalSep = '.', ','
		example = "12345,67 or 12.345,67"
	case eitherMark:
		thousandsSep, decimalSep = 0, 0
		example = "12345.67 or 12345,67"
	}
	bad := func(why string) (Money, error) {
		return Money{}, valueError(ErrBadMoney, "amount %s is not a valid amount (%s; write euros such as %s)", quote(s), why, example)
	}
	// Find the separators.
	dots, commas, lastDot, lastComma := 0, 0, -1, -1
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c == '.':
			dots++
			lastDot = i
		case c == ',':
			commas++
			lastComma = i
		case c < '0' || c > '9':
			return bad("only digits, one decimal separator and thousands separators")
		}
	}
	if t == "" {
		return bad("no digits")
	}
	dec := -1      // index of the decimal separator
	var group byte // the thousands separator in use, 0 if none
	switch {
	case dots > 0 && commas > 0:
		dec = max(lastDot, lastComma)
		group = ','
		if t[dec] == ',' {
			group = '.'
		}
		if (t[dec] == '.' && dots > 1) || (t[dec] == ',' && commas > 1) {
			return bad("more than one decimal separator")
		}
	case dots > 1:
		group = '.'
	case commas > 1:
		group = ','
	case dots == 1 || commas == 1:
		i := max(lastDot, lastComma)
		switch three := len(t)-i-1 == 3; {
		case three && mark == eitherMark:
			return Money{}, valueError(ErrBadMoney, "amount %s is ambiguous: the %q may separate thousands or decimals here (write whole euros without a thousands separator, or two decimals: %s)",
				quote(s), t[i], example)
		case three && t[i] == thousandsSep:
			group = t[i]
		case three && t[i] == decimalSep:
			return Money{}, valueError(ErrBadMoney, "amount %s has three decimals: in a file separated by %q the %q is the decimal separator (write %s)",
				quote(s), map[decimalMark]byte{commaMark: ';', pointMark: ','}[mark], decimalSep, example)
		default:
			dec = i
		}
	}
	whole, frac := t, ""
	if dec >= 0 {
		whole, frac = t[:dec], t[dec+1:]
		if len(frac) == 0 || len(frac) > 2 {
			return bad("one or two decimals")
		}
	}
	// Whole euros: digits, grouped by three when a thousands separator is
	// used (the first group has one to three digits).
	var cents int64
	digits, run, groups := 0, 0, 0
	for i := 0; i <= len(whole); i++ {
		if i == len(whole) || (group != 0 && whole[i] == group) {
			if run == 0 || (groups > 0 && run != 3) || (group != 0 && groups == 0 && i < len(whole) && run > 3) {
				if digits == 0 && i == len(whole) {
					return bad("no whole euros")
				}
				return bad("thousands separators every three digits")
			}
			groups++
			run = 0
			continue
		}
		c := whole[i]
		if c < '0' || c > '9' {
			return bad("only digits, one decimal separator and thousands separators")
		}
		cents = cents*10 + int64(c-'0')
		digits++
		run++
		if digits > maxWholeDigits {
			return bad(fmt.Sprintf("too large: at most %d digits before the decimals", maxWholeDigits))
		}
	}
	cents *= 100
	switch len(frac) {
	case 1:
		cents += int64(frac[0]-'0') * 10
	case 2:
		cents += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	if neg && cents > 0 {
		return Money{}, valueError(ErrNegativeMoney, "amount %s is negative (amounts are never negative)", quote(s))
	}
	return Money{Cents: cents, Known: true}, nil
}

// valueError is a row-level sentinel with the sentence that explains it.
func valueError(sentinel error, format string, args ...any) error {
	return &reasonError{sentinel: sentinel, reason: fmt.Sprintf(format, args...)}
}

// reasonError carries a sentinel and its explanation until the row's
// RowError is made.
type reasonError struct {
	sentinel error
	reason   string
}

func (e *reasonError) Error() string { return e.reason }
func (e *reasonError) Unwrap() error { return e.sentinel }

// maxQuoted is how much of a bad value a message repeats.
const maxQuoted = 40

// quote quotes a value from the input for a message, cut to maxQuoted
// characters, with the digits of any number that could be a BSN hidden
// (bsn.Mask): a message never repeats one, also not a BSN the guard let
// through because it is part of a longer value (12345678x, BSN:123456782).
// The mask is applied before the cut, so cutting cannot show part of a
// hidden number, and again after quoting, since an escape (\x01) can add
// digits to a run.
func quote(s string) string {
	s = bsn.Mask(s)
	if utf8.RuneCountInString(s) > maxQuoted {
		r := []rune(s)
		s = string(r[:maxQuoted]) + "…"
	}
	return bsn.Mask(strconv.Quote(s))
}
