package scenario

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// ParseNumber reads a number as a user types it on the command line (--set)
// for an assumption of the given unit: with a decimal point (0.7) or, as
// Dutch users write it, a decimal comma (0,7); a share also as a
// percentage (70%). A comma or a point followed by exactly three digits
// after a whole number (1,000, 12,500; 15.000, as Dutch users write
// fifteen thousand) could be a thousands separator and is refused with
// both readings, as is a number with both a comma and a point, with two
// of either, or with a space: the user says which they meant.
func ParseNumber(text string, unit Unit) (decimal.Decimal, error) {
	s := strings.TrimSpace(text)
	percent := false
	if t, ok := strings.CutSuffix(s, "%"); ok {
		if unit != Share {
			return decimal.Decimal{}, fmt.Errorf("%q: a percentage is only for a share; this value is in %s", text, unit)
		}
		s, percent = strings.TrimSpace(t), true
	}
	if strings.ContainsAny(s, " \u00a0\u202f") {
		return decimal.Decimal{}, fmt.Errorf("%q: write the number without spaces, e.g. 10000", text)
	}
	comma, point := strings.Count(s, ","), strings.Count(s, ".")
	switch {
	case comma > 0 && point > 0:
		return decimal.Decimal{}, fmt.Errorf("%q has both a comma and a point: write the number without a thousands separator, with one decimal point or comma (10000.5 or 10000,5)", text)
	case comma > 1:
		return decimal.Decimal{}, fmt.Errorf("%q: write the number without thousands separators, e.g. %s", text, strings.ReplaceAll(s, ",", ""))
	case point > 1:
		return decimal.Decimal{}, fmt.Errorf("%q: write the number without thousands separators, e.g. %s", text, strings.ReplaceAll(s, ".", ""))
	case point == 1:
		whole, frac, _ := strings.Cut(s, ".")
		if thousandsSeparated(whole, frac) {
			return decimal.Decimal{}, fmt.Errorf("%q could be %s (a decimal point) or %s (a Dutch thousands separator): write %s or %s",
				text, strings.TrimRight(strings.TrimRight(s, "0"), "."), whole+frac, strings.TrimRight(strings.TrimRight(s, "0"), "."), whole+frac)
		}
	case comma == 1:
		whole, frac, _ := strings.Cut(s, ",")
		if thousandsSeparated(whole, frac) {
			dec, _ := decimal.NewFromString(whole + "." + frac)
			return decimal.Decimal{}, fmt.Errorf("%q could be %s (a decimal comma) or %s (a thousands separator): write %s or %s",
				text, dec, whole+frac, dec, whole+frac)
		}
		s = whole + "." + frac
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%q is not a number (write 0.75 or 0,75; a share also as 75%%)", text)
	}
	if percent {
		d = d.Shift(-2)
	}
	return d, nil
}

// thousandsSeparated reports whether whole,frac could be a number with a thousands
// separator: one to three digits, not a lone 0, and exactly three digits
// after the comma or point (1,000; 12.500; but not 0,125, 0.125 or 2,5).
func thousandsSeparated(whole, frac string) bool {
	w := strings.TrimPrefix(whole, "-")
	return len(frac) == 3 && digits(frac) && len(w) >= 1 && len(w) <= 3 && digits(w) && strings.TrimLeft(w, "0") != ""
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
