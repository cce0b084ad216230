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
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gocarina/gocsv"
	"golang.org/x/text/encoding/charmap"
)

// Options configure Read.
type Options struct {
	// Source names the file in messages.
	Source string
	// Encoding is "" (detect: strip a UTF-8 BOM; valid UTF-8 is UTF-8, else
	// Windows-1252), "utf-8" or "windows-1252".
	Encoding string
	// IgnoreUnknownColumns ignores columns the contract does not know
	// instead of refusing the file (a warning names them).
	IgnoreUnknownColumns bool
	// Today: dates after it are rejected as "in the future"; zero: no check.
	Today time.Time
}

// Population is a read extract.
type Population struct {
	Source    string
	SHA256    string // of the bytes read
	Encoding  string // the encoding used
	Delimiter rune
	// Records are the rows used, in file order.
	Records []Record
	// RowsRead counts the data rows (not the header); always
	// RowsRead = len(Records) + len(Rejected).
	RowsRead int
	// Rejected has one entry per rejected row (its first problem), in order.
	Rejected []*RowError
	// Warnings are worth reading but stop nothing (encoding, ignored columns).
	Warnings []string
}

// Column names of the contract (../shared/population-schema.md).
const (
	colID           = "id"
	colDossier      = "dossier_id"
	colRestored     = "herstel_als_aanvrager"
	colAffected     = "gedupeerd"
	colStart        = "start_problematiek"
	colEnd          = "einde_samen"
	colFirstPayment = "eerste_betaling_aanvrager"
	colReport       = "melddatum"
	colRecovery     = "terugvordering_totaal"
	colContributed  = "bijgedragen_terugvordering"
	colReceived     = "ontvangen_deel_30k"
	colAssessment   = "integrale_beoordeling"
	colHardship     = "schrijnend"
)

// Columns lists the contract's columns; the first five are required.
var Columns = []string{colID, colDossier, colRestored, colAffected, colStart, colEnd, colFirstPayment, colReport,
	colRecovery, colContributed, colReceived, colAssessment, colHardship}

const requiredColumns = 5

// rawRow is one row as text. gocsv maps the header to these fields by name
// (matched case-insensitively after trimming); the values are parsed here,
// so that every problem becomes a positioned RowError instead of gocsv's
// first-error stop.
type rawRow struct {
	ID           string `csv:"id"`
	Dossier      string `csv:"dossier_id"`
	Restored     string `csv:"herstel_als_aanvrager"`
	Affected     string `csv:"gedupeerd"`
	Start        string `csv:"start_problematiek"`
	End          string `csv:"einde_samen"`
	FirstPayment string `csv:"eerste_betaling_aanvrager"`
	Report       string `csv:"melddatum"`
	Recovery     string `csv:"terugvordering_totaal"`
	Contributed  string `csv:"bijgedragen_terugvordering"`
	Received     string `csv:"ontvangen_deel_30k"`
	Assessment   string `csv:"integrale_beoordeling"`
	Hardship     string `csv:"schrijnend"`
}

// sniffSize is how much of the file is looked at to tell the encoding and
// whether it is text at all.
const sniffSize = 64 << 10

// Read reads a population extract. File-level problems return a
// *FileError (nothing is read); row-level problems reject the row and are
// listed in Population.Rejected. A value that looks like a BSN, or a column
// whose name suggests direct identification, stops the read with
// ErrNotPseudonymised: the message names the column and line, never the
// value.
func Read(r io.Reader, opts Options) (*Population, error) {
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(r, h), sniffSize)
	head, _ := br.Peek(sniffSize)
	fail := func(err error, line int, col, detail string) error {
		return &FileError{Source: opts.Source, Line: line, Column: col, Err: err, Detail: detail}
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, bom))) == 0 {
		return nil, fail(ErrEmptyFile, 0, "", "export the population with a header row and one row per ex-partner")
	}
	if kind := binaryKind(head); kind != "" {
		return nil, fail(ErrNotCSV, 0, "", kind+"; export the sheet as CSV (comma or semicolon separated)")
	}
	pop := &Population{Source: opts.Source, Records: make([]Record, 0, estimateRows(r, head))}
	var text io.Reader = br
	switch strings.ToLower(opts.Encoding) {
	case "":
		if bytes.HasPrefix(head, bom) {
			br.Discard(len(bom))
			head = head[len(bom):]
		}
		pop.Encoding = "utf-8"
		if !utf8.Valid(trimPartialRune(head, len(head) == sniffSize)) {
			pop.Encoding = "windows-1252"
			pop.Warnings = append(pop.Warnings, "the file is not valid UTF-8 and was read as Windows-1252 (a Dutch Excel export); give --encoding to choose")
		}
	case "utf-8", "utf8":
		if bytes.HasPrefix(head, bom) {
			br.Discard(len(bom))
		}
		pop.Encoding = "utf-8"
	case "windows-1252", "cp1252":
		pop.Encoding = "windows-1252"
	default:
		return nil, fail(ErrEncoding, 0, "", fmt.Sprintf("%q; use utf-8 or windows-1252", opts.Encoding))
	}
	if pop.Encoding == "windows-1252" {
		text = charmap.Windows1252.NewDecoder().Reader(br)
	}
	tr := bufio.NewReader(text)
	first, _ := tr.Peek(4096)
	pop.Delimiter = delimiter(first)

	cr := csv.NewReader(tr)
	cr.Comma = pop.Delimiter
	cr.FieldsPerRecord = 0 // the header's count; other counts are row errors
	cr.ReuseRecord = true
	um, err := gocsv.NewUnmarshaller(cr, rawRow{})
	if errors.Is(err, io.EOF) {
		return nil, fail(ErrEmptyFile, 0, "", "export the population with a header row")
	}
	if err != nil {
		return nil, fail(ErrNotCSV, 1, "", "the header cannot be read as CSV: "+err.Error())
	}
	if err := um.RenormalizeHeaders(normalizeHeaders); err != nil {
		return nil, fail(ErrNotCSV, 1, "", err.Error())
	}
	if err := checkHeader(um.Headers, opts, pop); err != nil {
		return nil, err
	}
	decimalComma := pop.Delimiter == ';'
	seen := map[string]int{}
	invalidUTF8 := 0
	for {
		v, err := um.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		pop.RowsRead++
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			row := pe.StartLine
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				pop.Rejected = append(pop.Rejected, &RowError{Line: row, Err: ErrFieldCount, Detail: fmt.Sprintf("expected %d fields like the header", len(um.Headers))})
			} else {
				pop.Rejected = append(pop.Rejected, &RowError{Line: row, Err: ErrFieldCount, Detail: "not readable as CSV: " + pe.Err.Error()})
			}
			continue
		}
		line, _ := cr.FieldPos(0) // the record was read, so it has fields
		if err != nil {
			pop.Rejected = append(pop.Rejected, &RowError{Line: line, Err: ErrFieldCount, Detail: err.Error()})
			continue
		}
		raw := v.(rawRow)
		fields := raw.fields()
		for i, f := range fields {
			if looksLikeBSN(f) {
				return nil, fail(ErrNotPseudonymised, line, Columns[i], "a value looks like a BSN (nine digits passing the eleven-test); remove direct identifiers before exporting")
			}
			if !utf8.ValidString(f) {
				invalidUTF8++
				fields[i] = strings.ToValidUTF8(f, "\uFFFD")
			}
		}
		rec, rerr := parseRow(fields, line, decimalComma, opts.Today)
		if rerr == nil {
			if first, dup := seen[rec.ID]; dup {
				rerr = &RowError{Line: line, Column: colID, Err: ErrDuplicateID, Detail: fmt.Sprintf("first on line %d", first)}
			} else {
				seen[rec.ID] = line
			}
		}
		if rerr != nil {
			pop.Rejected = append(pop.Rejected, rerr)
			continue
		}
		pop.Records = append(pop.Records, rec)
	}
	if pop.RowsRead == 0 {
		return nil, fail(ErrNoRows, 0, "", "the extract has a header but no ex-partners")
	}
	if invalidUTF8 > 0 {
		pop.Warnings = append(pop.Warnings, fmt.Sprintf("%d values were not valid UTF-8 and were read with U+FFFD in place of the bad bytes; give --encoding windows-1252 if the file is a Dutch Excel export", invalidUTF8))
	}
	io.Copy(io.Discard, br) // hash the whole file
	pop.SHA256 = hex.EncodeToString(h.Sum(nil))
	return pop, nil
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// estimateRows guesses the number of rows of a file from its size and the
// lines in its first bytes, so the records are allocated once instead of
// grown by copying (a million rows would otherwise peak at twice the memory).
func estimateRows(r io.Reader, head []byte) int {
	st, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return 0
	}
	fi, err := st.Stat()
	lines := bytes.Count(head, []byte("\n"))
	if err != nil || lines < 2 || !fi.Mode().IsRegular() {
		return 0
	}
	return int(float64(fi.Size())/(float64(len(head))/float64(lines))*1.02) + 16
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
		if utf8.Valid(b) {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

// delimiter picks ';' or ',' from the header line: whichever occurs more
// often outside quotes (a Dutch Excel export uses ';').
func delimiter(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	semis, commas, quoted := 0, 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ';':
			semis++
		case c == ',':
			commas++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

func normalizeHeaders(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
	}
	return out
}

// checkHeader refuses identifying, unknown, duplicate and missing columns.
func checkHeader(headers []string, opts Options, pop *Population) error {
	fail := func(err error, col, detail string) error {
		return &FileError{Source: opts.Source, Line: 1, Column: col, Err: err, Detail: detail}
	}
	seen := map[string]bool{}
	var unknown []string
	for _, h := range headers {
		if identifyingColumn(h) {
			return fail(ErrNotPseudonymised, h, "the column's name suggests direct identification; remove it before exporting")
		}
		if seen[h] {
			return fail(ErrDuplicateColumn, h, "keep one column of each name")
		}
		seen[h] = true
		if !slices.Contains(Columns, h) {
			unknown = append(unknown, h)
		}
	}
	for _, c := range Columns[:requiredColumns] {
		if !seen[c] {
			return fail(ErrMissingColumn, c, "the extract must have the columns "+strings.Join(Columns[:requiredColumns], ", "))
		}
	}
	if len(unknown) > 0 {
		if !opts.IgnoreUnknownColumns {
			return fail(ErrUnknownColumn, unknown[0], fmt.Sprintf("not in the contract (docs/input.md); rename it or give --ignore-unknown-columns (unknown: %s)", strings.Join(unknown, ", ")))
		}
		pop.Warnings = append(pop.Warnings, "ignored columns not in the contract: "+strings.Join(unknown, ", "))
	}
	return nil
}

func (r rawRow) fields() []string {
	return []string{r.ID, r.Dossier, r.Restored, r.Affected, r.Start, r.End, r.FirstPayment, r.Report,
		r.Recovery, r.Contributed, r.Received, r.Assessment, r.Hardship}
}

// parseRow turns one row's fields (in the order of Columns) into a Record.
func parseRow(f []string, line int, decimalComma bool, today time.Time) (Record, *RowError) {
	rec := Record{Line: line, ID: strings.TrimSpace(f[0]), DossierID: strings.TrimSpace(f[1])}
	rowErr := func(col string, err error) *RowError {
		for _, sentinel := range []error{ErrBadDate, ErrBadMoney, ErrNegativeMoney, ErrBadAnswer} {
			if errors.Is(err, sentinel) {
				return &RowError{Line: line, Column: col, Err: sentinel, Detail: strings.TrimPrefix(err.Error(), sentinel.Error()+": ")}
			}
		}
		return &RowError{Line: line, Column: col, Err: ErrBadAnswer, Detail: err.Error()}
	}
	for i := 0; i < requiredColumns; i++ {
		if strings.TrimSpace(f[i]) == "" && Columns[i] != colAffected {
			return rec, &RowError{Line: line, Column: Columns[i], Err: ErrMissingValue}
		}
	}
	var err error
	if rec.RestoredAsApplicant, err = parseBool(f[2]); err != nil {
		return rec, rowErr(colRestored, err)
	}
	if rec.Affected, err = parseAnswer(f[3]); err != nil {
		return rec, rowErr(colAffected, err)
	}
	dates := []struct {
		col  string
		s    string
		dst  *Date
		year bool
	}{{colStart, f[4], &rec.ProblemStart, true}, {colEnd, f[5], &rec.EndTogether, false},
		{colFirstPayment, f[6], &rec.FirstPayment, false}, {colReport, f[7], &rec.ReportDate, false}}
	for _, d := range dates {
		t, err := parseDate(d.s, d.year)
		if err != nil {
			return rec, rowErr(d.col, err)
		}
		*d.dst = DateOf(t)
		if !today.IsZero() && t.After(today) {
			return rec, &RowError{Line: line, Column: d.col, Err: ErrFutureDate, Detail: d.dst.Format("2006-01-02")}
		}
	}
	if !rec.EndTogether.IsZero() && rec.EndTogether.Before(rec.ProblemStart) {
		return rec, &RowError{Line: line, Column: colEnd, Err: ErrEndBeforeStart,
			Detail: rec.EndTogether.Format("2006-01-02") + " < " + rec.ProblemStart.Format("2006-01-02")}
	}
	money := []struct {
		col string
		s   string
		dst *Money
	}{{colRecovery, f[8], &rec.Recovery}, {colContributed, f[9], &rec.Contributed}, {colReceived, f[10], &rec.Received30k},
		{colAssessment, f[11], &rec.IntegralAssessment}}
	for _, m := range money {
		if *m.dst, err = parseMoney(m.s, decimalComma); err != nil {
			return rec, rowErr(m.col, err)
		}
	}
	if rec.Hardship, err = parseAnswer(f[12]); err != nil {
		return rec, rowErr(colHardship, err)
	}
	return rec, nil
}
