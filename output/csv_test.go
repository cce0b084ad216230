package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"raming/raming"
)

func TestInertNeutralisesEveryPieceThatCouldStartACell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"EXP-1", "EXP-1"},
		{"", ""},
		{"=1+1", "'=1+1"},
		{"+31", "'+31"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t'=1"},
		{"X;=3+3;", "X;'=3+3;"},
		{"X,=3+3", "X,'=3+3"},
		{`Q;=HYPERLINK("http://x")`, `Q;'=HYPERLINK("http://x")`},
		{"A\n=1+1", "A\n'=1+1"},
		{"A\r\n+1", "A\r\n'+1"},
		{`X; "=1`, `X;' "=1`},
		{"A-1;B=2", "A-1;B=2"},
	} {
		if got := inert(tc.in); got != tc.want {
			t.Errorf("inert(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// injectionIDs are ids that become formulas in a spreadsheet unless every
// piece of them is neutralised: under , or ; as separator, after a line break.
var injectionIDs = []string{
	"X;=3+3;", `Q;=HYPERLINK("http://example.org/x","klik")`, "=1+1", "Y,=2+2", "Z;+4+4", "W;-5+5", "V;@SUM(1)",
	"N\n=6+6", "M\r\n=7+7", "T\t=8+8", `Q";=9+9`, `"=10+10"`, " ;=11+11",
}

// TestRecordsCSVHasNoFormulas opens the --records CSV in LibreOffice with
// ; and with , as separator, evaluating formulas as Excel does, and checks
// that no cell is a formula, whatever the ids hold.
func TestRecordsCSVHasNoFormulas(t *testing.T) {
	records := make([]raming.BRecord, len(injectionIDs))
	for i, id := range injectionIDs {
		records[i] = raming.BRecord{ID: id, Access: "ja", Weight: 1, Reason: "=reden;+" + id,
			Amount: decimal.NewFromInt(1000), ApplicantAdjustment: decimal.NewFromInt(-250)}
	}
	var buf bytes.Buffer
	if err := WriteRecordsCSV(&buf, "B-66%", records); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "records.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// The check can fail: a file that is not neutralised has formulas.
	raw := filepath.Join(dir, "raw.csv")
	if err := os.WriteFile(raw, []byte("id,x\n\"X;=3+3;\",=1+1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sep := range []string{";", ","} {
		t.Run("separator "+sep, func(t *testing.T) {
			if cells := csvInLibreOffice(t, raw, sep); !hasFormula(cells) {
				t.Fatalf("LibreOffice found no formula in a file written to have one: %+v", cells)
			}
			cells := csvInLibreOffice(t, path, sep)
			if len(cells) < len(injectionIDs) {
				t.Fatalf("LibreOffice read %d cells, want at least one per record", len(cells))
			}
			for _, c := range cells {
				if c.Formula {
					t.Errorf("row %d, column %d is a formula: %q", c.Row, c.Col, c.Content)
				}
			}
		})
	}
}

// csvCell is one cell of a CSV file as LibreOffice read it.
type csvCell struct {
	Row, Col int
	Formula  bool
	Content  string
}

func hasFormula(cells []csvCell) bool {
	for _, c := range cells {
		if c.Formula {
			return true
		}
	}
	return false
}

// csvInLibreOffice opens a CSV file in LibreOffice headless with the given
// separator (tools/lo_csv_cells.py) and returns its non-empty cells. It
// skips the test when LibreOffice is not installed, unless
// RAMING_REQUIRE_LIBREOFFICE=1.
func csvInLibreOffice(t *testing.T, path, sep string) []csvCell {
	t.Helper()
	requireLibreOffice(t)
	out, err := exec.Command("/usr/bin/python3", "../tools/lo_csv_cells.py", "--separator", sep, path).Output()
	if err != nil {
		t.Fatalf("lo_csv_cells.py: %v", err)
	}
	var cells []csvCell
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var c csvCell
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		cells = append(cells, c)
	}
	return cells
}

// TestCSVQuotesFieldsThatCouldSplit: a field with a separator, a quote, a
// line break or a tab is quoted, so it stays one cell under , or ;.
func TestCSVQuotesFieldsThatCouldSplit(t *testing.T) {
	for _, tc := range []struct {
		field string
		want  bool
	}{{"abc", false}, {"a,b", true}, {"a;b", true}, {`a"b`, true}, {"a\nb", true}, {"a\tb", true}, {" a", true}, {"", false}} {
		if got := needsQuotes(tc.field); got != tc.want {
			t.Errorf("needsQuotes(%q) = %v, want %v", tc.field, got, tc.want)
		}
	}
}
