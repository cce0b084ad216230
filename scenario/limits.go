package scenario

import (
	"fmt"
	"strconv"

	"raming/internal/words"

	"github.com/shopspring/decimal"
)

// unitMax is the largest value an assumption in each unit may take, and
// each parameter of its uncertainty with it; the smallest is 0. Every
// limit lies far above any figure of the scheme, and low enough that the
// model's sums and products stay exact in decimals and finite in float64.
var unitMax = map[Unit]decimal.Decimal{
	Persons:      decimal.New(1, 8), // 100 million: six times the population of the Netherlands
	Files:        decimal.New(1, 8),
	Share:        decimal.New(1, 0),
	EUR:          decimal.New(1, 12), // EUR 1,000 billion for one assumption
	EURPerHour:   decimal.New(1, 4),
	Hours:        decimal.New(1, 4), // per file: five working years
	Years:        decimal.New(1, 2),
	FilesPerYear: decimal.New(1, 8),
	CalendarYear: decimal.New(2100, 0),
}

// maxNumber bounds the numbers of a scenario that are not assumptions:
// the deck's printed figures, the rounded figures and discrete weights.
var maxNumber = decimal.New(1, 12)

// maxDecimals is the most decimals a number in a scenario may have.
const maxDecimals = 20

// wholeRanges are the assumptions that must be whole numbers, with their
// smallest and largest values: the budget years of the multi-year profile.
var wholeRanges = map[string][2]int64{
	"phasing.opening_year":     {2000, 2100},
	"phasing.price_level_year": {2000, 2100},
	"phasing.intake_years":     {1, 20},
	"phasing.cws_lag_years":    {0, 20},
	"phasing.cws_ramp_years":   {1, 20},
}

// unitProblem says why d cannot be a value (or an uncertainty parameter)
// in unit, and what is allowed; "" if it can.
func unitProblem(d decimal.Decimal, unit Unit) string {
	limit := unitMax[unit]
	switch {
	case d.IsNegative():
		return fmt.Sprintf("%s is negative; a value in %s cannot be below 0", show(d), unit)
	case unit == Share && d.GreaterThan(limit):
		return fmt.Sprintf("%s is not a share: it must lie between 0 and 1 (write 0.75 for 75%%)", show(d))
	case d.GreaterThan(limit):
		return fmt.Sprintf("%s is too large: a value in %s is at most %s", show(d), unit, thousands(limit))
	}
	return decimalsProblem(d)
}

// numberProblem says why d cannot be a number that is not an assumption
// (see maxNumber); "" if it can.
func numberProblem(d decimal.Decimal) string {
	switch {
	case d.IsNegative():
		return fmt.Sprintf("%s is negative; give a number from 0 to %s", show(d), thousands(maxNumber))
	case d.GreaterThan(maxNumber):
		return fmt.Sprintf("%s is too large; give a number from 0 to %s", show(d), thousands(maxNumber))
	}
	return decimalsProblem(d)
}

func decimalsProblem(d decimal.Decimal) string {
	if !d.Equal(d.Truncate(maxDecimals)) {
		return fmt.Sprintf("%s has more than %d decimals; round it", show(d), maxDecimals)
	}
	return ""
}

// wholeProblem says why d cannot be the value of an assumption that must
// be a whole number from lo to hi; "" if it can.
func wholeProblem(d decimal.Decimal, lo, hi int64) string {
	if !d.IsInteger() || d.LessThan(decimal.NewFromInt(lo)) || d.GreaterThan(decimal.NewFromInt(hi)) {
		return fmt.Sprintf("%s must be a whole number from %d to %d", show(d), lo, hi)
	}
	return ""
}

// show writes d for a message: as a decimal, or with an exponent when that
// would be long (1e308).
func show(d decimal.Decimal) string {
	if e := d.Exponent(); e < -maxDecimals || e > 15 {
		return d.Coefficient().String() + "e" + strconv.Itoa(int(e))
	}
	return d.String()
}

// thousands writes a whole number of five digits or more with thousands
// separators: 100,000,000.
func thousands(d decimal.Decimal) string {
	if s := d.String(); len(s) < 5 {
		return s
	}
	return words.Grouped(d.String())
}
