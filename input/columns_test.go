package input

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

// TestColumnsTable: the one table of columns is complete: every column is
// generated, read (the ids by the parser itself) and documented in
// docs/input.md; the header must have the first five, in the contract's
// order; the generator writes the header from it.
func TestColumnsTable(t *testing.T) {
	doc, err := os.ReadFile("../docs/input.md")
	if err != nil {
		t.Fatal(err)
	}
	if columns[colID].name != "id" || columns[colDossier].name != "dossier_id" {
		t.Errorf("columns %d and %d are %s and %s, want id and dossier_id", colID, colDossier, columns[colID].name, columns[colDossier].name)
	}
	for c, col := range columns {
		if col.generate == nil || (col.set == nil) != (c == colID || c == colDossier) {
			t.Errorf("%s: generate %v, set %v", col.name, col.generate != nil, col.set != nil)
		}
		if !bytes.Contains(doc, []byte("`"+col.name+"`")) {
			t.Errorf("%s is not in docs/input.md", col.name)
		}
		if col.inHeader != (c < 5) {
			t.Errorf("%s: required in the header %v", col.name, col.inHeader)
		}
	}
	var b bytes.Buffer
	if err := Generate(&b, GenerateOptions{Rows: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || strings.Join(rows[0], ",") != strings.Join(Columns, ",") || len(rows[1]) != numColumns {
		t.Errorf("generated %v (%v)", rows, err)
	}
}
