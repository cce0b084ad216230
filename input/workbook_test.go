package input

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// contractHeader is the contract's columns, for a sheet.
var contractHeader = strings.Split(strings.TrimSuffix(header, "\n"), ",")

// makeWorkbook makes an .xlsx workbook of the rows (the first is the
// header) on a sheet Sheet1, and on more sheets if given; edit may change
// the file before it is written.
func makeWorkbook(t testing.TB, rows [][]any, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// headerRow is the contract's header as a sheet row.
func headerRow(extra ...string) []any {
	var row []any
	for _, n := range append(append([]string{}, contractHeader...), extra...) {
		row = append(row, n)
	}
	return row
}

// rezip copies a workbook's zip archive, with the parts in replace put in
// place of (or beside) its own: a part is a deflated text, or a raw
// deflate stream (zipPart) when made by bomb.
func rezip(t testing.TB, xlsx []byte, replace map[string]any) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	write := func(name string, part any) {
		switch p := part.(type) {
		case string:
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, p)
		case zipPart:
			w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: p.crc, CompressedSize64: uint64(len(p.deflated)), UncompressedSize64: p.size})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(p.deflated)
		}
	}
	for _, f := range zr.File {
		if part, ok := replace[f.Name]; ok {
			write(f.Name, part)
			delete(replace, f.Name)
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		write(f.Name, string(b))
	}
	for name, part := range replace {
		write(name, part)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// zipPart is a part deflated ahead: its deflate stream, CRC-32 and size.
type zipPart struct {
	deflated []byte
	crc      uint32
	size     uint64
}

// bomb is a part of mib MiB of spaces after an XML declaration, deflated
// to about a thousandth of that without deflating it all: one MiB deflated
// and flushed is a byte-aligned piece of deflate stream that refers only to
// itself, so copies of it in a row are a valid stream.
func bomb(t testing.TB, mib int) zipPart {
	t.Helper()
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	copy(chunk, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`)
	var piece bytes.Buffer
	fw, _ := flate.NewWriter(&piece, flate.BestCompression)
	fw.Write(chunk)
	fw.Flush()
	plain := bytes.Repeat([]byte(" "), 1<<20) // the chunks after the first
	var first, rest bytes.Buffer
	first.Write(piece.Bytes())
	fw2, _ := flate.NewWriter(&rest, flate.BestCompression)
	fw2.Write(plain)
	fw2.Flush()
	deflated := append([]byte{}, first.Bytes()...)
	crc := crc32.Update(0, crc32.IEEETable, chunk)
	for range mib - 1 {
		deflated = append(deflated, rest.Bytes()...)
		crc = crc32.Update(crc, crc32.IEEETable, plain)
	}
	deflated = append(deflated, 0x03, 0x00) // a final, empty block
	return zipPart{deflated: deflated, crc: crc, size: uint64(mib) << 20}
}

// TestWorkbookLimits: a workbook beyond a limit is refused with ErrLimit
// (exit code 3) before anything is expanded, and without the memory the
// limit is there to bound: zip bombs (a sheet of 4 GiB of spaces, deflated
// to 4 MB; parts that add up to more than the total), a header 16,384
// cells wide, too many shared strings (declared, or present without being
// declared), rows past Excel's last.
func TestWorkbookLimits(t *testing.T) {
	base := makeWorkbook(t, [][]any{headerRow(), {"EXP-1", "DOS-1", "nee", "ja", 2014}}, nil)
	wide := make([]any, 16384)
	for i := range wide {
		wide[i] = fmt.Sprintf("kolom%d", i+1)
	}
	for i, n := range contractHeader {
		wide[i] = n
	}
	var items strings.Builder
	items.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">`)
	for range maxSharedStrings + 10 {
		items.WriteString("<si><t/></si>")
	}
	items.WriteString("</sst>")
	sheet := func(rows string) string {
		var head strings.Builder
		for i, n := range contractHeader {
			fmt.Fprintf(&head, `<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>`, columnLetter(i), n)
		}
		return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1">` + head.String() + `</row>` + rows + `</sheetData></worksheet>`
	}
	tests := []struct {
		name string
		xlsx func() []byte
		msg  string
	}{
		{"a sheet of 4 GiB", func() []byte { return rezip(t, base, map[string]any{"xl/worksheets/sheet1.xml": bomb(t, 4096)}) },
			`x.xlsx: the extract exceeds a limit of the reader: a sheet or the shared strings of the workbook ("xl/worksheets/sheet1.xml") takes 4,096 MiB uncompressed, more than the 256 MiB the reader takes (is it a zip bomb?)`},
		{"a picture of 100 MiB", func() []byte { return rezip(t, base, map[string]any{"xl/media/image1.png": bomb(t, 100)}) },
			`a part of the workbook ("xl/media/image1.png") takes 100 MiB uncompressed, more than the 16 MiB the reader takes`},
		{"parts of 600 MiB", func() []byte {
			return rezip(t, base, map[string]any{"xl/worksheets/sheet2.xml": bomb(t, 200), "xl/worksheets/sheet3.xml": bomb(t, 200), "xl/worksheets/sheet4.xml": bomb(t, 200)})
		}, "the parts of the workbook take more than 512 MiB uncompressed, the reader's limit (is it a zip bomb?)"},
		{"a header 16,384 cells wide", func() []byte { return makeWorkbook(t, [][]any{wide, {"EXP-1", "DOS-1", "nee", "ja", 2014}}, nil) },
			`x.xlsx, sheet "Sheet1", row 1: the extract exceeds a limit of the reader: the header has 16,384 columns, more than the 1,000 the reader takes`},
		{"shared strings declared", func() []byte {
			return rezip(t, base, map[string]any{"xl/sharedStrings.xml": `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9000000" uniqueCount="9000000"><si><t>x</t></si></sst>`})
		}, "the workbook has 9,000,000 distinct texts or more, more than the 1,000,000 the reader takes"},
		{"shared strings not declared", func() []byte { return rezip(t, base, map[string]any{"xl/sharedStrings.xml": items.String()}) },
			"distinct texts or more, more than the 1,000,000 the reader takes"},
		{"a row past Excel's last", func() []byte {
			return rezip(t, base, map[string]any{"xl/worksheets/sheet1.xml": sheet(`<row r="1048577"><c r="A1048577"><v>1</v></c></row>`)})
		},
			"the sheet has more than 1,048,576 rows (Excel's limit)"},
		{"a value longer than a cell", func() []byte {
			return rezip(t, base, map[string]any{"xl/worksheets/sheet1.xml": sheet(`<row r="2"><c r="A2" t="inlineStr"><is><t>EXP-1</t></is></c><c r="B2" t="inlineStr"><is><t>` +
				strings.Repeat("é", 40000) + `</t></is></c></row>`)})
		}, `x.xlsx, sheet "Sheet1", row 2, cell B2 (dossier_id): the extract exceeds a limit of the reader: a value of 40,000 characters, more than the 32,767 an Excel cell holds`},
		{"a file of 65 MiB", func() []byte { return append(append([]byte{}, base...), make([]byte, 65<<20)...) },
			"x.xlsx: the extract exceeds a limit of the reader: the workbook is larger than 64 MiB (the reader's limit for a workbook); export the sheet as CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xlsx := tt.xlsx()
			var err error
			used := allocated(func() { _, err = Read(bytes.NewReader(xlsx), Options{Source: "x.xlsx", IgnoreUnknownColumns: true}) })
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want ErrLimit: %q", err, tt.msg)
			}
			if limit := uint64(len(xlsx))*3 + 64<<20; used > limit {
				t.Errorf("allocated %d MB to refuse it, want at most %d MB", used>>20, limit>>20)
			}
		})
	}
}

// TestWorkbookErrors: what cannot be read as a workbook, and a sheet that
// is not there, are file-level errors that say what the file is and what
// to do; problems of the header and the rows name the sheet, row and cell.
func TestWorkbookErrors(t *testing.T) {
	good := []any{"EXP-1", "DOS-1", "nee", "ja", 2014}
	var other bytes.Buffer
	zw := zip.NewWriter(&other)
	w, _ := zw.Create("readme.txt")
	io.WriteString(w, "not a workbook")
	zw.Close()
	var ods bytes.Buffer
	zw = zip.NewWriter(&ods)
	w, _ = zw.Create("mimetype")
	io.WriteString(w, "application/vnd.oasis.opendocument.spreadsheet")
	zw.Close()
	tests := []struct {
		name   string
		data   []byte
		sheet  string
		ignore bool
		err    error
		msg    string
	}{
		{"a zip archive", other.Bytes(), "", false, ErrWorkbook, "x.xlsx: the workbook cannot be read: it is a zip archive, not an Excel workbook (.xlsx), or export the sheet as CSV"},
		{"an OpenDocument spreadsheet", ods.Bytes(), "", false, ErrWorkbook, "it is an OpenDocument spreadsheet (.ods) or another document; save it as an Excel workbook (.xlsx), or export the sheet as CSV"},
		{"a damaged zip", makeWorkbook(t, [][]any{headerRow(), good}, nil)[:2000], "", false, ErrWorkbook, "it is not a valid zip archive"},
		{"no such sheet", makeWorkbook(t, [][]any{headerRow(), good}, func(f *excelize.File) { f.NewSheet("Populatie") }), "Data", false, ErrSheet,
			`x.xlsx: no such sheet: the workbook has no sheet "Data"; its sheets are "Sheet1", "Populatie"`},
		{"an empty sheet", makeWorkbook(t, nil, nil), "", false, ErrEmptyFile, `x.xlsx, sheet "Sheet1": the file is empty: the sheet is empty`},
		{"a missing column", makeWorkbook(t, [][]any{{"id", "herstel_als_aanvrager", "gedupeerd", "start_problematiek"}, good}, nil), "", false, ErrMissingColumn,
			`x.xlsx, sheet "Sheet1", row 1, column dossier_id: a required column is missing`},
		{"an unknown column", makeWorkbook(t, [][]any{headerRow("opmerking"), good}, nil), "", false, ErrUnknownColumn,
			`x.xlsx, sheet "Sheet1", row 1, cell N1 (opmerking): unknown column: not in the contract`},
		{"a name column", makeWorkbook(t, [][]any{headerRow("achternaam"), good}, nil), "", true, ErrNotPseudonymised,
			`x.xlsx, sheet "Sheet1", row 1, cell N1 (achternaam): the extract is not pseudonymised: the column's name suggests direct identification`},
		{"a column twice", makeWorkbook(t, [][]any{headerRow("id"), good}, nil), "", false, ErrDuplicateColumn,
			`x.xlsx, sheet "Sheet1", row 1, cell N1 (id): a column appears twice: columns A and N are both called id; keep one`},
		{"a value past the header", makeWorkbook(t, [][]any{headerRow(), good, append(append([]any{}, good...), nil, nil, nil, nil, nil, nil, nil, nil, nil, "x")}, nil), "", false, ErrUnknownColumn,
			`x.xlsx, sheet "Sheet1", row 3, cell O3: unknown column: the column has no name in the header row but a value on this row`},
		{"a BSN past the header", makeWorkbook(t, [][]any{headerRow(), good, append(append([]any{}, good...), nil, nil, nil, nil, nil, nil, nil, nil, nil, 111222333)}, nil), "", true, ErrNotPseudonymised,
			`x.xlsx, sheet "Sheet1", row 3, cell O3: the extract is not pseudonymised`},
		{"--sheet on text", []byte(header + "EXP-1,D,nee,ja,2014,,,,,,,,\n"), "Blad1", false, ErrSheet,
			`x.xlsx: no such sheet: --sheet "Blad1" is for a workbook (.xlsx), and this file is text; leave --sheet out`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tt.data), Options{Source: "x.xlsx", Sheet: tt.sheet, IgnoreUnknownColumns: tt.ignore})
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want %v: %q", err, tt.err, tt.msg)
			}
			if strings.Contains(err.Error(), "222") {
				t.Errorf("got %q, which repeats the value", err)
			}
		})
	}
}

// TestWorkbookSheets: the first sheet is read, or the one Options.Sheet
// names (in any case); rows without a value are skipped wherever they are;
// a value past the header is ignored with IgnoreUnknownColumns, and named
// in a warning; a boolean cell is a yes or no.
func TestWorkbookSheets(t *testing.T) {
	xlsx := makeWorkbook(t, [][]any{{"notes"}}, func(f *excelize.File) {
		f.NewSheet("Populatie")
		f.SetSheetRow("Populatie", "B3", &[]any{"id", "dossier_id", "herstel_als_aanvrager", "gedupeerd", "start_problematiek"})
		f.SetSheetRow("Populatie", "B5", &[]any{"EXP-1", "DOS-1", false, true, 2014, nil, "x"})
		f.SetSheetRow("Populatie", "B9", &[]any{"EXP-2", "DOS-1", true, "onbekend", 41751})
		f.SetCellStyle("Populatie", "A20", "F20", 1) // formatted, empty
	})
	if _, err := Read(bytes.NewReader(xlsx), Options{Source: "x.xlsx"}); !errors.Is(err, ErrMissingColumn) {
		t.Errorf("the first sheet: got %v, want its header refused", err)
	}
	pop, err := Read(bytes.NewReader(xlsx), Options{Source: "x.xlsx", Sheet: "populatie", IgnoreUnknownColumns: true})
	if err != nil {
		t.Fatal(err)
	}
	if pop.Sheet != "Populatie" || pop.Encoding != "" || pop.Delimiter != 0 || pop.RowsRead != 2 || len(pop.Records) != 2 {
		t.Fatalf("got sheet %q, encoding %q, delimiter %q, %d read, %d used (%v); want Populatie, none, 2 used", pop.Sheet, pop.Encoding, pop.Delimiter, pop.RowsRead, len(pop.Records), pop.Rejected)
	}
	r0, r1 := pop.Records[0], pop.Records[1]
	if r0.Line != 5 || r0.RestoredAsApplicant || r0.Affected != Yes || r1.Line != 9 || !r1.RestoredAsApplicant || r1.ProblemStart.String() != "2014-04-22" {
		t.Errorf("got %+v and %+v", r0, r1)
	}
	if got, want := strings.Join(pop.Warnings, "; "), "ignored columns without a name in the header that hold values: column H"; got != want {
		t.Errorf("got warnings %q, want %q", got, want)
	}
}

// TestSerialDates: an Excel date number is the day Excel shows for it
// (excelize's ExcelDateToTime), the time of day dropped, also in a workbook
// that counts from 1904; a number of fewer than five digits (a year, a
// stray 14) is read as text, and numbers past 2100 are refused.
func TestSerialDates(t *testing.T) {
	for _, serial := range []float64{10000, 41751, 41751.5, 41751.999988, 43100, 73415} {
		for _, date1904 := range []bool{false, true} {
			if date1904 && serial > 73415-1462 {
				continue
			}
			want, err := excelize.ExcelDateToTime(serial, date1904)
			if err != nil {
				t.Fatal(err)
			}
			v := fmt.Sprint(serial)
			got, ok, err := serialDate(v, date1904)
			if !ok || err != nil || got != DateOf(want) {
				t.Errorf("serialDate(%s, 1904 %v): got %s, %v, %v; want %s", v, date1904, got, ok, err, DateOf(want))
			}
		}
	}
	for _, tt := range []struct {
		in     string
		ok     bool
		date   string
		reason string
	}{
		{"2014", false, "", ""},
		{"14", false, "", ""},
		{"9999", false, "", ""},
		{"73416", true, "", `date "73416" is a number, not a date from 1900 to 2100 (as an Excel date number: from 10000 to 73415)`},
		{"22-4-2014", false, "", ""},
		{"41751.", false, "", ""},
		{"4175x", false, "", ""},
		{" 41751 ", true, "2014-04-22", ""},
	} {
		got, ok, err := serialDate(tt.in, false)
		if ok != tt.ok || got.String() != tt.date || (tt.reason == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("serialDate(%q): got %s, %v, %v; want %q, %v, %q", tt.in, got, ok, err, tt.date, tt.ok, tt.reason)
		}
	}
	// A workbook that counts from 1904.
	xlsx := makeWorkbook(t, [][]any{headerRow(), {"EXP-1", "DOS-1", "nee", "ja", 40289.0}}, func(f *excelize.File) {
		yes := true
		f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes})
	})
	pop, err := Read(bytes.NewReader(xlsx), Options{Source: "x.xlsx", Today: today})
	if err != nil || pop.Records[0].ProblemStart.String() != "2014-04-22" {
		t.Errorf("1904: got %v, %v; want 2014-04-22", err, pop)
	}
}

// TestExcelNumber: a double as a workbook stores it reads as a spreadsheet
// shows it, to 15 significant digits, without an exponent; other values,
// long whole numbers (ids) among them, stay as they are.
func TestExcelNumber(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1234.5699999999999", "1234.57"},
		{"0.30000000000000004", "0.3"},
		{"434.99999999999994", "435"},
		{"300.00000000000006", "300"},
		{"1.23456782E8", "123456782"},
		{"1.23456782e+8", "123456782"},
		{"4.1751E4", "41751"},
		{"-2.5E-3", "-0.0025"},
		{"1E-2", "0.01"},
		{"12345.67", "12345.67"},
		{"123456789012345678", "123456789012345678"},
		{"EXP-0000001", "EXP-0000001"},
		{"12345678901234567x", "12345678901234567x"},
		{"1.2.3E4", "1.2.3E4"},
		{"1E", "1E"},
		{"E5", "E5"},
		{"1E999", "1E999"},
	} {
		if got := excelNumber(tt.in); got != tt.want {
			t.Errorf("excelNumber(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWorkbookIsRecognisedByContent: a workbook is told by its bytes, not
// by its name: one called .csv reads as a workbook, and the hash is of the
// whole file.
func TestWorkbookIsRecognisedByContent(t *testing.T) {
	xlsx := makeWorkbook(t, [][]any{headerRow(), {"EXP-1", "DOS-1", "nee", "ja", 2014}}, nil)
	pop, err := Read(bytes.NewReader(xlsx), Options{Source: "extract.csv", Today: today})
	if err != nil || pop.Sheet != "Sheet1" || len(pop.Records) != 1 || len(pop.SHA256) != 64 {
		t.Errorf("got %v, %+v; want one record from Sheet1", err, pop)
	}
}

// TestBombIsAZipPart: the parts bomb makes are what they claim to be: a
// valid deflate stream of that many bytes with that CRC-32 (archive/zip
// checks both), so the limits are tested on real zip bombs.
func TestBombIsAZipPart(t *testing.T) {
	base := makeWorkbook(t, [][]any{headerRow()}, nil)
	b := rezip(t, base, map[string]any{"xl/media/big.xml": bomb(t, 3)})
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "xl/media/big.xml" {
			continue
		}
		rc, _ := f.Open()
		n, err := io.Copy(io.Discard, rc)
		if err != nil || n != 3<<20 {
			t.Errorf("got %d bytes, %v; want 3 MiB", n, err)
		}
		return
	}
	t.Fatal("no part")
}

// TestWorkbookNumbersWhereTheyCount: numbers are read as a spreadsheet
// shows them where they are amounts or dates (1.2345E3 is 1234.50, a
// date number with an exponent is a date), while an id that looks like a
// number with an exponent stays as it is written.
func TestWorkbookNumbersWhereTheyCount(t *testing.T) {
	base := makeWorkbook(t, [][]any{headerRow(), {"EXP-1", "DOS-1", "nee", "ja", 2014}}, nil)
	var head strings.Builder
	for i, n := range contractHeader {
		fmt.Fprintf(&head, `<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>`, columnLetter(i), n)
	}
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1">` + head.String() + `</row><row r="2"><c r="A2" t="inlineStr"><is><t>12E3</t></is></c><c r="B2" t="inlineStr"><is><t>D</t></is></c>` +
		`<c r="C2" t="b"><v>0</v></c><c r="D2" t="inlineStr"><is><t>ja</t></is></c><c r="E2"><v>4.1751E4</v></c><c r="I2"><v>1.2345E3</v></c></row></sheetData></worksheet>`
	pop, err := Read(bytes.NewReader(rezip(t, base, map[string]any{"xl/worksheets/sheet1.xml": sheet})), Options{Source: "x.xlsx", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if r := pop.Records[0]; r.ID != "12E3" || r.ProblemStart.String() != "2014-04-22" || r.Recovery.Cents != 123450 {
		t.Errorf("got %+v; want id 12E3, start 2014-04-22, recovery 1234.50", r)
	}
}

// TestWorkbookInMemoryOnly: a workbook is read in memory only, also a sheet
// larger than excelize's default threshold for writing it to a temporary
// file (16 MiB): no file appears in the temporary directory while it is
// read. (A web page will read uploaded extracts that must not reach the
// disk.)
func TestWorkbookInMemoryOnly(t *testing.T) {
	base := makeWorkbook(t, [][]any{headerRow(), {"EXP-1", "DOS-1", "nee", "ja", 2014}}, nil)
	var rows strings.Builder
	rows.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
	for i, n := range contractHeader {
		fmt.Fprintf(&rows, `<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>`, columnLetter(i), n)
	}
	rows.WriteString(`</row>`)
	for r := 2; r < 2000; r++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>EXP-%d</t></is></c><c r="B%d" t="inlineStr"><is><t>D</t></is></c>`+
			`<c r="C%d" t="inlineStr"><is><t>nee</t></is></c><c r="D%d" t="inlineStr"><is><t>ja</t></is></c><c r="E%d"><v>2014</v></c></row>`, r, r, r, r, r, r, r)
	}
	rows.WriteString(`</sheetData>` + strings.Repeat(" ", 20<<20) + `</worksheet>`)
	xlsx := rezip(t, base, map[string]any{"xl/worksheets/sheet1.xml": rows.String()})
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	done, seen := make(chan struct{}), make(chan []string, 1)
	go func() {
		var found []string
		defer func() { seen <- found }()
		for {
			if entries, _ := os.ReadDir(tmp); len(entries) > 0 && found == nil {
				for _, e := range entries {
					found = append(found, e.Name())
				}
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	pop, err := Read(bytes.NewReader(xlsx), Options{Source: "x.xlsx"})
	close(done)
	if err != nil || len(pop.Records) != 1998 {
		t.Fatalf("got %v; want 1998 records", err)
	}
	if found := <-seen; found != nil {
		t.Errorf("files in the temporary directory while the workbook was read: %v", found)
	}
}

// TestSafely: a panic in the spreadsheet library on a crafted file is an
// error, which Read reports as ErrWorkbook, not a crash of the tool.
func TestSafely(t *testing.T) {
	err := safely(func() error { panic("index out of range [3] with length 2") })
	if err == nil || !strings.Contains(err.Error(), "the spreadsheet library failed on it (index out of range [3] with length 2)") {
		t.Errorf("got %v, want the panic as an error", err)
	}
	if err := safely(func() error { return io.EOF }); err != io.EOF {
		t.Errorf("got %v, want the error itself", err)
	}
}
