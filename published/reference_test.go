package published

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated files (make docs)")

// TestReferenceIsCurrent fails when docs/published-reference.md is stale.
func TestReferenceIsCurrent(t *testing.T) {
	s, err := Load("ex-partners")
	if err != nil {
		t.Fatal(err)
	}
	const path = "../docs/published-reference.md"
	got := Reference(s)
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
