package input

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseBool reads ja/nee, true/false, 1/0, j/n (any case).
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ja", "true", "1", "j":
		return true, nil
	case "nee", "false", "0", "n":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q (use ja or nee)", ErrBadAnswer, s)
}

// parseAnswer reads ja/nee/onbekend (any case, also the bool forms);
// empty is onbekend.
func parseAnswer(s string) (Answer, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "onbekend", "?":
		return Unknown, nil
	case "ja", "true", "1", "j":
		return Yes, nil
	case "nee", "false", "0", "n":
		return No, nil
	}
	return Unknown, fmt.Errorf("%w: %q (use ja, nee or onbekend)", ErrBadAnswer, s)
}

// parseDate reads 2014-03-01, 01-03-2014 or 1-3-2014 (also with / or .);
// with year true a bare year 2014 means 1 January. Empty is the zero time.
func parseDate(s string, year bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if year && len(s) == 4 {
		if y, err := strconv.Atoi(s); err == nil && y >= 1900 && y <= 2100 {
			return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), nil
		}
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) == 3 {
		var y, m, d int
		var err1, err2, err3 error
		if len(parts[0]) == 4 { // YYYY-MM-DD
			y, err1 = strconv.Atoi(parts[0])
			m, err2 = strconv.Atoi(parts[1])
			d, err3 = strconv.Atoi(parts[2])
		} else if len(parts[2]) == 4 { // DD-MM-YYYY
			d, err1 = strconv.Atoi(parts[0])
			m, err2 = strconv.Atoi(parts[1])
			y, err3 = strconv.Atoi(parts[2])
		} else {
			err1 = ErrBadDate
		}
		if err1 == nil && err2 == nil && err3 == nil && y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d { // 31-02-2020 rolls over: refuse it
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q (use YYYY-MM-DD or DD-MM-YYYY)", ErrBadDate, s)
}

// parseMoney reads euros with at most two decimals: 12345.67, 12345,67,
// 12.345,67, 12,345.67, with an optional EUR or € before it. A single
// separator followed by exactly three digits is a thousands separator when
// it is the file's thousands separator (a dot in a ;-file, a comma in a
// ,-file); otherwise it is the decimal separator. Empty is unknown.
func parseMoney(s string, decimalComma bool) (Money, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Money{}, nil
	}
	for _, p := range []string{"EUR", "eur", "€"} {
		t = strings.TrimSpace(strings.TrimPrefix(t, p))
	}
	t = strings.ReplaceAll(t, " ", "")
	t = strings.ReplaceAll(t, "\u00a0", "")
	neg := strings.HasPrefix(t, "-")
	if neg {
		t = t[1:]
	}
	lastDot, lastComma := strings.LastIndex(t, "."), strings.LastIndex(t, ",")
	dec := -1 // index of the decimal separator
	switch {
	case lastDot >= 0 && lastComma >= 0:
		dec = max(lastDot, lastComma) // the later one is the decimal separator
	case lastDot >= 0 || lastComma >= 0:
		i := max(lastDot, lastComma)
		sep := t[i]
		thousands := (sep == '.' && decimalComma) || (sep == ',' && !decimalComma)
		if !(thousands && len(t)-i-1 == 3) {
			if strings.Count(t, string(sep)) == 1 {
				dec = i
			}
		}
	}
	whole, frac := t, ""
	if dec >= 0 {
		whole, frac = t[:dec], t[dec+1:]
	}
	whole = stripSeparators(whole)
	if whole == "" || len(frac) > 2 || !digits(whole) || !digits(frac) || len(whole) > 13 {
		return Money{}, fmt.Errorf("%w: %q (write euros with at most two decimals, e.g. 12345,67)", ErrBadMoney, s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	c, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Money{}, fmt.Errorf("%w: %q", ErrBadMoney, s)
	}
	if neg && c > 0 {
		return Money{}, fmt.Errorf("%w: %q (amounts are never negative)", ErrNegativeMoney, s)
	}
	return Money{Cents: c, Known: true}, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// stripSeparators drops thousands separators ('.' and ',').
func stripSeparators(s string) string {
	if !strings.ContainsAny(s, ".,") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && s[i] != ',' {
			b = append(b, s[i])
		}
	}
	return string(b)
}
