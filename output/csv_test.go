package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"raming/raming"
	"raming/scenario"
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
	dir := t.TempDir()
	var paths []string
	for _, d := range []Dialect{Standard, Dutch} {
		var buf bytes.Buffer
		if err := WriteRecordsCSV(&buf, "B-66%", records, d); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("records-%d.csv", d))
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
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
			for _, path := range paths {
				cells := csvInLibreOffice(t, path, sep)
				if len(cells) < len(injectionIDs) {
					t.Fatalf("LibreOffice read %d cells, want at least one per record", len(cells))
				}
				for _, c := range cells {
					if c.Formula {
						t.Errorf("%s: row %d, column %d is a formula: %q", filepath.Base(path), c.Row, c.Col, c.Content)
					}
				}
			}
		})
	}
}

// csvCell is one cell of a CSV file as LibreOffice read it.
type csvCell struct {
	Row, Col int
	Formula  bool
	Number   bool // read as a number
	Value    float64
	Content  string
	String   string
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
// separator (tools/lo_csv_cells.py; args: its other options) and returns
// its non-empty cells. It
// skips the test when LibreOffice is not installed, unless
// RAMING_REQUIRE_LIBREOFFICE=1.
func csvInLibreOffice(t *testing.T, path, sep string, args ...string) []csvCell {
	t.Helper()
	requireLibreOffice(t)
	out, err := exec.Command("/usr/bin/python3", append([]string{"../tools/lo_csv_cells.py", "--separator", sep}, append(args, path)...)...).Output()
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

// TestDutchCSVOpensAsNumbers: the Dutch dialect (--dialect nl) starts with
// a byte-order mark, separates with ;, writes Dutch headers and option
// labels, and LibreOffice, reading it as Dutch Excel does (semicolon,
// language nl-NL), gets numbers, not text, in the number columns: a
// weight of 0,75 is 0.75 and an amount of 2493,15 is 2,493.15.
func TestDutchCSVOpensAsNumbers(t *testing.T) {
	records := []raming.BRecord{
		{ID: "EXP-1", Access: "verwacht", Weight: 0.75, Reason: "harde drempel; kans op 1+ jaar samen", YearsTogether: decimal.RequireFromString("0.4986"),
			ProblemYears: decimal.NewFromInt(6), Percentage: decimal.RequireFromString("0.083105"), Amount: decimal.RequireFromString("2493.15"),
			ApplicantAdjustment: decimal.RequireFromString("-1250.5")},
	}
	var buf bytes.Buffer
	if err := WriteRecordsCSV(&buf, "B-opties", records, Dutch); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	header, _, _ := strings.Cut(text, "\r\n")
	if want := "\uFEFFId;Geval;Toegang;Kans op toegang;Reden;Jaren samen;Jaren problematiek;Percentage;Bedrag (euro);Correctie aanvrager (euro)"; header != want {
		t.Errorf("header %q, want %q", header, want)
	}
	if !strings.Contains(text, ";0,7500;") || !strings.Contains(text, ";2493,15;-1250,50") {
		t.Errorf("numbers not written with a decimal comma:\n%s", text)
	}
	path := filepath.Join(t.TempDir(), "records.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[int]float64{4: 0.75, 6: 0, 7: 6, 8: 0.083105, 9: 2493.15, 10: -1250.5} // column → value in row 2
	cells := csvInLibreOffice(t, path, ";", "--language", "1043")
	seen := 0
	for _, c := range cells {
		if c.Row == 1 && c.Col == 1 && c.String != "Id" {
			t.Errorf("first header cell %q: the byte-order mark or the header is read wrong", c.String)
		}
		if c.Row != 2 {
			continue
		}
		if c.Col == 5 && c.String != "harde drempel; kans op 1+ jaar samen" {
			t.Errorf("the reason is split or changed: %q", c.String)
		}
		v, isNumber := want[c.Col]
		if !isNumber || c.Col == 6 {
			continue
		}
		seen++
		if !c.Number || math.Abs(c.Value-v) > 1e-9 {
			t.Errorf("row 2, column %d: %q read as number %v (%v), want the number %v", c.Col, c.String, c.Number, c.Value, v)
		}
	}
	if seen != 5 {
		t.Errorf("LibreOffice read %d of the 5 number columns of row 2", seen)
	}
}

// TestDutchSweepCSV: the sweep's Dutch CSV names the options and their
// values in Dutch, as the workbook does.
func TestDutchSweepCSV(t *testing.T) {
	o := scenario.BOptions{Peildatum: scenario.Peildatum{}, Threshold: scenario.ThresholdSoft}
	row := raming.SweepRow{Options: o, Access: 1234.5, Scheme: decimal.NewFromInt(1000000), Total: decimal.NewFromInt(1500000),
		P5: math.NaN(), P50: math.NaN(), P95: math.NaN()}
	var buf bytes.Buffer
	if err := WriteSweepCSV(&buf, []raming.SweepRow{row}, Dutch, 10, 5000); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	op, _ := scenario.OptionByKey("threshold")
	soft := ""
	for _, v := range op.Values {
		if v.Text == "soft" {
			soft = v.Label
		}
	}
	for _, want := range []string{";" + op.Label + ";", ";" + soft + ";", ";1234,50;", ";1000000,00;", "Totaal P50 (euro)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Dutch sweep CSV lacks %q:\n%s", want, text)
		}
	}
}
