package scenario

import "testing"

// BenchmarkLoadDeck is the scenario stage of every run: the built-in deck
// scenario parsed, its values checked against their types and validated.
func BenchmarkLoadDeck(b *testing.B) {
	for b.Loop() {
		if _, err := Load("deck"); err != nil {
			b.Fatal(err)
		}
	}
}
