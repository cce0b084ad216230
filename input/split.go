package input

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"raming/internal/bsn"
	"raming/internal/goroutine"
)

// This file splits an extract's text into rows: it tells text from a
// workbook or a binary file, finds the encoding (decoding Windows-1252),
// the line ends and the delimiter, and reads rows with encoding/csv,
// handing a row that is not valid CSV to the guard (malformed) before it
// is rejected. Checking and parsing the values of a row is parse.go's.

// sniffSize is how much of the file is looked at to tell whether it is text
// and its encoding; it is also the read buffer.
const sniffSize = 64 << 10

// The byte order marks of UTF-8, UTF-16 and UTF-32 text.
var (
	bom              = []byte{0xEF, 0xBB, 0xBF}
	utf16LE, utf16BE = []byte{0xFF, 0xFE}, []byte{0xFE, 0xFF}
	utf32LE, utf32BE = []byte{0xFF, 0xFE, 0, 0}, []byte{0, 0, 0xFE, 0xFF}
)

// open prepares to read the text of br, whose first bytes are head: it
// sniffs them (not text, the encoding, CR line ends, the delimiter or an
// Excel "sep=" line) and sets up the CSV reader.
func (rd *reader) open(br *bufio.Reader, head []byte) error {
	pop := rd.pop
	full := len(head) == sniffSize
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, bom))) == 0 && !full {
		return rd.fail(ErrEmptyFile, 0, "", "export the population with a header row and one row per ex-partner")
	}
	if kind := binaryKind(head); kind != "" {
		return rd.fail(ErrNotCSV, 0, "", kind+"; export the sheet as CSV (separated by , or ;) or as Unicode text (UTF-16)")
	}

	// The encoding.
	enc := strings.ToLower(strings.TrimSpace(rd.opts.Encoding))
	var text io.Reader = br
	sniffed := head // the sniffed bytes as text
	switch {
	case bytes.HasPrefix(head, utf16LE), bytes.HasPrefix(head, utf16BE): // Excel's "Unicode text"
		if enc != "" && enc != "auto" {
			return rd.fail(ErrEncoding, 0, "", fmt.Sprintf("%q: the file is UTF-16 text (it starts with a UTF-16 byte order mark, as Excel's \"Unicode text\"); leave --encoding out", rd.opts.Encoding))
		}
		pop.Encoding = "utf-16le"
		if bytes.HasPrefix(head, utf16BE) {
			pop.Encoding = "utf-16be"
		}
		utf16 := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM) // the BOM decides, and is dropped
		text = utf16.NewDecoder().Reader(br)
		sniffed, _ = utf16.NewDecoder().Bytes(head[:len(head)&^1])
		if len(bytes.TrimSpace(sniffed)) == 0 && !full {
			return rd.fail(ErrEmptyFile, 0, "", "export the population with a header row and one row per ex-partner")
		}
	default:
		hasBOM := bytes.HasPrefix(head, bom)
		if hasBOM {
			br.Discard(len(bom))
			head = head[len(bom):]
			sniffed = head
		}
		switch enc {
		case "", "auto":
			pop.Encoding = "utf-8"
			if !hasBOM && !utf8.Valid(trimPartialRune(head, full)) {
				pop.Encoding = "windows-1252"
				pop.Warnings = append(pop.Warnings, "the file is not valid UTF-8 and was read as Windows-1252 (a Dutch Excel export); give --encoding utf-8 or windows-1252 to choose")
			}
		case "utf-8", "utf8":
			pop.Encoding = "utf-8"
		case "windows-1252", "cp1252":
			pop.Encoding = "windows-1252"
		default:
			return rd.fail(ErrEncoding, 0, "", fmt.Sprintf("%q: use utf-8 or windows-1252", rd.opts.Encoding))
		}
		if pop.Encoding == "windows-1252" {
			text = charmap.Windows1252.NewDecoder().Reader(br)
		}
	}
	// Old Excel for Mac ends lines with CR alone, which encoding/csv does not
	// take for a line end: told by carriage returns and no line feed in the
	// sniffed bytes, and read with each CR as LF (a CR in a quoted value
	// becomes LF too, as encoding/csv does with CRLF).
	if rd.crOnly = bytes.IndexByte(sniffed, '\n') < 0 && bytes.IndexByte(sniffed, '\r') >= 0; rd.crOnly {
		text = crToLF{text}
	}
	rd.tape = &tape{r: text, limit: maxHeaderBytes}
	tr := bufio.NewReaderSize(rd.tape, sniffSize)

	// The delimiter, from the header line (after an Excel "sep=;" line).
	first, _ := tr.Peek(4096)
	if l, _, found := bytes.Cut(first, []byte("\n")); found && len(bytes.TrimSpace(l)) == 5 &&
		bytes.EqualFold(bytes.TrimSpace(l)[:4], []byte("sep=")) && bytes.ContainsAny(bytes.TrimSpace(l)[4:], ",;") {
		rd.delim = bytes.TrimSpace(l)[4]
		tr.Discard(len(l) + 1)
		rd.csvStart, rd.lineShift = int64(len(l)+1), 1
	} else {
		var err error
		if rd.delim, err = rd.delimiter(firstLine(first)); err != nil {
			return err
		}
	}
	pop.Delimiter = rune(rd.delim)
	switch rd.delim {
	case ';':
		rd.decimal = commaMark
	case ',':
		rd.decimal = pointMark
	default: // a tab: Excel's "Unicode text" writes amounts as the locale shows them
		rd.decimal = eitherMark
	}

	rd.cr = csv.NewReader(tr)
	rd.cr.Comma = pop.Delimiter
	rd.cr.FieldsPerRecord = -1 // counted here, so a short row is a row error with its line
	rd.cr.ReuseRecord = true
	return nil
}

// delimiter picks ';' or ',' from the header line: whichever occurs more
// often outside quotes; in UTF-16 text (Excel's "Unicode text", which is
// tab-separated) also a tab.
func (rd *reader) delimiter(line []byte) (byte, error) {
	semis, commas, tabs, quoted := 0, 0, 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ';':
			semis++
		case c == ',':
			commas++
		case c == '\t':
			tabs++
		}
	}
	utf16 := strings.HasPrefix(rd.pop.Encoding, "utf-16")
	switch {
	case utf16 && tabs > 0 && tabs >= semis && tabs >= commas:
		return '\t', nil
	case semis > commas:
		return ';', nil
	case commas > 0:
		return ',', nil
	case tabs > 0:
		return 0, rd.fail(ErrNotCSV, 1, "", "the header is separated by tabs; export the sheet as CSV (separated by , or ;) or as Unicode text (UTF-16, separated by tabs)")
	}
	if name := strings.ToLower(strings.TrimSpace(string(line))); columnIndex(name) < 0 {
		return 0, rd.fail(ErrNotCSV, 1, "", "the first line has no , or ; between column names; export the sheet as CSV with a header row")
	}
	return ',', nil // a single known column: the missing ones are named next
}

// split is one unit of work handed from splitting the text into rows to
// checking them: a row's fields and line, or a row that is not valid CSV
// (rejected), or a file-level error (err) that ends the read.
type split struct {
	fields   []string
	line     int
	rejected *RowError
	err      error
}

// splitBatch is a batch of rows handed over at once, with its fields in
// one array. Batches go back to the splitting goroutine once checked, so
// that a read allocates a few of them, not a slice per row.
type splitBatch struct {
	rows   []split
	fields []string
}

// batchRows is how many rows a splitBatch holds at most.
const batchRows = 512

// add copies a row's fields into the batch's array and returns them.
func (b *splitBatch) add(row []string, width int) []string {
	if len(b.fields)+len(row) > cap(b.fields) { // a row with more fields than the header
		b.fields = make([]string, 0, max(batchRows*width, len(row)))
	}
	k := len(b.fields)
	b.fields = append(b.fields, row...)
	return b.fields[k:len(b.fields):len(b.fields)]
}

// rows reads the data rows on two goroutines: one splits the text into
// rows (splitRows), the other checks and parses them (check), in file
// order, a batch at a time. The first file-level error in file order ends
// the read, as in one pass; the splitter then stops at its next row, or
// when the source it waits on returns, and nothing it does is used.
func (rd *reader) rows() error {
	full, free := make(chan *splitBatch, 4), make(chan *splitBatch, 6)
	stop, done := make(chan struct{}), make(chan struct{})
	var p goroutine.Carrier
	go func() {
		defer close(done)
		defer close(full)
		defer p.Catch()
		rd.splitRows(full, free, stop)
	}()
	var err error
	func() {
		defer close(stop) // also when the checking panics
		err = rd.check(full, free)
	}()
	if err != nil {
		return err
	}
	<-done
	p.Rethrow()
	return nil
}

// splitRows splits the text into rows (encoding/csv, and the guard on the
// raw text of a row that is not valid CSV: split) and hands them to the
// checker in batches: a batch when it is full, and the rows split so far
// whenever more of the text is to be read, since the source may make that
// wait (so a row is checked before the splitter waits for the next, as in
// one pass). It ends at the end of the text, at a file-level error, or
// when stop is closed.
func (rd *reader) splitRows(full chan<- *splitBatch, free <-chan *splitBatch, stop <-chan struct{}) {
	var b *splitBatch
	next := func() {
		select {
		case b = <-free:
		default:
			b = &splitBatch{rows: make([]split, 0, batchRows), fields: make([]string, 0, batchRows*len(rd.headers))}
		}
	}
	stopped := false
	flush := func() {
		if len(b.rows) == 0 || stopped {
			return
		}
		select {
		case full <- b:
			next()
		case <-stop:
			stopped = true
		}
	}
	next()
	if rd.tape != nil {
		rd.tape.fill = flush
		defer func() { rd.tape.fill = nil }()
	}
	for !stopped {
		sp, row, ok := rd.next()
		if !ok {
			break
		}
		if row != nil {
			sp.fields = b.add(row, len(rd.headers))
		}
		b.rows = append(b.rows, sp)
		if sp.err != nil {
			break
		}
		if len(b.rows) == batchRows {
			flush()
		}
	}
	flush()
}

// split reads the next row: a split, with the row's fields (valid until
// the next call) when it is valid CSV; false at the end of the text.
func (rd *reader) split() (split, []string, bool) {
	start := rd.cr.InputOffset()
	rd.tape.start = rd.csvStart + start
	row, err := rd.cr.Read()
	if rd.tape.over {
		return split{err: rd.rowTooLong(start, "a row is", maxRowBytes)}, nil, true
	}
	if err == io.EOF {
		return split{}, nil, false
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) && (pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote) {
		rejected, err := rd.malformed(pe, start)
		return split{rejected: rejected, err: err}, nil, true
	}
	if err != nil {
		return split{err: rd.fail(ErrNotCSV, 0, "", "cannot read it: "+err.Error())}, nil, true
	}
	l, _ := rd.cr.FieldPos(0)
	rd.endRow(row)
	rd.tape.forget(rd.csvStart + rd.cr.InputOffset())
	return split{line: l + rd.lineShift}, row, true
}

// endRow notes where a row read by the CSV reader ends, for the line of a
// row after it that is too long (rowTooLong): its last value and the line
// where that value starts.
func (rd *reader) endRow(row []string) {
	if len(row) == 0 {
		return
	}
	rd.tape.lastValue = row[len(row)-1]
	rd.tape.lastLine, _ = rd.cr.FieldPos(len(row) - 1)
}

// rowTooLong is the error of a row (what: "a row is", "the header row is")
// that ran past its limit, with the line where it starts: after the line where
// the last row ended (its last value may span lines) and the blank lines
// the CSV reader skipped, which the tape still holds from start.
func (rd *reader) rowTooLong(start int64, what string, limit int64) error {
	line := rd.tape.lastLine + strings.Count(rd.tape.lastValue, "\n") + 1
	raw := rd.tape.bytes(rd.csvStart+start, rd.tape.base+int64(len(rd.tape.buf)))
	for {
		if bytes.HasPrefix(raw, []byte("\n")) {
			raw = raw[1:]
		} else if bytes.HasPrefix(raw, []byte("\r\n")) {
			raw = raw[2:]
		} else {
			break
		}
		line++
	}
	return rd.fail(ErrLimit, line+rd.lineShift, "", fmt.Sprintf("%s longer than %s (the reader's limit); is this a CSV export of the population?", what, size(limit)))
}

// check checks and counts the rows of each batch, in order, until the
// batches end or a file-level error; a checked batch goes back to free.
func (rd *reader) check(full <-chan *splitBatch, free chan<- *splitBatch) error {
	for b := range full {
		for _, sp := range b.rows {
			switch {
			case sp.err != nil:
				return sp.err
			case sp.rejected != nil:
				rd.pop.RowsRead++
				rd.pop.Rejected = append(rd.pop.Rejected, sp.rejected)
			default:
				if err := rd.row(sp.fields, sp.line); err != nil {
					return err
				}
			}
		}
		clear(b.rows)
		clear(b.fields)
		b.rows, b.fields = b.rows[:0], b.fields[:0]
		select {
		case free <- b:
		default:
		}
	}
	return nil
}

// malformed makes the rejection of a row that is not valid CSV, after the
// guard has looked at its raw text (a BSN in it is a file-level error).
// The row's id is taken from the raw text when the row is valid CSV up to
// and including the id column.
func (rd *reader) malformed(pe *csv.ParseError, start int64) (*RowError, error) {
	end := rd.cr.InputOffset()
	line := pe.StartLine + rd.lineShift
	raw := rd.tape.bytes(rd.csvStart+start, rd.csvStart+end)
	for len(raw) > 0 && (raw[0] == '\n' || raw[0] == '\r' && len(raw) > 1 && raw[1] == '\n') {
		raw = raw[bytes.IndexByte(raw, '\n')+1:] // blank lines the CSV reader skipped before the row
	}
	if l, f, ok := bsnInRaw(raw, rd.delim); ok {
		col := ""
		if l == 0 {
			col = rd.columnName(f)
		}
		return nil, rd.fail(ErrNotPseudonymised, line+l, col, bsnDetail)
	}
	id, _ := rawField(raw, rd.delim, rd.idx[colID])
	id = strings.TrimSpace(strings.ToValidUTF8(id, "\uFFFD"))
	if bsn.InValue(id) {
		return nil, rd.fail(ErrNotPseudonymised, line, Columns[colID], bsnDetail)
	}
	rd.tape.forget(rd.csvStart + end)
	return &RowError{Line: line, Err: ErrMalformedRow, ID: maskID(id),
		Detail: "the row is not valid CSV: " + quoteProblem(pe, rd.lineShift) + " (put a value with quotes in double quotes and double each quote inside it)"}, nil
}

// quoteProblem says what is wrong with the quotes of a row, with the line
// of the problem (which may be below the line where the row starts).
func quoteProblem(pe *csv.ParseError, shift int) string {
	switch {
	case pe.Err == csv.ErrBareQuote:
		return fmt.Sprintf("a quote in an unquoted value on line %d", pe.Line+shift)
	case pe.Line == pe.StartLine:
		return fmt.Sprintf("a quote is misplaced or not closed on line %d", pe.Line+shift)
	}
	return fmt.Sprintf("a quoted value is not closed, or a quote is misplaced (the row runs from line %d to line %d)", pe.StartLine+shift, pe.Line+shift)
}

// binaryKind names a file that is neither text nor a workbook (.xlsx,
// which read tells by zipMagic), or returns "".
func binaryKind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}): // an OLE compound file
		return "it is an old Excel (.xls) workbook, or a workbook protected by a password; save it as an Excel workbook (.xlsx) without a password"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "it is a PDF"
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return "it is gzip-compressed"
	case bytes.HasPrefix(head, utf32LE), bytes.HasPrefix(head, utf32BE):
		return "it is UTF-32 text"
	case bytes.HasPrefix(head, utf16LE), bytes.HasPrefix(head, utf16BE):
		return "" // Excel's "Unicode text"
	case bytes.IndexByte(head, 0) >= 0:
		return "it contains NUL bytes (binary data, or UTF-16 text)"
	}
	return ""
}

// trimPartialRune drops a rune cut off at the end of a full sniff buffer.
func trimPartialRune(b []byte, full bool) []byte {
	if !full {
		return b
	}
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

// firstLine is the first line of b with any text, without its line end.
func firstLine(b []byte) []byte {
	for len(b) > 0 {
		line, rest, _ := bytes.Cut(b, []byte("\n"))
		if len(bytes.TrimSpace(line)) > 0 {
			return bytes.TrimSuffix(line, []byte("\r"))
		}
		b = rest
	}
	return nil
}

// tape keeps the text the CSV reader has not finished with, so the guard
// can look at the raw bytes of a row that is not valid CSV. It holds the
// current row and the reader's read-ahead, not the file; and it bounds the
// row: more than limit bytes past the start of the row (and the read-ahead)
// it reads no further, so a row of any length costs no more memory than
// that (the CSV reader would otherwise hold a row of gigabytes several
// times over).
type tape struct {
	r    io.Reader
	buf  []byte
	base int64 // the offset of buf[0] in the text
	// start is the offset where the current row starts; over is set when
	// the row ran past limit bytes (the reader then returns errRowTooLong).
	start, limit int64
	over         bool
	// The last value of the last row read and the line where it starts
	// (csv.Reader.FieldPos), for the line of a row that is too long
	// (endRow). They are here, with the rest of what only the splitting
	// goroutine writes, and not in the reader, whose fields the checking
	// goroutine writes for every row: the two would share cache lines.
	lastValue string
	lastLine  int
	// fill, if set, is called before more text is read (which may wait
	// for the source).
	fill func()
}

// errRowTooLong is what the tape returns to the CSV reader once a row runs
// past its limit; the reader sees tape.over and reports it with the line.
var errRowTooLong = errors.New("row too long")

func (t *tape) Read(p []byte) (int, error) {
	if t.over || t.base+int64(len(t.buf))-t.start > t.limit+sniffSize {
		t.over = true
		return 0, errRowTooLong
	}
	if t.fill != nil {
		t.fill()
	}
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// forget lets go of the text before off (in large steps, so it costs one
// extra copy of the file at most).
func (t *tape) forget(off int64) {
	k := int(off - t.base)
	if k < 64<<10 || k < len(t.buf)/2 || k > len(t.buf) {
		return
	}
	t.buf = t.buf[:copy(t.buf, t.buf[k:])]
	t.base = off
}

// bytes returns the text from offset from to offset to.
func (t *tape) bytes(from, to int64) []byte {
	i, j := int(from-t.base), int(to-t.base)
	if i < 0 || j > len(t.buf) || i > j {
		return nil
	}
	return t.buf[i:j]
}

// rawField returns field k of the raw text of a row that is not valid CSV
// (read as encoding/csv reads it: a quoted field may hold delimiters, line
// ends and doubled quotes), when the row is valid CSV up to and including
// that field; otherwise "" and false.
func rawField(raw []byte, delim byte, k int) (string, bool) {
	if k < 0 {
		return "", false
	}
	i := 0
	for f := 0; ; f++ {
		var val []byte
		if i < len(raw) && raw[i] == '"' {
			j := i + 1
			for {
				q := bytes.IndexByte(raw[j:], '"')
				if q < 0 {
					return "", false // not closed
				}
				if f == k {
					val = append(val, raw[j:j+q]...)
				}
				j += q + 1
				if j < len(raw) && raw[j] == '"' { // a doubled quote
					if f == k {
						val = append(val, '"')
					}
					j++
					continue
				}
				break
			}
			if f == k {
				val = bytes.ReplaceAll(val, []byte("\r\n"), []byte("\n"))
			}
			i = j
		} else {
			j := i
			for j < len(raw) && raw[j] != delim && raw[j] != '\n' {
				j++
			}
			v := raw[i:j]
			if j < len(raw) && raw[j] == '\n' {
				v = bytes.TrimSuffix(v, []byte("\r"))
			}
			if bytes.IndexByte(v, '"') >= 0 {
				return "", false // a bare quote
			}
			val, i = v, j
		}
		// After a field: the delimiter, or the end of the row.
		switch {
		case i < len(raw) && raw[i] == delim:
			if f == k {
				return string(val), true
			}
			i++
		case i == len(raw), raw[i] == '\n', raw[i] == '\r' && i+1 < len(raw) && raw[i+1] == '\n':
			if f == k {
				return string(val), true
			}
			return "", false // the row ends before field k
		default:
			return "", false // a quote followed by something else
		}
	}
}

// crToLF reads a text with CR line ends as one with LF line ends.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := bytes.IndexByte(p[:n], '\r'); i >= 0; {
		p[i] = '\n'
		j := bytes.IndexByte(p[i+1:n], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return n, err
}
