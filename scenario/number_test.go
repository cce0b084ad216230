package scenario

import (
	"strings"
	"testing"
)

// TestParseNumber: a number as a Dutch user types it for --set: a decimal
// comma or point, a share as a percentage; a comma that could separate
// thousands is refused with both readings.
func TestParseNumber(t *testing.T) {
	tests := []struct {
		name, text string
		unit       Unit
		want       string // the value, or the start of the message after "ERR "
	}{
		{"decimal point", "0.7", Share, "0.7"},
		{"decimal comma", "0,7", Share, "0.7"},
		{"percentage", "70%", Share, "0.7"},
		{"percentage with a comma", "12,5%", Share, "0.125"},
		{"percentage with a space", "70 %", Share, "0.7"},
		{"comma, two decimals", "0,75", Share, "0.75"},
		{"comma, three decimals after 0", "0,125", Share, "0.125"},
		{"comma in an amount", "10000,50", EUR, "10000.5"},
		{"exponent", "1e6", EUR, "1000000"},
		{"negative with a comma", "-0,5", Share, "-0.5"},
		{"thousands or decimal", "1,000", EUR, `ERR "1,000" could be 1 (a decimal comma) or 1000 (a thousands separator): write 1 or 1000`},
		{"thousands or decimal, 12,500", "12,500", Persons, `ERR "12,500" could be 12.5 (a decimal comma) or 12500`},
		{"Dutch thousands point", "15.000", EUR, `ERR "15.000" could be 15 (a decimal point) or 15000 (a Dutch thousands separator): write 15 or 15000`},
		{"Dutch thousands point in persons", "11.000", Persons, `ERR "11.000" could be 11 (a decimal point) or 11000`},
		{"three decimals after 0", "0.125", Share, "0.125"},
		{"four decimals", "1.1250", Years, "1.125"},
		{"two points", "11.000.000", Persons, `ERR "11.000.000": write the number without thousands separators, e.g. 11000000`},
		{"comma and point", "1.000,5", EUR, `ERR "1.000,5" has both a comma and a point`},
		{"two commas", "1,000,000", EUR, `ERR "1,000,000": write the number without thousands separators, e.g. 1000000`},
		{"a space inside", "10 000", EUR, `ERR "10 000": write the number without spaces`},
		{"percentage of an amount", "70%", EUR, `ERR "70%": a percentage is only for a share`},
		{"not a number", "zeventig", Share, `ERR "zeventig" is not a number`},
		{"empty", "", Share, `ERR "" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseNumber(tt.text, tt.unit)
			if want, ok := strings.CutPrefix(tt.want, "ERR "); ok {
				if err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("got %v, %v; want the error %s...", d, err, want)
				}
				return
			}
			if err != nil || d.String() != tt.want {
				t.Errorf("got %v, %v; want %s", d, err, tt.want)
			}
		})
	}
}

// FuzzParseNumber: no input panics, and what is read back is what a
// plain decimal reading of the same digits gives.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"0,7", "70%", "1,000", "15.000", "1,1250", "1.000,5", "-0,5", "1e6", "", "%", ",", "0,", ",5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseNumber(s, Share)
		if err != nil {
			return
		}
		text := d.String() // with a 0 after three decimals: never read as thousands
		if _, frac, ok := strings.Cut(text, "."); ok && len(frac) == 3 {
			text += "0"
		}
		back, err := ParseNumber(text, Share)
		if err != nil || !back.Equal(d) {
			t.Errorf("%q read as %s, which reads back as %v, %v", s, d, back, err)
		}
	})
}
