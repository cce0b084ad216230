package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateShowsRejectedIDs: validate lists each rejected row with its
// id, quoted so that an id with a line break or a formula stays inert text
// on the row's own line, and the JSON has the id as it was read.
func TestValidateShowsRejectedIDs(t *testing.T) {
	path := writeExtract(t, 30, "standard")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := []struct{ csv, id, printed string }{
		{`"X;=3+3;",DOS-X,nee,misschien,2014-04-22,,,,,,,,`, "X;=3+3;", `(id "X;=3+3;")`},
		{"\"N\n=1+1\",DOS-N,nee,ja,2099-01-01,,,,,,,,", "N\n=1+1", `(id "N\n=1+1")`},
		{`"Q;=HYPERLINK(""http://example.org"")",DOS-Q,nee,ja,,,,,,,,,`, `Q;=HYPERLINK("http://example.org")`, `(id "Q;=HYPERLINK(\"http://example.org\")")`},
	}
	text := strings.TrimRight(string(b), "\n")
	for _, r := range bad {
		text += "\n" + r.csv
	}
	if err := os.WriteFile(path, []byte(text+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "validate", "--population", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, r := range bad {
		found := false
		for _, line := range strings.Split(out, "\n") {
			found = found || strings.HasPrefix(line, "rejected: line ") && strings.HasSuffix(line, r.printed)
		}
		if !found {
			t.Errorf("no line \"rejected: ... %s\" in:\n%s", r.printed, out)
		}
	}
	js := filepath.Join(t.TempDir(), "v.json")
	if code, _, stderr := runCLI(t, "validate", "--population", path, "--json", js); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s struct {
		Population struct {
			Rejected []struct {
				ID string `json:"id"`
			} `json:"rejected"`
		} `json:"population"`
	}
	raw, _ := os.ReadFile(js)
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Population.Rejected) != len(bad) {
		t.Fatalf("JSON lists %d rejected rows, want %d", len(s.Population.Rejected), len(bad))
	}
	for i, r := range bad {
		if got := s.Population.Rejected[i].ID; got != r.id {
			t.Errorf("JSON rejected row %d: id %q, want %q", i, got, r.id)
		}
	}
}
