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
	"time"

	"raming/internal/bsn"
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
	// Sheet names the worksheet to read when the extract is a workbook
	// (.xlsx; any case); "": the first sheet. Given for a text file, it is
	// an ErrSheet.
	Sheet string
}

// Population is a read extract.
type Population struct {
	Source string // Options.Source
	SHA256 string // hex SHA-256 of the bytes read
	// Encoding is the encoding of a text file: "utf-8", "windows-1252",
	// "utf-16le" or "utf-16be"; Delimiter its delimiter: ',', ';' or (in
	// UTF-16) a tab. "" and 0 for a workbook.
	Encoding  string
	Delimiter rune
	// Sheet is the worksheet read when the extract is a workbook; "" for
	// text.
	Sheet string
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

// Read reads a population extract (the contract: docs/input.md): CSV text
// (UTF-8, Windows-1252, or UTF-16 with a byte order mark as Excel's
// "Unicode text" writes it) or an Excel workbook (.xlsx, told by its
// content: workbook.go), through the same checks.
//
// File-level problems return a *FileError (see the Err* sentinels) and no
// Population. A value that looks like a BSN, in any column of any row, or a
// column whose name suggests direct identification, stops the read with
// ErrNotPseudonymised; the message names the column and line, never the
// value (a free-text value is searched for one: see bsn.InValue).
// Row-level problems reject the row and are listed in Population.Rejected,
// each with the row's id (RowError.ID); RowsRead == len(Records) +
// len(Rejected), always. No message repeats a number that could be a BSN
// (bsn.Mask). Ids are unique after normalisation (normID). Lines may end
// in LF, CRLF or, as old Excel for Mac writes them, CR alone. The reader's
// limits (limits.go) are checked before the work they bound: an extract
// beyond one is an ErrLimit.
//
// Text is streamed once, keeping only the records (a million rows take
// about 150 MB): one goroutine hashes, decodes and splits it into rows,
// another checks and parses them, in file order (rows). A workbook is read
// into memory (within its limits) and its sheet streamed the same way.
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
	rules                      // what reading a value needs of the file
	rec       Record           // scratch: the record parse fills
	seen      map[string]int32 // normalised id (normID) -> line of its first row
	key       []byte           // scratch: the normalised id of the current row (dupKey)
	lastDos   string           // the previous record's dossier_id, shared when it repeats
	crOnly    bool             // the file's lines end in CR alone (old Excel for Mac)
	replaced  int              // values with U+FFFD (undecodable bytes)
	emptyRows int
	// The fields of the header without a name, and which of them held a
	// value in a row (noNameValues).
	noName     []int
	noNameUsed []bool
	// pastHeader are the columns of a sheet past the header's last that
	// held a value and were ignored (Options.IgnoreUnknownColumns).
	pastHeader map[int]bool
	// next reads the next row (split for text, sheetRow for a workbook).
	next func() (split, []string, bool)
}

// fail makes a file-level error. Column names and details can repeat
// input (a column's name), so any number in them that could be a BSN is
// hidden (bsn.Mask).
func (rd *reader) fail(err error, line int, column, detail string) error {
	return &FileError{Source: rd.opts.Source, Sheet: rd.pop.Sheet, Line: line, Column: bsn.Mask(column), Err: err, Detail: bsn.Mask(detail)}
}

// failAt makes the file-level error of a problem in field i of a row: in
// text it names the column (columnName), in a workbook the cell and the
// column's name, if it has one.
func (rd *reader) failAt(err error, line, i int, detail string) error {
	if rd.pop.Sheet == "" {
		return rd.fail(err, line, rd.columnName(i), detail)
	}
	fe := rd.fail(err, line, "", detail).(*FileError)
	if i < len(rd.headers) {
		fe.Column = bsn.Mask(rd.headers[i])
	}
	fe.Cell = cellName(i, line)
	return fe
}

// read reads the extract: a workbook (workbook.go) or the file's text
// (open, header: split.go) into rows (rows), each row's values into a
// Record (parse.go).
func (rd *reader) read(r io.Reader) (*Population, error) {
	pop := rd.pop
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(r, h), sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF {
		return nil, rd.fail(ErrNotCSV, 0, "", "cannot read it: "+err.Error())
	}
	if !rd.opts.Today.IsZero() {
		y, m, d := rd.opts.Today.Date()
		rd.today = civil(y, int(m), d)
	}
	if bytes.HasPrefix(head, zipMagic) {
		wb, err := rd.openWorkbook(br)
		if err != nil {
			return nil, err
		}
		defer wb.close()
		if err := rd.sheetHeader(wb); err != nil {
			return nil, err
		}
		rd.next = func() (split, []string, bool) { return rd.sheetRow(wb) }
	} else {
		if rd.opts.Sheet != "" {
			return nil, rd.fail(ErrSheet, 0, "", fmt.Sprintf("--sheet %s is for a workbook (.xlsx), and this file is text; leave --sheet out", quote(rd.opts.Sheet)))
		}
		if err := rd.open(br, head); err != nil {
			return nil, err
		}
		if err := rd.header(); err != nil {
			return nil, err
		}
		rd.allocate(r, head)
		rd.next = rd.split
	}
	if rd.seen == nil {
		rd.seen = map[string]int32{}
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
	if w := rd.unnamedWarning(); w != "" {
		pop.Warnings = append(pop.Warnings, w)
	}
	if rd.emptyRows > 0 {
		pop.Warnings = append(pop.Warnings, fmt.Sprintf("%d empty rows (nothing but delimiters) were skipped", rd.emptyRows))
	}
	return pop, nil
}

// ReadFile reads the population extract at path. Options.Source defaults
// to the path with any number in it that could be a BSN masked (bsn.MaskText):
// the file's name reaches the messages and the outputs, and a BSN in it
// must not (the file itself is not refused for its name: a date such as
// 20240315 in a nightly extract's name may pass the eleven-test, and
// would stop the run one day in eleven). A file that cannot be opened is
// a *FileError wrapping ErrUnreadable.
func ReadFile(path string, opts Options) (*Population, error) {
	if opts.Source == "" {
		opts.Source = bsn.MaskText(path)
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
		return nil, &FileError{Source: opts.Source, Err: ErrUnreadable, Detail: bsn.MaskText(err.Error())}
	}
	defer f.Close()
	return Read(f, opts)
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
