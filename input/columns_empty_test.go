package input

import (
	"errors"
	"strings"
	"testing"
)

// TestEmptyNamedColumns: Excel's trailing empty columns (a header
// ...,schrijnend,,, and rows ending in ,,,) are ignored without a flag,
// as long as they are empty in every row; a value under a column without a
// name is still an unknown column (or, past the header, a field-count
// error), and still passes the guard. Before, the header alone was refused
// as having unknown columns.
func TestEmptyNamedColumns(t *testing.T) {
	head := strings.TrimSuffix(header, "\n") + ",,,\n"
	row := "EXP-1,D,nee,ja,2014,,,,,,,,ja,,,\n"
	tests := []struct {
		name, src string
		ignore    bool
		err       error
		msg       string // of the error, or the warnings
		rejected  int
	}{
		{"trailing empty columns", head + row + "EXP-2,D,nee,ja,2014,,,,,,,,,,,\r\n", false, nil, "", 0},
		{"an empty column in the middle", "id,,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek\nEXP-1,,D,nee,ja,2014\nEXP-2, ,D,nee,ja,2014\n", false, nil, "", 0},
		{"a value under one", head + row + "EXP-2,D,nee,ja,2014,,,,,,,,,,x,\n", false, ErrUnknownColumn,
			"t, line 3, column #15 (no name): unknown column: the column has no name in the header but a value on this line", 0},
		{"a value under one, ignored", head + row + "EXP-2,D,nee,ja,2014,,,,,,,,,,x,\n", true, nil,
			"ignored columns without a name in the header that hold values: #15 (no name)", 0},
		{"a value past the header", head + row + "EXP-2,D,nee,ja,2014,,,,,,,,,,,,x\n", false, nil, "", 1},
		{"a BSN under one", head + row + "EXP-2,D,nee,ja,2014,,,,,,,,,,123456782,\n", true, ErrNotPseudonymised,
			"t, line 3, column #15 (no name): the extract is not pseudonymised", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop, err := Read(strings.NewReader(tt.src), Options{Source: "t", IgnoreUnknownColumns: tt.ignore})
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
					t.Fatalf("got %v, want %q", err, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w := strings.Join(pop.Warnings, "; "); w != tt.msg || len(pop.Rejected) != tt.rejected || pop.RowsRead != 2 {
				t.Errorf("got warnings %q, %d of %d rows rejected; want %q, %d of 2", w, len(pop.Rejected), pop.RowsRead, tt.msg, tt.rejected)
			}
			if tt.rejected > 0 && !errors.Is(pop.Rejected[0], ErrFieldCount) {
				t.Errorf("got %v, want a field-count error", pop.Rejected[0])
			}
		})
	}
}
