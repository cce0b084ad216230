package input

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"raming/internal/goroutine"
)

// Options configure Read.
type Options struct {
	// Source names the file in messages.
	Source string
	// Encoding is "" or "auto" (detect: a UTF-8 BOM, which is stripped, or
	// valid UTF-8 in the first 64 KiB means UTF-8, anything else
	// Windows-1252), "utf-8" or "windows-1252" ("utf8" and "cp1252" too).
	Encoding string
	// IgnoreUnknownColumns ignores columns the contract does not know
	// instead of refusing the file (a warning names them). Their values
	// still pass the pseudonymisation guard.
	IgnoreUnknownColumns bool
	// Today: a date after Today's calendar date is rejected as "in the
	// future"; the zero time: no check.
	Today time.Time
}

// Population is a read extract.
type Population struct {
	Source    string // Options.Source
	SHA256    string // hex SHA-256 of the bytes read
	Encoding  string // the encoding used: "utf-8" or "windows-1252"
	Delimiter rune   // ',' or ';'
	// Records are the rows used, in file order.
	Records []Record
	// RowsRead counts the data rows (not the header, not empty lines or
	// rows of nothing but delimiters); always
	// RowsRead == len(Records) + len(Rejected).
	RowsRead int
	// Rejected has one entry per rejected row (its first problem), in line
	// order.
	Rejected []*RowError
	// Warnings are worth reading but stop nothing: the encoding guessed,
	// undecodable characters, ignored columns, skipped empty rows.
	Warnings []string
}

// Column names of the contract (../shared/population-schema.md), in its
// order; the first five columns must be present.
const (
	colID = iota
	colDossier
	colRestored
	colAffected
	colStart
	colEnd
	colFirstPayment
	colReport
	colRecovery
	colContributed
	colReceived
	colAssessment
	colHardship
	numColumns
)

// requiredColumns is how many of Columns must be present.
const requiredColumns = 5

// Columns lists the contract's column names in its order; the first five
// are required.
var Columns = []string{"id", "dossier_id", "herstel_als_aanvrager", "gedupeerd", "start_problematiek", "einde_samen",
	"eerste_betaling_aanvrager", "melddatum", "terugvordering_totaal", "bijgedragen_terugvordering",
	"ontvangen_deel_30k", "integrale_beoordeling", "schrijnend"}

// sniffSize is how much of the file is looked at to tell whether it is text
// and its encoding; it is also the read buffer.
const sniffSize = 64 << 10

var bom = []byte{0xEF, 0xBB, 0xBF}

const bsnDetail = "a value looks like a BSN (nine digits, also in groups 3-3-3 or 4-2-3 separated by spaces, dots or dashes, " +
	"or eight with the leading zero dropped, passing the eleven-test; as the whole value or inside free text); " +
	"remove direct identifiers before exporting, and give pseudonymous numbers a prefix (such as EXP-000123)"

// Read reads a population extract (the contract: docs/input.md).
//
// File-level problems return a *FileError (see the Err* sentinels) and no
// Population. A value that looks like a BSN, in any column of any row, or a
// column whose name suggests direct identification, stops the read with
// ErrNotPseudonymised; the message names the column and line, never the
// value (a free-text value is searched for one: see containsBSN).
// Row-level problems reject the row and are listed in Population.Rejected,
// each with the row's id (RowError.ID); RowsRead == len(Records) +
// len(Rejected), always. No message repeats a number that could be a BSN
// (maskDigits). Ids are unique after normalisation (normID). Lines may end
// in LF, CRLF or, as old Excel for Mac writes them, CR alone.
//
// The file is streamed once, keeping only the records (a million rows
// take about 150 MB): one goroutine hashes, decodes and splits it into
// rows, another checks and parses them, in file order (rows).
//
// The reader is encoding/csv with a column index map, not gocsv: the guard
// has to see every value, also of ignored columns and of rows with the
// wrong number of fields, which gocsv's mapping drops; row errors need the
// line where a row starts, which gocsv gets wrong after a multi-line field;
// and a million rows parse several times faster without reflection.
func Read(r io.Reader, opts Options) (*Population, error) {
	rd := &reader{opts: opts, pop: &Population{Source: opts.Source}}
	return rd.read(r)
}

// reader is the state of one Read.
type reader struct {
	opts      Options
	pop       *Population
	cr        *csv.Reader
	tape      *tape
	csvStart  int64 // tape offset where the CSV reader starts (after a sep= line)
	lineShift int   // lines before the CSV reader's first line (a sep= line)
	headers   []string
	idx       [numColumns]int // field index of each contract column; -1: absent
	delim     byte
	today     Date
	seen      map[string]int32 // normalised id (normID) -> line of its first row
	key       []byte           // scratch: the normalised id of the current row (dupKey)
	lastDos   string           // the previous record's dossier_id, shared when it repeats
	crOnly    bool             // the file's lines end in CR alone (old Excel for Mac)
	replaced  int              // values with U+FFFD (undecodable bytes)
	emptyRows int
}

// fail makes a file-level error. Column names and details can repeat
// input (a column's name), so any number in them that could be a BSN is
// hidden (maskDigits).
func (rd *reader) fail(err error, line int, column, detail string) error {
	return &FileError{Source: rd.opts.Source, Line: line, Column: maskDigits(column), Err: err, Detail: maskDigits(detail)}
}

func (rd *reader) read(r io.Reader) (*Population, error) {
	pop := rd.pop
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(r, h), sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF {
		return nil, rd.fail(ErrNotCSV, 0, "", "cannot read it: "+err.Error())
	}
	full := len(head) == sniffSize
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, bom))) == 0 && !full {
		return nil, rd.fail(ErrEmptyFile, 0, "", "export the population with a header row and one row per ex-partner")
	}
	if kind := binaryKind(head); kind != "" {
		return nil, rd.fail(ErrNotCSV, 0, "", kind+"; export the sheet as CSV (separated by , or ;)")
	}

	// The encoding.
	hasBOM := bytes.HasPrefix(head, bom)
	if hasBOM {
		br.Discard(len(bom))
		head = head[len(bom):]
	}
	switch enc := strings.ToLower(strings.TrimSpace(rd.opts.Encoding)); enc {
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
		return nil, rd.fail(ErrEncoding, 0, "", fmt.Sprintf("%q: use utf-8 or windows-1252", rd.opts.Encoding))
	}
	var text io.Reader = br
	if pop.Encoding == "windows-1252" {
		text = charmap.Windows1252.NewDecoder().Reader(br)
	}
	// Old Excel for Mac ends lines with CR alone, which encoding/csv does not
	// take for a line end: told by carriage returns and no line feed in the
	// sniffed bytes, and read with each CR as LF (a CR in a quoted value
	// becomes LF too, as encoding/csv does with CRLF).
	if rd.crOnly = bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0; rd.crOnly {
		text = crToLF{text}
	}
	rd.tape = &tape{r: text}
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
			return nil, err
		}
	}
	pop.Delimiter = rune(rd.delim)

	rd.cr = csv.NewReader(tr)
	rd.cr.Comma = pop.Delimiter
	rd.cr.FieldsPerRecord = -1 // counted here, so a short row is a row error with its line
	rd.cr.ReuseRecord = true
	if err := rd.header(); err != nil {
		return nil, err
	}
	rd.allocate(r, head)
	if rd.seen == nil {
		rd.seen = map[string]int32{}
	}
	if !rd.opts.Today.IsZero() {
		y, m, d := rd.opts.Today.Date()
		rd.today = civil(y, int(m), d)
	}

	if err := rd.rows(); err != nil {
		return nil, err
	}
	if pop.RowsRead == 0 {
		detail := "the extract has a header but no ex-partners"
		if rd.emptyRows > 0 {
			detail = fmt.Sprintf("the %d rows after the header are empty", rd.emptyRows)
		}
		return nil, rd.fail(ErrNoRows, 0, "", detail)
	}
	if _, err := io.Copy(io.Discard, br); err != nil { // hash the whole file
		return nil, rd.fail(ErrNotCSV, 0, "", "cannot read it: "+err.Error())
	}
	pop.SHA256 = hex.EncodeToString(h.Sum(nil))
	if rd.replaced > 0 {
		pop.Warnings = append(pop.Warnings, fmt.Sprintf("%d values contain characters that could not be decoded as %s (shown as U+FFFD %q); give --encoding to choose the other encoding",
			rd.replaced, pop.Encoding, '\uFFFD'))
	}
	if rd.emptyRows > 0 {
		pop.Warnings = append(pop.Warnings, fmt.Sprintf("%d empty rows (nothing but delimiters) were skipped", rd.emptyRows))
	}
	return pop, nil
}

// ReadFile reads the population extract at path (Options.Source defaults
// to the path). A file that cannot be opened is a *FileError wrapping
// ErrUnreadable.
func ReadFile(path string, opts Options) (*Population, error) {
	if opts.Source == "" {
		opts.Source = path
	}
	f, err := os.Open(path)
	if err == nil {
		var fi fs.FileInfo
		if fi, err = f.Stat(); err == nil && fi.IsDir() {
			err = errors.New("it is a directory")
		}
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, &FileError{Source: opts.Source, Err: ErrUnreadable, Detail: err.Error()}
	}
	defer f.Close()
	return Read(f, opts)
}

// delimiter picks ';' or ',' from the header line: whichever occurs more
// often outside quotes.
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
	switch {
	case semis > commas:
		return ';', nil
	case commas > 0:
		return ',', nil
	case tabs > 0:
		return 0, rd.fail(ErrNotCSV, 1, "", "the header is separated by tabs; export the sheet as CSV (separated by , or ;)")
	}
	if name := strings.ToLower(strings.TrimSpace(string(line))); columnIndex(name) < 0 {
		return 0, rd.fail(ErrNotCSV, 1, "", "the first line has no , or ; between column names; export the sheet as CSV with a header row")
	}
	return ',', nil // a single known column: the missing ones are named next
}

// header reads and checks the header row.
func (rd *reader) header() error {
	names, err := rd.cr.Read()
	if err == io.EOF {
		return rd.fail(ErrEmptyFile, 0, "", "export the population with a header row and one row per ex-partner")
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return rd.fail(ErrNotCSV, pe.StartLine+rd.lineShift, "", "the header is not valid CSV: "+quoteProblem(pe, rd.lineShift)+"; export the sheet as CSV with a header row")
	}
	if err != nil {
		return rd.fail(ErrNotCSV, 0, "", "cannot read it: "+err.Error())
	}
	line, _ := rd.cr.FieldPos(0)
	line += rd.lineShift
	rd.tape.forget(rd.csvStart + rd.cr.InputOffset())
	rd.headers = make([]string, len(names))
	for i, n := range names {
		rd.headers[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(n, "\uFEFF")))
	}
	// Privacy first: a name that is a BSN, or that suggests identification.
	for i, n := range rd.headers {
		if containsBSN(n) {
			return rd.fail(ErrNotPseudonymised, line, fmt.Sprintf("#%d", i+1), "the column's name looks like a BSN; is the header row missing? "+bsnDetail)
		}
	}
	for _, n := range rd.headers {
		if identifyingColumn(n) {
			return rd.fail(ErrNotPseudonymised, line, n, "the column's name suggests direct identification (name, BSN, address, birth date, e-mail, telephone, account number); remove the column before exporting")
		}
	}
	for c := range rd.idx {
		rd.idx[c] = -1
	}
	first := map[string]int{}
	var unknown []string
	for i, n := range rd.headers {
		if n == "" {
			unknown = append(unknown, fmt.Sprintf("#%d (no name)", i+1))
			continue
		}
		if j, dup := first[n]; dup {
			return rd.fail(ErrDuplicateColumn, line, n, fmt.Sprintf("columns %d and %d are both called %s; keep one", j+1, i+1, n))
		}
		first[n] = i
		if c := columnIndex(n); c >= 0 {
			rd.idx[c] = i
		} else {
			unknown = append(unknown, n)
		}
	}
	var missing []string
	for c := 0; c < requiredColumns; c++ {
		if rd.idx[c] < 0 {
			missing = append(missing, Columns[c])
		}
	}
	if len(missing) > 0 {
		return rd.fail(ErrMissingColumn, line, missing[0], fmt.Sprintf("the extract must have the columns %s (missing: %s); add or rename it",
			strings.Join(Columns[:requiredColumns], ", "), strings.Join(missing, ", ")))
	}
	if len(unknown) > 0 {
		if !rd.opts.IgnoreUnknownColumns {
			return rd.fail(ErrUnknownColumn, line, unknown[0], fmt.Sprintf("not in the contract (docs/input.md); rename or remove it, or give --ignore-unknown-columns (unknown: %s)",
				strings.Join(unknown, ", ")))
		}
		rd.pop.Warnings = append(rd.pop.Warnings, maskDigits("ignored columns not in the contract: "+strings.Join(unknown, ", ")))
	}
	return nil
}

// columnIndex is the contract column of a normalised name, or -1.
func columnIndex(name string) int {
	for c, n := range Columns {
		if n == name {
			return c
		}
	}
	return -1
}

// columnName names field i of a row in messages.
func (rd *reader) columnName(i int) string {
	if i < len(rd.headers) && rd.headers[i] != "" {
		return rd.headers[i]
	}
	return fmt.Sprintf("#%d", i+1)
}

// allocate sizes the records from the file's size and the lines in its
// first bytes, so they are allocated once instead of grown by copying (a
// million rows would otherwise peak at twice the memory). A row has at
// least one byte per column, which bounds the guess.
func (rd *reader) allocate(r io.Reader, head []byte) {
	size := int64(-1)
	switch f := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	case interface{ Size() int64 }:
		size = f.Size()
	}
	eol := byte('\n')
	if rd.crOnly {
		eol = '\r'
	}
	lines := bytes.Count(head, []byte{eol})
	if size <= 0 || lines < 2 {
		return
	}
	n := int(float64(size)/(float64(len(head))/float64(lines))*1.02) + 16
	if len(head) < sniffSize {
		n = lines + 1 // the whole file was seen
	}
	n = min(n, int(size/int64(len(rd.headers)))+1)
	rd.pop.Records = make([]Record, 0, n)
	rd.seen = make(map[string]int32, n)
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
	rd.tape.fill = flush
	defer func() { rd.tape.fill = nil }()
	for !stopped {
		sp, row, ok := rd.split()
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
	row, err := rd.cr.Read()
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
	rd.tape.forget(rd.csvStart + rd.cr.InputOffset())
	return split{line: l + rd.lineShift}, row, true
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
	if containsBSN(id) {
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

// row checks and parses one data row. A non-nil error is file-level.
func (rd *reader) row(fields []string, line int) error {
	empty := true
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			empty = false
			break
		}
	}
	if empty {
		rd.emptyRows++
		return nil
	}
	for i, f := range fields {
		// The usual value is printable ASCII without spaces: no free text to
		// scan for a BSN, valid UTF-8, no U+FFFD; one pass tells.
		plain := true
		for j := 0; j < len(f); j++ {
			if c := f[j]; c <= ' ' || c >= utf8.RuneSelf {
				plain = false
				break
			}
		}
		if looksLikeBSN(f) || !plain && hasSpace(f) && bsnInText(f) { // containsBSN
			return rd.fail(ErrNotPseudonymised, line, rd.columnName(i), bsnDetail)
		}
		if plain {
			continue
		}
		if !utf8.ValidString(f) {
			f = strings.ToValidUTF8(f, "\uFFFD")
			fields[i] = f
		}
		if strings.Contains(f, "\uFFFD") {
			rd.replaced++
		}
	}
	rd.pop.RowsRead++
	if len(fields) != len(rd.headers) {
		id := ""
		if i := rd.idx[colID]; i < len(fields) {
			id = strings.Clone(strings.TrimSpace(fields[i]))
		}
		rd.pop.Rejected = append(rd.pop.Rejected, &RowError{Line: line, Err: ErrFieldCount, ID: maskID(id),
			Detail: fmt.Sprintf("the row has %d fields and the header %d (is a , or ; in a value not quoted?)", len(fields), len(rd.headers))})
		return nil
	}
	rec, rerr := rd.parse(fields, line)
	if rerr != nil {
		rd.pop.Rejected = append(rd.pop.Rejected, rerr)
		return nil
	}
	rd.pop.Records = append(rd.pop.Records, rec)
	return nil
}

// parse turns a row's fields into a Record, or says what is wrong with the
// row first (in the contract's column order). It records the row's id in
// rd.seen, also when the row is rejected for another reason: an id belongs
// to its first row, and a later row with the same normalised id (normID)
// is a duplicate.
func (rd *reader) parse(f []string, line int) (Record, *RowError) {
	get := func(c int) string {
		if i := rd.idx[c]; i >= 0 {
			return f[i]
		}
		return ""
	}
	id := strings.TrimSpace(get(colID))
	self, taken := false, false // id is its own key; the id is new and this row takes it
	fail := func(c int, err error) (Record, *RowError) {
		if taken {
			if self {
				rd.seen[strings.Clone(id)] = int32(line)
			} else {
				rd.seen[string(rd.key)] = int32(line)
			}
		}
		return Record{}, rowError(line, Columns[c], strings.Clone(id), err)
	}
	rec := Record{Line: line}
	if id == "" {
		return fail(colID, ErrMissingValue)
	}
	self = rd.dupKey(id)
	var first int32
	var dup bool
	if self {
		first, dup = rd.seen[id]
	} else if len(rd.key) == 0 { // nothing but zero-width characters
		return fail(colID, ErrMissingValue)
	} else {
		first, dup = rd.seen[string(rd.key)] // no allocation: a lookup
	}
	if dup {
		return fail(colID, valueError(ErrDuplicateID, "id %s is also on line %d (ids must be unique; this later row is not used)", quote(id), first))
	}
	taken = true
	dossier := strings.TrimSpace(get(colDossier))
	if dossier == "" {
		return fail(colDossier, ErrMissingValue)
	}
	restored := get(colRestored)
	if strings.TrimSpace(restored) == "" {
		return fail(colRestored, ErrMissingValue)
	}
	var err error
	if rec.RestoredAsApplicant, err = parseBool(restored); err != nil {
		return fail(colRestored, err)
	}
	if rec.Affected, err = parseAnswer(get(colAffected)); err != nil {
		return fail(colAffected, err)
	}
	start := get(colStart)
	if strings.TrimSpace(start) == "" {
		return fail(colStart, ErrMissingValue)
	}
	for _, d := range [...]struct {
		c   int
		dst *Date
	}{{colStart, &rec.ProblemStart}, {colEnd, &rec.EndTogether}, {colFirstPayment, &rec.FirstPayment}, {colReport, &rec.ReportDate}} {
		if *d.dst, err = parseDate(get(d.c), d.c == colStart); err != nil {
			return fail(d.c, err)
		}
		if rd.today != 0 && *d.dst > rd.today {
			return fail(d.c, valueError(ErrFutureDate, "date %s is in the future (after %s)", *d.dst, rd.today))
		}
		// An einde_samen before start_problematiek is valid: the ex-partner
		// left before the problems began (the deck's "was (snel) weg").
	}
	for _, m := range [...]struct {
		c   int
		dst *Money
	}{{colRecovery, &rec.Recovery}, {colContributed, &rec.Contributed}, {colReceived, &rec.Received30k}, {colAssessment, &rec.IntegralAssessment}} {
		if *m.dst, err = parseMoney(get(m.c), rd.delim == ';'); err != nil {
			return fail(m.c, err)
		}
	}
	if rec.Hardship, err = parseAnswer(get(colHardship)); err != nil {
		return fail(colHardship, err)
	}
	// The ids outlive the row: copy them out of the CSV reader's record
	// (which would otherwise stay pinned), in one allocation with the
	// duplicate key when the id is not its own key, and share the dossier_id
	// of consecutive ex-partners of one file.
	var s string
	if dossier == rd.lastDos {
		if self {
			s = strings.Clone(id)
		} else {
			s = id + string(rd.key)
		}
		rec.ID, rec.DossierID = s[:len(id)], rd.lastDos
	} else {
		if self {
			s = id + dossier
		} else {
			s = id + dossier + string(rd.key)
		}
		rec.ID, rec.DossierID = s[:len(id)], s[len(id):len(id)+len(dossier)]
		rd.lastDos = rec.DossierID
	}
	if self {
		rd.seen[rec.ID] = int32(line)
	} else {
		rd.seen[s[len(s)-len(rd.key):]] = int32(line)
	}
	return rec, nil
}

// binaryKind names a file that is not text, or returns "".
func binaryKind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "it is a zip archive (an .xlsx workbook?)"
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "it is an old Excel (.xls) workbook"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "it is a PDF"
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return "it is gzip-compressed"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "it is UTF-16 text (Excel's \"Unicode text\")"
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
// current row and the reader's read-ahead, not the file.
type tape struct {
	r    io.Reader
	buf  []byte
	base int64 // the offset of buf[0] in the text
	// fill, if set, is called before more text is read (which may wait
	// for the source).
	fill func()
}

func (t *tape) Read(p []byte) (int, error) {
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
