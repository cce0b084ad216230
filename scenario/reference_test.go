package scenario

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated files (make docs)")

// TestReferenceIsCurrent fails when docs/scenario-reference.md is stale.
func TestReferenceIsCurrent(t *testing.T) {
	sc, err := Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	const path = "../docs/scenario-reference.md"
	got := Reference(sc)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Errorf("%s is stale or missing: run `make docs`", path)
	}
}
