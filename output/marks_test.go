package output

import "testing"

// TestRefersToMarked finds the references of a formula, on its own sheet
// and on others, in ranges, next to each other, and not in names or texts.
func TestRefersToMarked(t *testing.T) {
	wb := &workbook{}
	marked := map[string]map[string]bool{"Budget": {"C7": true}, "A Forfaitair": {"B8": true}, "Populatie": {"F12": true}}
	for _, tt := range []struct {
		f    string
		want bool
	}{
		{"B7+C7", true},
		{"C7", true},
		{"SUM(B7:D7)", true},
		{"SUM(B6:D6)", false},
		{"B6+B8", false},
		{"$C$7*2", true},
		{"'A Forfaitair'!B8", true},
		{"'A Forfaitair'!B7", false},
		{"MIN('A Forfaitair'!B7:C8)", true},
		{"Populatie!$F$12/2", true},
		{"grootheid_C7+aanname_A_15k", false},
		{`IF(B1>0,"C7","")`, false},
		{"ROUND(M9-(x),2)", false},
	} {
		if got := wb.refersToMarked("Budget", tt.f, marked); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.f, got, tt.want)
		}
	}
}
