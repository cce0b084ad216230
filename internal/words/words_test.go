package words

import "testing"

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{"": "", "Harde drempel": "harde drempel", "Éénmalig": "éénmalig", "€ 10.000": "€ 10.000", "a": "a"} {
		if got := LowerFirst(in); got != want {
			t.Errorf("LowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestList(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a en b"}, {[]string{"a", "b", "c"}, "a, b en c"}} {
		if got := List(tt.in); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUpperFirst(t *testing.T) {
	for in, want := range map[string]string{"": "", "deck": "Deck", "één": "Één", "A": "A"} {
		if got := UpperFirst(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
