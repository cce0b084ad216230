package words

import "testing"

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{"": "", "Harde drempel": "harde drempel", "Éénmalig": "éénmalig", "€ 10.000": "€ 10.000", "a": "a"} {
		if got := LowerFirst(in); got != want {
			t.Errorf("LowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
