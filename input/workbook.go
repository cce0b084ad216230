package input

// This file reads an extract that is an Excel workbook (.xlsx) into rows
// for the checks that text goes through (parse.go): the header, the guard,
// unknown and missing columns, the rows. The workbook's limits are checked
// on its zip directory before anything is expanded, and excelize reads it
// in memory only.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"raming/internal/bsn"
)

// zipMagic starts a zip archive, which an .xlsx workbook is.
var zipMagic = []byte("PK\x03\x04")

// workbook is the sheet being read.
type workbook struct {
	f      *excelize.File
	rows   *excelize.Rows
	row    int      // the number of the row last read (Rows.Next yields every row, also missing ones)
	fields []string // scratch: the fields of a row, padded to the header
}

// safely calls the spreadsheet library, turning a panic into an error:
// excelize reads files made by anyone, and a crafted one may hit a bug.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the spreadsheet library failed on it (%v)", r)
		}
	}()
	return f()
}

// openWorkbook reads the workbook in br (its limits first: checkZip), opens
// it with excelize and starts reading the sheet (Options.Sheet or the
// first).
func (rd *reader) openWorkbook(br *bufio.Reader) (*workbook, error) {
	data, err := io.ReadAll(io.LimitReader(br, maxWorkbookBytes+1))
	if err != nil {
		return nil, rd.fail(ErrWorkbook, 0, "", "cannot read it: "+err.Error())
	}
	if len(data) > maxWorkbookBytes {
		return nil, rd.fail(ErrLimit, 0, "", fmt.Sprintf("the workbook is larger than %s (the reader's limit for a workbook); export the sheet as CSV, which has no such limit", size(maxWorkbookBytes)))
	}
	if detail, sentinel := checkZip(data); sentinel != nil {
		return nil, rd.fail(sentinel, 0, "", detail)
	}
	wb := &workbook{}
	opts := excelize.Options{UnzipSizeLimit: maxUnzippedBytes, UnzipXMLSizeLimit: maxUnzippedBytes} // in memory: no temporary files
	var sheets []string
	date1904 := false
	err = safely(func() error {
		var err error
		if wb.f, err = excelize.OpenReader(bytes.NewReader(data), opts); err != nil {
			return err
		}
		sheets = wb.f.GetSheetList()
		props, err := wb.f.GetWorkbookProps()
		date1904 = props.Date1904 != nil && *props.Date1904
		return err
	})
	if err != nil {
		wb.close()
		return nil, rd.fail(ErrWorkbook, 0, "", "it is not a workbook that can be read ("+err.Error()+"); save it again as an Excel workbook (.xlsx), or export the sheet as CSV")
	}
	sheet := ""
	for _, s := range sheets {
		if rd.opts.Sheet == "" || strings.EqualFold(s, strings.TrimSpace(rd.opts.Sheet)) {
			sheet = s
			break
		}
	}
	switch {
	case len(sheets) == 0:
		wb.close()
		return nil, rd.fail(ErrWorkbook, 0, "", "it has no sheets")
	case sheet == "":
		wb.close()
		return nil, rd.fail(ErrSheet, 0, "", fmt.Sprintf("the workbook has no sheet %s; its sheets are %s", quote(rd.opts.Sheet), sheetList(sheets)))
	}
	rd.pop.Sheet = sheet
	if err := safely(func() (err error) { wb.rows, err = wb.f.Rows(sheet); return err }); err != nil {
		wb.close()
		return nil, rd.fail(ErrWorkbook, 0, "", "cannot read the sheet: "+err.Error())
	}
	rd.workbook, rd.date1904 = true, date1904
	rd.decimal = eitherMark // text cells do not tell; numbers have a point
	return wb, nil
}

// sheetList lists sheet names for a message.
func sheetList(sheets []string) string {
	q := make([]string, len(sheets))
	for i, s := range sheets {
		q[i] = quote(s)
	}
	return some(q)
}

// close releases the workbook.
func (wb *workbook) close() {
	safely(func() error {
		if wb.rows != nil {
			wb.rows.Close()
		}
		if wb.f != nil {
			wb.f.Close()
		}
		return nil
	})
}

// checkZip checks a workbook's limits on its zip directory and the first
// bytes of its shared strings, before anything is expanded: the parts, their
// uncompressed sizes (which archive/zip holds them to), the number of
// shared strings. It also tells a workbook from other zip archives. It
// returns what is wrong and its sentinel, or a nil sentinel.
func checkZip(data []byte) (string, error) {
	// Every entry of a zip directory starts with this signature: counting
	// them bounds the entries before archive/zip reads them all.
	if n := bytes.Count(data, []byte("PK\x01\x02")); n > maxZipEntries {
		return fmt.Sprintf("the workbook has %s parts or more, more than the %s the reader takes", thousands(int64(n)), thousands(maxZipEntries)), ErrLimit
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "it is not a valid zip archive (" + err.Error() + "), as an .xlsx workbook is; is it damaged? save it again, or export the sheet as CSV", ErrWorkbook
	}
	var total uint64
	var sst *zip.File
	kind := "" // what the archive is, if not a workbook
	workbook := false
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		limit, what := uint64(maxOtherPartBytes), "a part"
		if strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml" {
			limit, what = maxSheetPartBytes, "a sheet or the shared strings"
		}
		if f.UncompressedSize64 > limit {
			return fmt.Sprintf("%s of the workbook (%s) takes %s uncompressed, more than the %s the reader takes (is it a zip bomb?)",
				what, quote(f.Name), size(int64(min(f.UncompressedSize64, 1<<62))), size(int64(limit))), ErrLimit
		}
		if total += f.UncompressedSize64; total > maxUnzippedBytes {
			return fmt.Sprintf("the parts of the workbook take more than %s uncompressed, the reader's limit (is it a zip bomb?)", size(maxUnzippedBytes)), ErrLimit
		}
		switch name {
		case "xl/workbook.xml":
			workbook = true
		case "xl/workbook.bin":
			kind = "an Excel binary workbook (.xlsb); save it as an Excel workbook (.xlsx)"
		case "mimetype", "content.xml":
			kind = "an OpenDocument spreadsheet (.ods) or another document; save it as an Excel workbook (.xlsx)"
		case "word/document.xml":
			kind = "a Word document"
		case "xl/sharedstrings.xml":
			sst = f
		}
	}
	if !workbook {
		if kind == "" {
			kind = "a zip archive, not an Excel workbook (.xlsx)"
		}
		return "it is " + kind + ", or export the sheet as CSV", ErrWorkbook
	}
	if sst != nil {
		n, err := sharedStrings(sst)
		if err != nil {
			return "its shared strings cannot be read (" + err.Error() + "); is it damaged? save it again, or export the sheet as CSV", ErrWorkbook
		}
		if n > maxSharedStrings {
			return fmt.Sprintf("the workbook has %s distinct texts or more, more than the %s the reader takes; export the sheet as CSV, which has no such limit",
				thousands(n), thousands(maxSharedStrings)), ErrLimit
		}
	}
	return "", nil
}

// sharedStrings bounds the number of shared strings of a workbook before
// excelize reads them (each takes some 200 bytes then): the uniqueCount in
// the first bytes of the part, and, since that may be absent or lie, the
// string items themselves, counted as the part streams past (which reads
// it once, in constant memory). It returns the larger.
func sharedStrings(f *zip.File) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	buf := make([]byte, 32<<10)
	n, err := io.ReadFull(rc, buf[:4096])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, err
	}
	unique := int64(0)
	if i := bytes.Index(buf[:n], []byte("uniqueCount=\"")); i >= 0 {
		v := buf[i+len("uniqueCount=\"") : n]
		if j := bytes.IndexByte(v, '"'); j >= 0 && j <= 18 {
			unique, _ = strconv.ParseInt(string(v[:j]), 10, 64)
		}
	}
	items, carry := int64(0), 0
	for {
		items += stringItems(buf[:carry+n])
		if err != nil { // the end, or a damaged part
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = nil
			}
			return max(unique, items), err
		}
		if items > maxSharedStrings || unique > maxSharedStrings {
			return max(unique, items), nil // enough to refuse it
		}
		// Keep the last bytes: an item's tag may span two reads.
		carry = copy(buf, buf[max(0, carry+n-4):carry+n])
		n, err = rc.Read(buf[carry:])
	}
}

// stringItems counts the string items (<si>, <si/>, <x:si ...>) starting
// in b: "si" after < or : and before >, / or white space.
func stringItems(b []byte) int64 {
	var n int64
	for i := 1; i+2 < len(b); i++ {
		if b[i] == 's' && b[i+1] == 'i' && (b[i-1] == '<' || b[i-1] == ':') {
			switch b[i+2] {
			case '>', '/', ' ', '\t', '\n', '\r':
				n++
			}
		}
	}
	return n
}

// nextRow reads the sheet's next row: its cells as excelize gives them
// (raw values: numbers as stored, booleans as 1 and 0, text as is), up to
// the last one with a value; false after the last row.
func (wb *workbook) nextRow() (cells []string, more bool, err error) {
	err = safely(func() error {
		if more = wb.rows.Next(); !more {
			return wb.rows.Error()
		}
		wb.row++
		var err error
		cells, err = wb.rows.Columns(excelize.Options{RawCellValue: true})
		return err
	})
	return cells, more, err
}

// sheetHeader reads the header: the first row of the sheet with a value.
func (rd *reader) sheetHeader(wb *workbook) error {
	for {
		cells, more, err := wb.nextRow()
		switch {
		case err != nil:
			return rd.sheetError(wb, err)
		case !more:
			return rd.fail(ErrEmptyFile, 0, "", "the sheet is empty; give the sheet with the population (--sheet), with a header row and one row per ex-partner")
		case wb.row > maxSheetRows:
			return rd.fail(ErrLimit, wb.row, "", fmt.Sprintf("the sheet has more than %s rows (Excel's limit)", thousands(maxSheetRows)))
		case blank(cells):
			continue
		case len(cells) > maxColumns:
			return rd.fail(ErrLimit, wb.row, "", fmt.Sprintf("the header has %s columns, more than the %s the reader takes; export only the contract's columns (docs/input.md)",
				thousands(int64(len(cells))), thousands(maxColumns)))
		}
		for i, c := range cells {
			if len(c) > maxValueChars && utf8.RuneCountInString(c) > maxValueChars {
				return rd.failAt(ErrLimit, wb.row, i, fmt.Sprintf("a column name of more than %s characters", thousands(maxValueChars)))
			}
		}
		return rd.checkHeader(cells, wb.row)
	}
}

// sheetError is the file-level error of a row excelize cannot read.
func (rd *reader) sheetError(wb *workbook, err error) error {
	if errors.Is(err, excelize.ErrMaxRows) {
		return rd.fail(ErrLimit, 0, "", fmt.Sprintf("the sheet has more than %s rows (Excel's limit)", thousands(maxSheetRows)))
	}
	return rd.fail(ErrWorkbook, wb.row, "", "cannot read the row ("+err.Error()+"); is the workbook damaged? save it again, or export the sheet as CSV")
}

// blank reports whether every cell is empty or white space.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sheetRow reads the next data row of the sheet, as split reads one of
// text: its fields, padded to the header's width; rows without a value are
// skipped. A number is also guarded as a spreadsheet shows it (excelNumber:
// 1.23456782E8 is 123456782); amounts and dates read it so (moneyValue,
// dateValue), other columns as stored (an id 12E3 stays 12E3). A value
// past the header's last column is a value under a column without a name
// (noNameValues): it passes the guard, and is an unknown column unless
// Options.IgnoreUnknownColumns.
func (rd *reader) sheetRow(wb *workbook) (split, []string, bool) {
	for {
		cells, more, err := wb.nextRow()
		switch {
		case err != nil:
			return split{err: rd.sheetError(wb, err)}, nil, true
		case !more:
			return split{}, nil, false
		case wb.row > maxSheetRows:
			return split{err: rd.fail(ErrLimit, wb.row, "", fmt.Sprintf("the sheet has more than %s rows (Excel's limit)", thousands(maxSheetRows)))}, nil, true
		case blank(cells):
			continue
		}
		for i, c := range cells {
			if x := excelNumber(c); x != c && bsn.InValue(x) {
				return split{err: rd.failAt(ErrNotPseudonymised, wb.row, i, bsnDetail)}, nil, true
			}
		}
		for i := len(rd.headers); i < len(cells); i++ {
			v := cells[i]
			switch {
			case strings.TrimSpace(v) == "":
			case bsn.InValue(v):
				return split{err: rd.failAt(ErrNotPseudonymised, wb.row, i, bsnDetail)}, nil, true
			case len(v) > maxValueChars && utf8.RuneCountInString(v) > maxValueChars:
				return split{err: rd.failAt(ErrLimit, wb.row, i, fmt.Sprintf("a value of %s characters, more than the %s an Excel cell holds (the reader's limit for a value)",
					thousands(int64(utf8.RuneCountInString(v))), thousands(maxValueChars)))}, nil, true
			case !rd.opts.IgnoreUnknownColumns:
				return split{err: rd.failAt(ErrUnknownColumn, wb.row, i, "the column has no name in the header row but a value on this row; name it if it is in the contract (docs/input.md), or remove it, or give --ignore-unknown-columns")}, nil, true
			default:
				if rd.pastHeader == nil {
					rd.pastHeader = map[int]bool{}
				}
				rd.pastHeader[i] = true
			}
		}
		wb.fields = append(wb.fields[:0], cells[:min(len(cells), len(rd.headers))]...)
		for len(wb.fields) < len(rd.headers) {
			wb.fields = append(wb.fields, "")
		}
		return split{line: wb.row}, wb.fields, true
	}
}

// excelNumber is a number as a workbook stores it (a double, written
// with up to 17 significant digits: 1234.5699999999999, or with an
// exponent: 1.23456782E8) as a spreadsheet shows it: rounded to 15
// significant digits, without an exponent (1234.57, 123456782), so that a
// workbook and its CSV export read to the same figures. Other values, and
// numbers of 15 significant digits or fewer without an exponent, are
// returned as they are.
func excelNumber(s string) string {
	if len(s) <= 16 && !strings.ContainsAny(s, "Ee") {
		return s // at most 15 digits, or not a number
	}
	i, digits, point, exp := 0, 0, false, false
	if i < len(s) && s[i] == '-' {
		i++
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if !exp {
				digits++
			}
		case c == '.' && !point && !exp && digits > 0:
			point = true
		case (c == 'E' || c == 'e') && !exp && digits > 0:
			exp = true
			if i+1 < len(s) && (s[i+1] == '+' || s[i+1] == '-') {
				i++
			}
			if i+1 == len(s) {
				return s
			}
		default:
			return s
		}
	}
	if !exp && !point { // a whole number of many digits (an id?): as it is
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// serialDate reads a number in a date column of a workbook as an Excel date
// number (days since 1900, or since 1904 in a workbook that counts from
// 1904), the fraction (a time of day) dropped. Only a number of five digits
// or more before the point is one (from 10000: 18 May 1927 on; the
// extract's dates are decades later): ok is false for other values, which
// are read as text is (parseDate), so that a year (2014, a day in 1905 as a
// date number) is a year in start_problematiek and refused elsewhere, and a
// stray small number (14) is refused, not taken for a day in 1900.
func serialDate(v string, date1904 bool) (d Date, ok bool, err error) {
	t := strings.TrimSpace(v)
	whole, frac, point := strings.Cut(t, ".")
	if len(whole) < 5 || len(whole) > 9 || strings.Trim(whole, "0123456789") != "" || point && (frac == "" || strings.Trim(frac, "0123456789") != "") {
		return 0, false, nil
	}
	n, _ := strconv.Atoi(whole)
	if date1904 {
		d = civil(1904, 1, 1) + Date(n)
	} else {
		d = Date(n - 1) // Excel counts a 29 February 1900, Date does not
	}
	if n < 10000 || d > civil(maxYear, 12, 31) {
		return 0, true, valueError(ErrBadDate, "date %s is a number, not a date from %d to %d (as an Excel date number: from 10000 to %d)",
			quote(v), minYear, maxYear, int(civil(maxYear, 12, 31))+1)
	}
	return d, true, nil
}

// columnLetter is the letter of field i in a sheet: A, ..., Z, AA, ...
func columnLetter(i int) string {
	s := ""
	for n := i + 1; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

// cellName is the name of field i of row line in a sheet: E12.
func cellName(i, line int) string { return columnLetter(i) + strconv.Itoa(line) }
