package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"raming/internal/bsn"
)

// header is the contract's header in a ,-separated file.
const header = "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,einde_samen,eerste_betaling_aanvrager,melddatum,terugvordering_totaal,bijgedragen_terugvordering,ontvangen_deel_30k,integrale_beoordeling,schrijnend\n"

// today is the reference date of the tests.
var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// TestBadFiles: every file-level problem refuses the whole file with a
// *FileError wrapping its sentinel and a message that names the problem
// (and the column and line where there is one) and never repeats personal
// data. Every file under testdata/bad is in the table.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file   string
		ignore bool // Options.IgnoreUnknownColumns
		err    error
		msg    string
	}{
		{"empty.csv", false, ErrEmptyFile, "empty.csv: the file is empty: export the population with a header row"},
		{"blank.csv", false, ErrEmptyFile, "the file is empty"},
		{"header-only.csv", false, ErrNoRows, "the file has a header but no rows"},
		{"only-empty-rows.csv", false, ErrNoRows, "the 2 rows after the header are empty"},
		{"workbook.xlsx", false, ErrWorkbook, "workbook.xlsx: the workbook cannot be read: it is not a valid zip archive (zip: not a valid zip file), as an .xlsx workbook is; is it damaged? save it again, or export the sheet as CSV"},
		{"old-excel.xls", false, ErrNotCSV, "old-excel.xls: the file is not CSV text: it is an old Excel (.xls) workbook, or a workbook protected by a password; save it as an Excel workbook (.xlsx) without a password; export the sheet as CSV"},
		{"nul-bytes.csv", false, ErrNotCSV, "it contains NUL bytes"},
		{"utf32.csv", false, ErrNotCSV, "utf32.csv: the file is not CSV text: it is UTF-32 text; export the sheet as CSV (separated by , or ;) or as Unicode text (UTF-16)"},
		{"tab-separated.csv", false, ErrNotCSV, "line 1: the file is not CSV text: the header is separated by tabs"},
		{"plain-text.txt", false, ErrNotCSV, "the first line has no , or ; between column names"},
		{"header-quote-not-closed.csv", false, ErrNotCSV, "line 1: the file is not CSV text: the header is not valid CSV: a quoted value is not closed, or a quote is misplaced (the row runs from line 1 to line 2)"},
		{"missing-column.csv", false, ErrMissingColumn, "line 1, column dossier_id: a required column is missing: the extract must have the columns id, dossier_id, herstel_als_aanvrager, gedupeerd, start_problematiek (missing: dossier_id)"},
		{"unknown-column.csv", false, ErrUnknownColumn, "line 1, column opmerking: unknown column: not in the contract (docs/input.md); rename or remove it, or give --ignore-unknown-columns"},
		{"duplicate-column.csv", false, ErrDuplicateColumn, "line 1, column id: a column appears twice: columns 1 and 6 are both called id; keep one"},
		{"name-column.csv", false, ErrNotPseudonymised, "line 1, column naam: the extract is not pseudonymised: the column's name suggests direct identification"},
		{"birthdate-column.csv", false, ErrNotPseudonymised, "line 1, column geboortedatum: the extract is not pseudonymised"},
		{"email-column.csv", false, ErrNotPseudonymised, "line 1, column e-mailadres: the extract is not pseudonymised"},
		{"bsn-value.csv", false, ErrNotPseudonymised, "line 3, column dossier_id: the extract is not pseudonymised: a value looks like a BSN (nine digits, also in groups 3-3-3 or 4-2-3 separated by spaces, dots or dashes, or eight with the leading zero dropped, passing the eleven-test; as the whole value or inside free text); remove direct identifiers before exporting, and give pseudonymous numbers a prefix (such as EXP-000123)"},
		{"bsn-leading-zero-dropped.csv", false, ErrNotPseudonymised, "line 4, column gedupeerd: the extract is not pseudonymised: a value looks like a BSN"},
		{"bsn-in-unknown-column.csv", false, ErrUnknownColumn, "column notitie: unknown column"},
		{"bsn-in-unknown-column.csv", true, ErrNotPseudonymised, "line 3, column notitie: the extract is not pseudonymised"},
		{"bsn-in-malformed-row.csv", false, ErrNotPseudonymised, "line 3, column #6: the extract is not pseudonymised"},
		{"bsn-grouped.csv", false, ErrNotPseudonymised, "line 4, column dossier_id: the extract is not pseudonymised: a value looks like a BSN"},
		{"bsn-in-free-text.csv", true, ErrNotPseudonymised, "line 4, column opmerking: the extract is not pseudonymised: a value looks like a BSN"},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.file] = true
		t.Run(fmt.Sprintf("%s/ignore=%v", tt.file, tt.ignore), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "bad", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			pop, err := Read(bytes.NewReader(b), Options{Source: tt.file, IgnoreUnknownColumns: tt.ignore})
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, tt.err) {
				t.Fatalf("got %v, want a *FileError wrapping %q", err, tt.err)
			}
			if pop != nil {
				t.Errorf("got a Population with the error, want none")
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %q, want it to contain %q", err, tt.msg)
			}
			for _, personal := range []string{"111222333", "123456782", "10000008", "Jansen", "1980-01-01", "456", "782"} {
				if strings.Contains(err.Error(), personal) {
					t.Errorf("got %q, which repeats the personal data %q", err, personal)
				}
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "bad", "*"))
	for _, f := range files {
		if !covered[filepath.Base(f)] {
			t.Errorf("testdata/bad/%s is not in the table", filepath.Base(f))
		}
	}
}

// TestOptionErrors: an unknown encoding is a file-level error.
func TestOptionErrors(t *testing.T) {
	_, err := Read(strings.NewReader(header+"EXP-1,D,nee,ja,2014,,,,,,,,\n"), Options{Source: "x", Encoding: "latin-9"})
	if !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), `"latin-9": use utf-8 or windows-1252`) {
		t.Errorf("got %v, want ErrEncoding naming the encoding", err)
	}
}

func TestIgnoreUnknownColumns(t *testing.T) {
	b, _ := os.ReadFile("testdata/bad/unknown-column.csv")
	pop, err := Read(bytes.NewReader(b), Options{Source: "x", IgnoreUnknownColumns: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(pop.Warnings, "; "), "ignored columns not in the contract: opmerking"; len(pop.Records) != 1 || got != want {
		t.Errorf("got %d records and warnings %q, want 1 record and %q", len(pop.Records), got, want)
	}
}

// TestRowErrors: each row-level problem rejects its row with its line,
// column, reason and id (RowError.ID: the row's first field here, trimmed);
// the rows around it are used. A reason repeats the value, except the
// digits of a number that could be a BSN.
func TestRowErrors(t *testing.T) {
	tests := []struct {
		name, row string
		err       error
		column    string
		msg       string
	}{
		{"bad date", "EXP-9,D,nee,ja,2014,31-02-2016,,,,,,,", ErrBadDate, "einde_samen",
			`line 3, column einde_samen: date "31-02-2016" is not a valid date from 1900 to 2100 (use YYYY-MM-DD or DD-MM-YYYY)`},
		{"bad start", "EXP-9,D,nee,ja,14,,,,,,,,", ErrBadDate, "start_problematiek",
			`line 3, column start_problematiek: date "14" is not a year (a year has four digits, such as 2014; or use YYYY-MM-DD or DD-MM-YYYY)`},
		{"malformed money", "EXP-9,D,nee,ja,2014,,,,12.34.56x,,,,", ErrBadMoney, "terugvordering_totaal",
			`line 3, column terugvordering_totaal: amount "12.34.56x" is not a valid amount (only digits, one decimal separator and thousands separators; write euros such as 12345.67 or 12,345.67)`},
		{"three decimals", `EXP-9,D,nee,ja,2014,,,,"12,345.678",,,,`, ErrBadMoney, "terugvordering_totaal",
			`amount "12,345.678" is not a valid amount (one or two decimals;`},
		{"ambiguous decimals", "EXP-9,D,nee,ja,2014,,,,1.500,,,,", ErrBadMoney, "terugvordering_totaal",
			`line 3, column terugvordering_totaal: amount "1.500" has three decimals: in a file separated by ',' the '.' is the decimal separator (write 12345.67 or 12,345.67)`},
		{"negative money", "EXP-9,D,nee,ja,2014,,,,,€ -100,,,", ErrNegativeMoney, "bijgedragen_terugvordering",
			`line 3, column bijgedragen_terugvordering: amount "€ -100" is negative (amounts are never negative)`},
		{"unknown enum", "EXP-9,D,nee,misschien,2014,,,,,,,,", ErrBadAnswer, "gedupeerd",
			`line 3, column gedupeerd: value "misschien" is not a valid answer (use ja, nee or onbekend; empty is onbekend)`},
		{"unknown bool", "EXP-9,D,soms,ja,2014,,,,,,,,", ErrBadAnswer, "herstel_als_aanvrager",
			`line 3, column herstel_als_aanvrager: value "soms" is not a valid answer (use ja or nee)`},
		{"bad hardship", "EXP-9,D,nee,ja,2014,,,,,,,,wellicht", ErrBadAnswer, "schrijnend", `value "wellicht" is not a valid answer`},
		{"missing required value", "EXP-9,,nee,ja,2014,,,,,,,,", ErrMissingValue, "dossier_id",
			"line 3, column dossier_id: required value is empty"},
		{"missing start", "EXP-9,D,nee,ja,,,,,,,,,", ErrMissingValue, "start_problematiek", "required value is empty"},
		{"missing bool", "EXP-9,D, ,ja,2014,,,,,,,,", ErrMissingValue, "herstel_als_aanvrager", "required value is empty"},
		{"future date", "EXP-9,D,nee,ja,2014,,,2031-01-01,,,,,", ErrFutureDate, "melddatum",
			"line 3, column melddatum: date 2031-01-01 is in the future (after 2026-11-24)"},
		{"duplicate id", "EXP-1,D,nee,ja,2014,,,,,,,,", ErrDuplicateID, "id",
			`line 3, column id: id "EXP-1" is also on line 2 (ids must be unique; this later row is not used)`},
		{"duplicate id in another case", " exp-1 ,D,nee,ja,2014,,,,,,,,", ErrDuplicateID, "id",
			`line 3, column id: id "exp-1" is also on line 2 (ids must be unique; this later row is not used)`},
		{"duplicate id with a zero-width space", "EXP-\u200b1,D,nee,ja,2014,,,,,,,,", ErrDuplicateID, "id",
			`line 3, column id: id "EXP-\u200b1" is also on line 2`},
		{"missing id", ",D,nee,ja,2014,,,,,,,,", ErrMissingValue, "id", "line 3, column id: required value is empty"},
		{"id of zero-width characters only", "\u200b\ufeff,D,nee,ja,2014,,,,,,,,", ErrMissingValue, "id", "required value is empty"},
		{"digits of a possible BSN hidden", "EXP-9,D,nee,ja,2014,12345678x,,,,,,,", ErrBadDate, "einde_samen",
			`line 3, column einde_samen: date "••••••••x" has a number of more than four digits (use YYYY-MM-DD or DD-MM-YYYY)`},
		{"a date and time shown as is", "EXP-9,D,nee,ja,2014,2014-03-02 24:00:00,,,,,,,", ErrBadDate, "einde_samen",
			`line 3, column einde_samen: date "2014-03-02 24:00:00" has a time that is not a time of day such as 00:00 or 13:45:30 (use YYYY-MM-DD or DD-MM-YYYY, with or without a time)`},
		{"grouped digits hidden", "EXP-9,D,nee,ja,2014,,,,1234.56.789x,,,,", ErrBadMoney, "terugvordering_totaal",
			`amount "••••.••.•••x" is not a valid amount`},
		{"too few fields", "EXP-9,D,nee,ja,2014", ErrFieldCount, "",
			"line 3: the row has 5 fields and the header 13 (is a , or ; in a value not quoted?)"},
		{"too many fields", "EXP-9,D,nee,ja,2014,,,,1,5,,,,", ErrFieldCount, "", "the row has 14 fields"},
		{"stray quote after the id", `" EXP-""9""",D"x,nee,ja,2014,,,,,,,,`, ErrMalformedRow, "", "line 3: the row is not valid CSV"},
		{"stray quote", `EXP-9,D"x,nee,ja,2014,,,,,,,,`, ErrMalformedRow, "",
			"line 3: the row is not valid CSV: a quote in an unquoted value on line 3 (put a value with quotes in double quotes and double each quote inside it)"},
		{"first problem wins", "EXP-9,D,nee,ja,2014,2099-01-01,,,-5,,,,", ErrFutureDate, "einde_samen", "is in the future"},
	}
	good := "EXP-1,DOS-1,nee,ja,2014-03-01,2016-01-01,2021-05-01,2022-01-01,\"12,345.67\",750,,45000,nee\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := header + good + tt.row + "\n" + strings.Replace(good, "EXP-1", "EXP-3", 1)
			pop, err := Read(strings.NewReader(src), Options{Source: "t", Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if len(pop.Records) != 2 || len(pop.Rejected) != 1 || pop.RowsRead != 3 {
				t.Fatalf("got %d used, %d rejected of %d read; want 2, 1, 3 (%v)", len(pop.Records), len(pop.Rejected), pop.RowsRead, pop.Rejected)
			}
			re := pop.Rejected[0]
			if !errors.Is(re, tt.err) || re.Line != 3 || re.Column != tt.column {
				t.Errorf("got %q on line %d, column %q; want %q on line 3, column %q", re.Err, re.Line, re.Column, tt.err, tt.column)
			}
			wantID, _, _ := strings.Cut(tt.row, ",")
			if strings.HasPrefix(wantID, `"`) { // a quoted id
				wantID = strings.ReplaceAll(wantID[1:len(wantID)-1], `""`, `"`)
			}
			if wantID = strings.TrimSpace(wantID); re.ID != wantID {
				t.Errorf("got id %q, want %q", re.ID, wantID)
			}
			if !strings.Contains(re.Error(), tt.msg) {
				t.Errorf("got %q, want it to contain %q", re.Error(), tt.msg)
			}
			if pop.Records[1].Line != 4 {
				t.Errorf("the row after: got line %d, want 4", pop.Records[1].Line)
			}
		})
	}
}

// TestLineNumbers: a row's line is where it starts, also after quoted
// values over several lines, CRLF line ends, blank lines and Excel's
// "sep=;" line.
func TestLineNumbers(t *testing.T) {
	src := "sep=;\r\n" + strings.ReplaceAll(strings.TrimSuffix(header, "\n"), ",", ";") + "\r\n" +
		"EXP-1;\"DOS\r\n1\r\n\";nee;ja;2014;;;;;;;;\r\n" + // lines 3-5
		"\r\n" + // line 6: blank, skipped
		"EXP-2;DOS-2;nee;ja;2014;;;;;;;;\"multi\nline\"\r\n" + // lines 7-8, bad schrijnend
		"EXP-3;DOS-3;nee;ja;2014;;;;€ 1.234,5;;;;\r\n" // line 9
	pop, err := Read(strings.NewReader(src), Options{Source: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if pop.Delimiter != ';' || len(pop.Records) != 2 || len(pop.Rejected) != 1 {
		t.Fatalf("got delimiter %q, %d used, %d rejected; want ';', 2, 1", pop.Delimiter, len(pop.Records), len(pop.Rejected))
	}
	if got := []int{pop.Records[0].Line, pop.Rejected[0].Line, pop.Records[1].Line}; fmt.Sprint(got) != "[3 7 9]" {
		t.Errorf("got lines %v, want [3 7 9]", got)
	}
	if got, want := pop.Records[0].DossierID, "DOS\n1"; got != want { // encoding/csv reads a quoted CRLF as LF
		t.Errorf("got dossier %q, want %q", got, want)
	}
	if got := pop.Records[1].Recovery; got.Cents != 123450 {
		t.Errorf("got %d cents, want 123450", got.Cents)
	}
}

// TestEncodings: the encoding rule and its warnings.
func TestEncodings(t *testing.T) {
	row := "EXP-é,DOS-1,nee,ja,2014,,,,€ 12,,,,\n"
	cp1252 := []byte(strings.NewReplacer("é", "\xe9", "€", "\x80").Replace(header + row))
	tests := []struct {
		name, enc string
		src       []byte
		wantEnc   string
		id        string // of the record, or "" when the row is rejected
		warning   string
	}{
		{"utf-8", "", []byte(header + row), "utf-8", "EXP-é", ""},
		{"utf-8 with BOM", "", []byte("\uFEFF" + header + row), "utf-8", "EXP-é", ""},
		{"utf-8 with BOM asked", "utf-8", []byte("\uFEFF" + header + row), "utf-8", "EXP-é", ""},
		{"windows-1252 detected", "", cp1252, "windows-1252", "EXP-é", "the file is not valid UTF-8 and was read as Windows-1252"},
		{"windows-1252 asked", "windows-1252", cp1252, "windows-1252", "EXP-é", ""},
		// Read as UTF-8, the € (byte 0x80) is no amount: the row is rejected.
		{"utf-8 asked for cp1252", "utf-8", cp1252, "utf-8", "", "2 values contain characters that could not be decoded as utf-8"},
		{"cp1252 undefined byte", "cp1252", []byte(header + "EXP-\x81,DOS-1,nee,ja,2014,,,,12,,,,\n"), "windows-1252", "EXP-\uFFFD", "1 values contain characters that could not be decoded as windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop, err := Read(bytes.NewReader(tt.src), Options{Source: "t", Encoding: tt.enc})
			if err != nil {
				t.Fatal(err)
			}
			if pop.Encoding != tt.wantEnc {
				t.Errorf("got encoding %s, want %s", pop.Encoding, tt.wantEnc)
			}
			if tt.id == "" {
				if len(pop.Rejected) != 1 || !errors.Is(pop.Rejected[0], ErrBadMoney) {
					t.Errorf("got rejected %v, want the row rejected for its amount", pop.Rejected)
				}
			} else if len(pop.Records) != 1 || pop.Records[0].ID != tt.id || pop.Records[0].Recovery.Cents != 1200 {
				t.Errorf("got %+v, want id %q and 1200 cents", pop.Records, tt.id)
			}
			if w := strings.Join(pop.Warnings, "; "); !strings.Contains(w, tt.warning) || (tt.warning == "" && w != "") {
				t.Errorf("got warnings %q, want %q", w, tt.warning)
			}
		})
	}
	// A file that is UTF-8 beyond the sniffed bytes, with a BOM, stays UTF-8.
	var b strings.Builder
	b.WriteString("\uFEFF" + header)
	for i := 0; b.Len() < 3*sniffSize; i++ {
		fmt.Fprintf(&b, "EXP-%d,DOS-ë,nee,ja,2014,,,,€ 1234,,,,\n", i)
	}
	pop, err := Read(strings.NewReader(b.String()), Options{Source: "big"})
	if err != nil || pop.Encoding != "utf-8" || len(pop.Rejected) != 0 || len(pop.Warnings) != 0 {
		t.Errorf("a large UTF-8 file: got %v, want utf-8 without rejections or warnings", err)
	}
}

// TestEmptyRowsSkipped: lines of nothing but delimiters are skipped, like
// blank lines, and counted in a warning, not in RowsRead.
func TestEmptyRowsSkipped(t *testing.T) {
	pop, err := Read(strings.NewReader(header+"EXP-1,D,nee,ja,2014,,,,,,,,\n,,,,,,,,,,,,\n\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pop.RowsRead != 1 || strings.Join(pop.Warnings, "") != "1 empty rows (nothing but delimiters) were skipped" {
		t.Errorf("got %d rows read, warnings %q; want 1 and a warning", pop.RowsRead, pop.Warnings)
	}
}

// TestDuplicateOfRejectedRow: an id is taken by its first row even when
// that row is rejected; the later row is the duplicate.
func TestDuplicateOfRejectedRow(t *testing.T) {
	pop, err := Read(strings.NewReader(header+"EXP-1,D,nee,ja,1-1-20144,,,,,,,,\nEXP-1,D,nee,ja,2014,,,,,,,,\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pop.Rejected) != 2 || !errors.Is(pop.Rejected[0], ErrBadDate) || !errors.Is(pop.Rejected[1], ErrDuplicateID) {
		t.Errorf("got %v, want a bad date on line 2 and a duplicate on line 3", pop.Rejected)
	}
}

// TestRecord: every column lands in its field, in any column order and case.
func TestRecord(t *testing.T) {
	src := " Schrijnend ;ID;Dossier_ID;gedupeerd;herstel_als_aanvrager;start_problematiek;einde_samen;eerste_betaling_aanvrager;melddatum;terugvordering_totaal;bijgedragen_terugvordering;ontvangen_deel_30k;integrale_beoordeling\n" +
		"ja;EXP-1;DOS-1;onbekend;J;2014-03-01;1-3-2016;01-02-2021;15/06/2022;EUR 12.345,67;€750;1.000;45.000,00\n" +
		";EXP-2;DOS-1;;false;2015;;;;;;;\n"
	pop, err := Read(strings.NewReader(src), Options{Source: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pop.Records) != 2 {
		t.Fatalf("got %v rejected", pop.Rejected)
	}
	date := func(y, m, d int) Date { return DateOf(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)) }
	want := []Record{
		{Line: 2, ID: "EXP-1", DossierID: "DOS-1", RestoredAsApplicant: true, Affected: Unknown, ProblemStart: date(2014, 3, 1),
			EndTogether: date(2016, 3, 1), FirstPayment: date(2021, 2, 1), ReportDate: date(2022, 6, 15),
			Recovery: Money{1234567, true}, Contributed: Money{75000, true}, Received30k: Money{100000, true},
			IntegralAssessment: Money{4500000, true}, Hardship: Yes},
		{Line: 3, ID: "EXP-2", DossierID: "DOS-1", Affected: Unknown, ProblemStart: date(2015, 1, 1), Hardship: Unknown},
	}
	for i := range want {
		if got := pop.Records[i]; got != want[i] {
			t.Errorf("record %d:\ngot  %+v\nwant %+v", i, got, want[i])
		}
	}
}

// TestMoney: the amount forms real exports use, and the separator rule.
func TestMoney(t *testing.T) {
	tests := []struct {
		in           string
		decimalComma bool // a ;-separated file
		cents        int64
		err          error
	}{
		{"12345.67", false, 1234567, nil},
		{"12345,67", true, 1234567, nil},
		{"12.345,67", true, 1234567, nil},
		{"12,345.67", false, 1234567, nil},
		{"12.345,67", false, 1234567, nil}, // both separators: the last one is decimal, in any file
		{"12,345.67", true, 1234567, nil},
		{"1.234.567,89", true, 123456789, nil},
		{"1,234,567", false, 123456700, nil},
		{"1.234.567", false, 123456700, nil}, // one separator more than once: thousands
		{"EUR 1.500", true, 150000, nil},
		{"eur1500", false, 150000, nil},
		{"€ 1.500,00", true, 150000, nil},
		{"€750", false, 75000, nil},
		{" € 750 ", false, 75000, nil},
		{"1,500", false, 150000, nil}, // a ,-file: a comma before three digits groups thousands
		{"1.500", true, 150000, nil},  // a ;-file: a dot before three digits groups thousands
		{"1,5", true, 150, nil},
		{"1.5", true, 150, nil}, // one separator, not three digits: decimal
		{"12,34", false, 1234, nil},
		{"0", false, 0, nil},
		{"-0", false, 0, nil},
		{"", false, 0, nil},
		{"1,500", true, 0, ErrBadMoney}, // a ;-file: the comma is decimal, so three decimals: ambiguous
		{"1.500", false, 0, ErrBadMoney},
		{"1.2345", false, 0, ErrBadMoney},
		{"1.234.56", true, 0, ErrBadMoney},
		{"12.34,5", true, 0, ErrBadMoney},
		{"1..234", true, 0, ErrBadMoney},
		{".234", true, 0, ErrBadMoney},
		{"12,", true, 0, ErrBadMoney},
		{"1.234,56,7", true, 0, ErrBadMoney},
		{"12 345", true, 0, ErrBadMoney},
		{"EUR", true, 0, ErrBadMoney},
		{"abc", true, 0, ErrBadMoney},
		{"1e5", false, 0, ErrBadMoney},
		{"99999999999999", false, 0, ErrBadMoney},
		{"-100", false, 0, ErrNegativeMoney},
		{"-€ 1,50", true, 0, ErrNegativeMoney},
		{"EUR -12.345,67", true, 0, ErrNegativeMoney},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.in, tt.decimalComma), func(t *testing.T) {
			got, err := parseMoney(tt.in, map[bool]decimalMark{false: pointMark, true: commaMark}[tt.decimalComma])
			if !errors.Is(err, tt.err) || (err == nil && (got.Cents != tt.cents || got.Known != (tt.in != ""))) {
				t.Errorf("got %+v, %v; want %d cents, %v", got, err, tt.cents, tt.err)
			}
		})
	}
}

// TestDates: the date forms, and dates that do not exist.
func TestDates(t *testing.T) {
	tests := []struct {
		in   string
		year bool // start_problematiek
		want string
		err  error
	}{
		{"2014-03-01", false, "2014-03-01", nil},
		{"01-03-2014", false, "2014-03-01", nil},
		{"1-3-2014", false, "2014-03-01", nil},
		{"1/3/2014", false, "2014-03-01", nil},
		{"1.3.2014", false, "2014-03-01", nil},
		{"2014-3-1", false, "2014-03-01", nil},
		{" 29-02-2016 ", false, "2016-02-29", nil},
		{"31-12-2100", false, "2100-12-31", nil},
		{"2014", true, "2014-01-01", nil},
		{"", false, "", nil},
		{"2014", false, "", ErrBadDate},
		{"29-02-2015", false, "", ErrBadDate},
		{"31-04-2015", false, "", ErrBadDate},
		{"2015-13-01", false, "", ErrBadDate},
		{"1-3-14", false, "", ErrBadDate},
		{"1-3/2014", false, "", ErrBadDate},
		{"2014-03-01 00:00", false, "2014-03-01", nil},
		{"01-03-1899", false, "", ErrBadDate},
		{"20140301", false, "", ErrBadDate},
		{"0-3-2014", false, "", ErrBadDate},
		{"-3-2014", false, "", ErrBadDate},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.in, tt.year), func(t *testing.T) {
			got, err := parseDate(tt.in, tt.year)
			if !errors.Is(err, tt.err) || got.String() != tt.want {
				t.Errorf("got %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
	// civil agrees with DateOf over the whole range.
	for d := time.Date(minYear, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= maxYear; d = d.AddDate(0, 0, 1) {
		if got, want := civil(d.Year(), int(d.Month()), d.Day()), DateOf(d); got != want {
			t.Fatalf("%s: got %d, want %d", d.Format("2006-01-02"), got, want)
		}
	}
}

// TestAnswers: the bool and answer forms.
func TestAnswers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Answer
		bool bool // also a valid bool
	}{
		{"ja", Yes, true}, {"JA", Yes, true}, {"j", Yes, true}, {"true", Yes, true}, {"1", Yes, true}, {" Ja ", Yes, true},
		{"nee", No, true}, {"N", No, true}, {"FALSE", No, true}, {"0", No, true},
		{"onbekend", Unknown, false}, {"Onbekend", Unknown, false}, {"", Unknown, false},
	} {
		a, err := parseAnswer(tt.in)
		if err != nil || a != tt.want {
			t.Errorf("answer %q: got %v, %v; want %v", tt.in, a, err, tt.want)
		}
		b, err := parseBool(tt.in)
		if (err == nil) != tt.bool || (err == nil && b != (tt.want == Yes)) {
			t.Errorf("bool %q: got %v, %v; want valid %v", tt.in, b, err, tt.bool)
		}
	}
	for _, in := range []string{"misschien", "yes", "2", "jaa", "?"} {
		if _, err := parseAnswer(in); !errors.Is(err, ErrBadAnswer) {
			t.Errorf("answer %q: got %v, want ErrBadAnswer", in, err)
		}
	}
}

// TestBSN: the eleven-test.
func TestBSN(t *testing.T) {
	for _, tt := range []struct {
		v    string
		want bool
	}{
		{"111222333", true}, {"123456782", true}, {" 123456782 ", true},
		{"010000008", true}, {"10000008", true}, // an eight-digit BSN: a dropped leading zero
		{"111222334", false}, {"000000000", false}, {"00000000", false}, {"12345678a", false},
		{"1234567890", false}, {"1234567", false}, {"123-456-782", true}, {"EXP-0000001", false},
		{"DOS-000001", false}, {"2014", false}, {"12345.67", false},
	} {
		if got := bsn.Whole(tt.v); got != tt.want {
			t.Errorf("%q: got %v, want %v", tt.v, got, tt.want)
		}
	}
	// No generated id can pass: they all have a prefix.
	for i := 0; i < 100000; i += 7 {
		for _, id := range []string{fmt.Sprintf("EXP-%07d", i), fmt.Sprintf("DOS-%06d", i)} {
			if bsn.Whole(id) {
				t.Fatalf("%s passes the eleven-test", id)
			}
		}
	}
}

// TestIdentifyingColumns: names that suggest direct identification are
// refused on their parts; the contract's columns pass.
func TestIdentifyingColumns(t *testing.T) {
	for _, n := range []string{"naam", "voornaam", "achternaam", "naam_partner", "partnernaam", "bsn", "partner_bsn", "partnerbsn",
		"sofinummer", "adres", "emailadres", "e-mail", "email", "straat", "huisnummer", "postcode", "woonplaats",
		"geboortedatum", "date_of_birth", "dob", "telefoon", "tel", "tel_nr", "gsm", "iban", "rekeningnummer", "name", "last name"} {
		if !identifyingColumn(n) {
			t.Errorf("%q: got allowed, want refused", n)
		}
	}
	for _, n := range append([]string{"opmerking", "aantal", "telling", "hotelkosten", "regio", "dossier_nr", "x"}, Columns...) {
		if identifyingColumn(n) {
			t.Errorf("%q: got refused, want allowed", n)
		}
	}
}

// TestGeneratedIsClean: every generated extract reads without a rejected
// row or a warning beyond the encoding, in both dialects, and is the same
// for the same seed; the nl twin has the same records as the standard one.
func TestGeneratedIsClean(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		var recs [2][]Record
		for i, d := range []string{"standard", "nl"} {
			var a, b bytes.Buffer
			if err := Generate(&a, GenerateOptions{Rows: 1000, Seed: seed, Dialect: d}); err != nil {
				t.Fatal(err)
			}
			Generate(&b, GenerateOptions{Rows: 1000, Seed: seed, Dialect: d})
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s, seed %d: the same seed gave different files", d, seed)
			}
			if d == "nl" && (!bytes.Contains(a.Bytes(), []byte("\r\n")) || !bytes.Contains(a.Bytes(), []byte("\x80 "))) {
				t.Errorf("nl: want CRLF and € as Windows-1252 byte 0x80")
			}
			pop, err := Read(&a, Options{Source: d, Today: today})
			if err != nil {
				t.Fatalf("%s, seed %d: %v", d, seed, err)
			}
			if len(pop.Rejected) != 0 || pop.RowsRead != 1000 {
				t.Fatalf("%s, seed %d: got %d read, rejected %v; want 1000, none", d, seed, pop.RowsRead, pop.Rejected)
			}
			if d == "nl" && (pop.Encoding != "windows-1252" || pop.Delimiter != ';') {
				t.Errorf("nl: got %s, %q; want windows-1252, ';'", pop.Encoding, pop.Delimiter)
			}
			recs[i] = pop.Records
		}
		for i := range recs[0] {
			if recs[0][i] != recs[1][i] {
				t.Fatalf("seed %d, record %d:\nstandard %+v\nnl       %+v", seed, i, recs[0][i], recs[1][i])
			}
		}
	}
	if err := Generate(&bytes.Buffer{}, GenerateOptions{Rows: 1, Dialect: "fr"}); err == nil {
		t.Error("an unknown dialect: got no error")
	}
}

// TestGeneratedShape: the synthetic extract is shaped like the deck.
func TestGeneratedShape(t *testing.T) {
	var buf bytes.Buffer
	Generate(&buf, GenerateOptions{Rows: 20000, Seed: 11})
	pop, err := Read(&buf, Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	var restored, yes, no, unknown, ends, longTogether, hardship, assessed, received, dossiers int
	last := ""
	for _, r := range pop.Records {
		if r.RestoredAsApplicant {
			restored++
		}
		switch r.Affected {
		case Yes:
			yes++
			if !r.EndTogether.IsZero() {
				ends++
				if !r.EndTogether.Before(r.ProblemStart.AddDate(1, 0, 0)) {
					longTogether++
				}
			}
		case No:
			no++
		default:
			unknown++
		}
		if r.Hardship == Yes {
			hardship++
		}
		if r.IntegralAssessment.Known {
			assessed++
			if r.IntegralAssessment.Cents < 3000000 {
				t.Errorf("%s: integrale_beoordeling %s is below the 30k", r.ID, r.IntegralAssessment.Decimal())
			}
		}
		if r.Received30k.Known {
			received++
		}
		if r.DossierID != last {
			dossiers++
			last = r.DossierID
		}
	}
	n := float64(len(pop.Records))
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"restored", float64(restored) / n, 0.05},
		{"affected among the known", float64(yes) / float64(yes+no), 0.75},
		{"onbekend", float64(unknown) / n, 0.20},
		{"affected together 1+ year", float64(longTogether) / float64(ends), 0.50},
		{"schrijnend ja", float64(hardship) / n, 0.10},
		{"assessed", float64(assessed) / n, 0.40},
		{"received part of the 30k", float64(received) / n, 0.10},
		{"dossiers per ex-partner", float64(dossiers) / n, 0.90},
	} {
		if c.got < c.want-0.03 || c.got > c.want+0.03 {
			t.Errorf("%s: got %.3f, want %.2f ± 0.03", c.name, c.got, c.want)
		}
	}
}

func ExampleRead() {
	src := "id;dossier_id;herstel_als_aanvrager;gedupeerd;start_problematiek;einde_samen;terugvordering_totaal\n" +
		"EXP-1;DOS-1;nee;ja;01-03-2014;2016-03-01;€ 12.345,67\n" +
		"EXP-2;DOS-1;nee;onbekend;2015;31-02-2016;\n"
	pop, err := Read(strings.NewReader(src), Options{Source: "extract.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pop.RowsRead, "read,", len(pop.Records), "used,", len(pop.Rejected), "rejected")
	fmt.Println(pop.Records[0].ID, pop.Records[0].ProblemStart, pop.Records[0].Recovery.Decimal())
	fmt.Println(pop.Rejected[0])
	// Output:
	// 2 read, 1 used, 1 rejected
	// EXP-1 2014-03-01 12345.67
	// line 3, column einde_samen: date "31-02-2016" is not a valid date from 1900 to 2100 (use YYYY-MM-DD or DD-MM-YYYY)
}

// TestErrorWhileSourceWaits: a BSN in a row is reported as soon as the row
// is read, also when the source then waits (a pipe whose writer has not
// finished): the rows split so far are checked before more text is read,
// and Read does not wait for the splitter once it has its error. The row
// lies past the first 64 KiB and in the third batch of rows.
func TestErrorWhileSourceWaits(t *testing.T) {
	var buf bytes.Buffer
	if err := Generate(&buf, GenerateOptions{Rows: 1200, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("EXP-9999999,123456782,nee,ja,2014,,,,,,,,\n")
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write(buf.Bytes()) // and then nothing more, until the test ends
	got := make(chan error, 1)
	go func() {
		_, err := Read(pr, Options{Source: "pipe", Today: today})
		got <- err
	}()
	select {
	case err := <-got:
		if !errors.Is(err, ErrNotPseudonymised) || !strings.Contains(err.Error(), "line 1202") {
			t.Fatalf("got %v, want the BSN on line 1202", err)
		}
	case <-time.After(20 * time.Second): // a hang, not a speed target
		t.Fatal("Read waited for the source after the row with the BSN")
	}
}
