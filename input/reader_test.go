package input

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

var update = flag.Bool("update", false, "rewrite golden files (make golden)")

// TestBadFiles: every file-level problem refuses the whole file with a
// message that names it (and the column and line where there is one).
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file string
		err  error
		msg  string
	}{
		{"empty.csv", ErrEmptyFile, "the file is empty"},
		{"blank.csv", ErrEmptyFile, "the file is empty"},
		{"header-only.csv", ErrNoRows, "header but no rows"},
		{"workbook.xlsx", ErrNotCSV, "an .xlsx workbook?"},
		{"missing-column.csv", ErrMissingColumn, "column dossier_id: a required column is missing"},
		{"unknown-column.csv", ErrUnknownColumn, "column opmerking: unknown column"},
		{"duplicate-column.csv", ErrDuplicateColumn, "column id: a column appears twice"},
		{"name-column.csv", ErrNotPseudonymised, "line 1, column naam: the extract is not pseudonymised"},
		{"birthdate-column.csv", ErrNotPseudonymised, "column geboortedatum"},
		{"bsn-value.csv", ErrNotPseudonymised, "line 3, column dossier_id: the extract is not pseudonymised: a value looks like a BSN"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "bad", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Read(bytes.NewReader(b), Options{Source: tt.file})
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, tt.err) {
				t.Fatalf("got %v, want a *FileError wrapping %v", err, tt.err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %q, want it to contain %q", err, tt.msg)
			}
			if strings.Contains(err.Error(), "111222333") || strings.Contains(err.Error(), "Jansen") {
				t.Errorf("the message repeats the personal data: %q", err)
			}
		})
	}
}

func TestIgnoreUnknownColumns(t *testing.T) {
	b, _ := os.ReadFile("testdata/bad/unknown-column.csv")
	pop, err := Read(bytes.NewReader(b), Options{Source: "x", IgnoreUnknownColumns: true})
	if err != nil || len(pop.Records) != 1 || !strings.Contains(strings.Join(pop.Warnings, " "), "opmerking") {
		t.Errorf("got %v, %+v; want one record and a warning naming the ignored column", err, pop)
	}
}

const header = "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,einde_samen,eerste_betaling_aanvrager,melddatum,terugvordering_totaal,bijgedragen_terugvordering,ontvangen_deel_30k,integrale_beoordeling,schrijnend\n"

// TestRowErrors: each row-level problem rejects its row with line, column
// and reason; the other rows are used.
func TestRowErrors(t *testing.T) {
	tests := []struct {
		name, row string
		err       error
		column    string
	}{
		{"bad date", "EXP-9,D,nee,ja,2014,31-02-2016,,,,,,,", ErrBadDate, "einde_samen"},
		{"negative money", "EXP-9,D,nee,ja,2014,,,,-100,,,,", ErrNegativeMoney, "terugvordering_totaal"},
		{"malformed money", "EXP-9,D,nee,ja,2014,,,,12.34.56x,,,,", ErrBadMoney, "terugvordering_totaal"},
		{"three decimals", "EXP-9,D,nee,ja,2014,,,,\"12,345.678\",,,,", ErrBadMoney, "terugvordering_totaal"},
		{"unknown enum", "EXP-9,D,nee,misschien,2014,,,,,,,,", ErrBadAnswer, "gedupeerd"},
		{"unknown bool", "EXP-9,D,soms,ja,2014,,,,,,,,", ErrBadAnswer, "herstel_als_aanvrager"},
		{"end before start", "EXP-9,D,nee,ja,2014,2013-05-01,,,,,,,", ErrEndBeforeStart, "einde_samen"},
		{"future date", "EXP-9,D,nee,ja,2014,,,2031-01-01,,,,,", ErrFutureDate, "melddatum"},
		{"missing required value", "EXP-9,,nee,ja,2014,,,,,,,,", ErrMissingValue, "dossier_id"},
		{"wrong number of fields", "EXP-9,D,nee,ja,2014", ErrFieldCount, ""},
		{"duplicate id", "EXP-1,D,nee,ja,2014,,,,,,,,", ErrDuplicateID, "id"},
	}
	good := "EXP-1,DOS-1,nee,ja,2014-03-01,2016-01-01,2021-05-01,2022-01-01,\"12,345.67\",750,,45000,nee\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := header + good + tt.row + "\n" + strings.Replace(good, "EXP-1", "EXP-3", 1)
			pop, err := Read(strings.NewReader(src), Options{Source: "t", Today: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if len(pop.Records) != 2 || len(pop.Rejected) != 1 || pop.RowsRead != 3 {
				t.Fatalf("got %d used, %d rejected of %d read; want 2, 1, 3", len(pop.Records), len(pop.Rejected), pop.RowsRead)
			}
			re := pop.Rejected[0]
			if !errors.Is(re, tt.err) || re.Line != 3 || re.Column != tt.column {
				t.Errorf("got %v (line %d, column %q), want %v on line 3, column %q", re, re.Line, re.Column, tt.err, tt.column)
			}
		})
	}
}

// TestValues: the forms real exports use.
func TestValues(t *testing.T) {
	money := []struct {
		in           string
		decimalComma bool
		cents        int64
	}{
		{"12345.67", false, 1234567}, {"12345,67", true, 1234567}, {"12.345,67", true, 1234567}, {"12,345.67", false, 1234567},
		{"EUR 1.500", true, 150000}, {"€ 1.500,00", true, 150000}, {"€750", false, 75000}, {"1,500", false, 150000},
		{"1,5", true, 150}, {"12,34", false, 1234}, {"0", false, 0},
	}
	for _, m := range money {
		got, err := parseMoney(m.in, m.decimalComma)
		if err != nil || got.Cents != m.cents || !got.Known {
			t.Errorf("money %q (decimal comma %v): got %+v, %v; want %d cents", m.in, m.decimalComma, got, err, m.cents)
		}
	}
	dates := []struct{ in, want string }{{"2014-03-01", "2014-03-01"}, {"01-03-2014", "2014-03-01"}, {"1-3-2014", "2014-03-01"}, {"1/3/2014", "2014-03-01"}}
	for _, d := range dates {
		got, err := parseDate(d.in, false)
		if err != nil || got.Format("2006-01-02") != d.want {
			t.Errorf("date %q: got %v, %v; want %s", d.in, got, err, d.want)
		}
	}
	if got, err := parseDate("2014", true); err != nil || got.Format("2006-01-02") != "2014-01-01" {
		t.Errorf("bare year: got %v, %v", got, err)
	}
	if _, err := parseDate("2014", false); err == nil {
		t.Error("a bare year is only allowed for start_problematiek")
	}
	for _, b := range []string{"ja", "JA", "true", "1", "j"} {
		if v, err := parseBool(b); err != nil || !v {
			t.Errorf("bool %q: got %v, %v", b, v, err)
		}
	}
}

func TestBSN(t *testing.T) {
	for _, v := range []string{"111222333", "123456782", "10000008"} { // 10000008 is 010000008
		if !looksLikeBSN(v) {
			t.Errorf("%s passes the eleven-test and should be refused", v)
		}
	}
	for _, v := range []string{"111222334", "000000000", "12345678a", "1234567890", "EXP-0000001", "2014"} {
		if looksLikeBSN(v) {
			t.Errorf("%s is not a BSN", v)
		}
	}
}

// TestDutchExport: a Dutch Excel export (Windows-1252, semicolons, CRLF,
// DD-MM-YYYY, € amounts) reads to the same records as its standard twin.
func TestDutchExport(t *testing.T) {
	var std, nl bytes.Buffer
	if err := Generate(&std, GenerateOptions{Rows: 300, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	if err := Generate(&nl, GenerateOptions{Rows: 300, Seed: 5, Dialect: "nl"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(nl.Bytes(), []byte("\r\n")) || !bytes.Contains(nl.Bytes(), []byte{0x80}) {
		t.Fatal("the nl dialect should have CRLF and € as Windows-1252 byte 0x80")
	}
	a, err := Read(&std, Options{Source: "std"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(&nl, Options{Source: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Encoding != "windows-1252" || b.Delimiter != ';' || len(b.Rejected) != 0 {
		t.Fatalf("nl: encoding %s, delimiter %q, %d rejected", b.Encoding, b.Delimiter, len(b.Rejected))
	}
	for i := range a.Records {
		if fmt.Sprint(a.Records[i]) != fmt.Sprint(b.Records[i]) {
			t.Fatalf("record %d differs:\nstandard %+v\nnl       %+v", i, a.Records[i], b.Records[i])
		}
	}
}

// TestWindows1252Golden reads a hand-made Dutch export with é and € and
// compares the records with a golden dump.
func TestWindows1252Golden(t *testing.T) {
	src := "id;dossier_id;herstel_als_aanvrager;gedupeerd;start_problematiek;einde_samen;terugvordering_totaal\r\n" +
		"EXP-café;DOS-é1;nee;ja;01-03-2014;1-3-2016;€ 12.345,67\r\n" +
		"\"EXP-2\";DOS-2;Ja;onbekend;2015;;EUR 1.500\r\n"
	enc, err := charmap.Windows1252.NewEncoder().String(src)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := Read(strings.NewReader(enc), Options{Source: "cp1252"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "encoding %s, delimiter %q, read %d, used %d\n", pop.Encoding, pop.Delimiter, pop.RowsRead, len(pop.Records))
	for _, r := range pop.Records {
		fmt.Fprintf(&b, "line %d id %s dossier %s restored %v affected %s start %s end %s recovery %s\n", r.Line, r.ID, r.DossierID,
			r.RestoredAsApplicant, r.Affected, r.ProblemStart.Format("2006-01-02"), r.EndTogether.Format("2006-01-02"), r.Recovery.Decimal())
	}
	golden(t, "cp1252.golden", b.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(path, []byte(got), 0o644)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Errorf("%s differs (accept with `make golden`):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestAccounting is the property: rows read = used + rejected, for
// generated extracts and for the same with rows damaged at random.
func TestAccounting(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		var buf bytes.Buffer
		Generate(&buf, GenerateOptions{Rows: 200, Seed: seed})
		lines := strings.Split(buf.String(), "\n")
		for i := 1; i < len(lines)-1; i += int(seed%7) + 3 {
			switch i % 4 {
			case 0:
				lines[i] = strings.Replace(lines[i], "-", "/", 3)
			case 1:
				lines[i] += ",extra"
			case 2:
				lines[i] = strings.Replace(lines[i], "nee", "misschien", 1)
			case 3:
				lines[i] = lines[i-1]
			}
		}
		pop, err := Read(strings.NewReader(strings.Join(lines, "\n")), Options{Source: "mutated"})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if pop.RowsRead != len(pop.Records)+len(pop.Rejected) || pop.RowsRead != 200 {
			t.Errorf("seed %d: read %d, used %d, rejected %d", seed, pop.RowsRead, len(pop.Records), len(pop.Rejected))
		}
	}
}

// TestGeneratedIsClean: every generated extract reads without a rejected
// row, in both dialects, and is the same for the same seed.
func TestGeneratedIsClean(t *testing.T) {
	for _, d := range []string{"standard", "nl"} {
		var a, b bytes.Buffer
		Generate(&a, GenerateOptions{Rows: 2000, Seed: 3, Dialect: d})
		Generate(&b, GenerateOptions{Rows: 2000, Seed: 3, Dialect: d})
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: the same seed gave different files", d)
		}
		pop, err := Read(&a, Options{Source: d, Today: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
		if err != nil || len(pop.Rejected) != 0 {
			t.Fatalf("%s: %v, rejected %v", d, err, pop.Rejected)
		}
	}
}

func ExampleRead() {
	src := "id;dossier_id;herstel_als_aanvrager;gedupeerd;start_problematiek;einde_samen;terugvordering_totaal\n" +
		"EXP-1;DOS-1;nee;ja;01-03-2014;2016-03-01;€ 12.345,67\n" +
		"EXP-2;DOS-1;nee;onbekend;2015;31-02-2016;\n"
	pop, err := Read(strings.NewReader(src), Options{Source: "extract.csv"})
	if err != nil {
		panic(err)
	}
	fmt.Println(pop.RowsRead, "read,", len(pop.Records), "used,", len(pop.Rejected), "rejected")
	fmt.Println(pop.Records[0].ID, pop.Records[0].Recovery.Decimal())
	fmt.Println(pop.Rejected[0])
	// Output:
	// 2 read, 1 used, 1 rejected
	// EXP-1 12345.67
	// line 3, column einde_samen: not a valid date: "31-02-2016" (use YYYY-MM-DD or DD-MM-YYYY)
}
