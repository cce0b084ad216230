package suggest

import "testing"

func TestNearest(t *testing.T) {
	cands := []string{"run", "validate", "generate", "sweep", "scenario"}
	tests := []struct {
		word, want string
		ok         bool
	}{
		{"rnu", "run", true},
		{"valdiate", "validate", true},
		{"Sweep", "sweep", true},
		{"xyzzy", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Nearest(tt.word, cands)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Nearest(%q): got %q %v, want %q %v", tt.word, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"run", "rnu", 1}, {"€15k", "€16k", 1}} {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q): got %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
