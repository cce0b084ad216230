package output

import (
	"testing"

	"github.com/shopspring/decimal"
)

// TestPerYearBandsAddUpToTheCase: the Monte Carlo means per budget year of
// the JSON summary add up to the case's mean, also where draws with a low
// CWS capacity pay in years after the point profile's last (those years
// are listed with no point amount), and the point amounts per year still
// add up to the case's total.
func TestPerYearBandsAddUpToTheCase(t *testing.T) {
	res := simulated(t)
	later := false // a case with bands after its point profile
	for _, v := range newSummary(res, Provenance{}, Options{}).Variants {
		for _, c := range v.Cases {
			var bands, point decimal.Decimal
			profile := res.Case(c.ID).Profile.Years
			for _, y := range c.PerYear {
				if y.MonteCarlo == nil {
					t.Fatalf("%s %d: no band", c.ID, y.Year)
				}
				bands = bands.Add(decimal.RequireFromString(y.MonteCarlo.Mean))
				point = point.Add(decimal.RequireFromString(y.Total))
				later = later || y.Year > profile[len(profile)-1].Year
			}
			mean := decimal.RequireFromString(c.MonteCarlo.Mean)
			// Each year's mean is rounded to cents.
			if d := bands.Sub(mean).Abs(); d.GreaterThan(decimal.New(int64(len(c.PerYear)), -2)) {
				t.Errorf("%s: the years' means add up to %s, the case's mean is %s", c.ID, bands, mean)
			}
			if !point.Equal(decimal.RequireFromString(c.Total)) {
				t.Errorf("%s: the years add up to %s, the total is %s", c.ID, point, c.Total)
			}
		}
	}
	if !later {
		t.Error("no case has draws that pay after its point profile: the test checks nothing")
	}
}
