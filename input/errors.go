package input

import (
	"errors"
	"fmt"
	"strings"

	"raming/internal/bsn"
)

// File-level problems: Read returns a *FileError wrapping one of these and
// no Population; the tool stops before writing anything (exit code 3).
var (
	// ErrEmptyFile: the file has no bytes, or only white space.
	ErrEmptyFile = errors.New("the file is empty")
	// ErrNoRows: the file has a header but no data rows.
	ErrNoRows = errors.New("the file has a header but no rows")
	// ErrNotCSV: the file is not CSV text (a workbook, a zip, binary data,
	// UTF-16, a header without , or ;, or a read error).
	ErrNotCSV = errors.New("the file is not CSV text")
	// ErrMissingColumn: a required column is absent (FileError.Column names it).
	ErrMissingColumn = errors.New("a required column is missing")
	// ErrUnknownColumn: a column the contract does not know (FileError.Column
	// names it), unless Options.IgnoreUnknownColumns.
	ErrUnknownColumn = errors.New("unknown column")
	// ErrDuplicateColumn: a column name appears twice in the header.
	ErrDuplicateColumn = errors.New("a column appears twice")
	// ErrNotPseudonymised: a column name suggests direct identification, or
	// a value looks like a BSN. The message names the column and line,
	// never the value.
	ErrNotPseudonymised = errors.New("the extract is not pseudonymised")
	// ErrEncoding: Options.Encoding names an encoding Read does not know.
	ErrEncoding = errors.New("unknown encoding")
	// ErrNoUsableRows: every row of the extract was rejected; nothing can
	// be computed from it (the command checks this after listing them).
	ErrNoUsableRows = errors.New("no usable rows")
	// ErrUnreadable: ReadFile cannot open the file (it does not exist, is
	// a directory, or may not be read).
	ErrUnreadable = errors.New("cannot read the population extract")
	// ErrLimit: the extract exceeds one of the reader's limits (too many
	// columns, a row or value too long, a workbook too large or with too
	// many rows or shared strings; FileError.Detail names the limit).
	ErrLimit = errors.New("the extract exceeds a limit of the reader")
	// ErrWorkbook: the file is a zip archive but not an Excel workbook
	// that can be read (damaged, another kind of archive, no sheets).
	ErrWorkbook = errors.New("the workbook cannot be read")
	// ErrSheet: Options.Sheet names a sheet the workbook does not have, or
	// is given for a file that is not a workbook.
	ErrSheet = errors.New("no such sheet")
)

// Row-level problems: the row is rejected and listed in
// Population.Rejected as a *RowError wrapping one of these, with its line
// and column; the other rows are used.
var (
	// ErrBadDate: not a date in an accepted form, or a date that does not exist.
	ErrBadDate = errors.New("not a valid date")
	// ErrBadMoney: not an amount in an accepted form, or more than two decimals.
	ErrBadMoney = errors.New("not a valid amount")
	// ErrNegativeMoney: an amount below zero.
	ErrNegativeMoney = errors.New("negative amount")
	// ErrBadAnswer: not one of the values of a yes/no(/unknown) column.
	ErrBadAnswer = errors.New("not a valid answer")
	// ErrMissingValue: a required value (id, dossier_id,
	// herstel_als_aanvrager, start_problematiek) is empty.
	ErrMissingValue = errors.New("required value is empty")
	// ErrFutureDate: a date after Options.Today.
	ErrFutureDate = errors.New("date in the future")
	// ErrDuplicateID: the id was used on an earlier row (the later row is
	// rejected). Ids are compared normalised (normID): EXP-1, exp-1 and
	// EXP-1 with a zero-width space or byte order mark in it are one id.
	ErrDuplicateID = errors.New("duplicate id")
	// ErrFieldCount: the row has more or fewer fields than the header.
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrMalformedRow: the row is not valid CSV (a stray or unclosed quote).
	ErrMalformedRow = errors.New("the row is not valid CSV")
)

// FileError is a problem with the extract as a whole: nothing of it is used.
type FileError struct {
	Source string // the file, as Options.Source named it
	// Sheet is the worksheet read when the extract is a workbook; "" for
	// text.
	Sheet string
	// Line is the line of the problem (in a workbook: the row number); 0
	// when it has none.
	Line   int
	Column string // the column of the problem; "" when it has none
	// Cell is the cell of the problem in a workbook (E12); "" in text or
	// when it has none.
	Cell   string
	Err    error  // one of the file-level Err* sentinels
	Detail string // what is wrong in particular and what to do about it
}

// Error reads "SOURCE[, line N][, column C]: problem: what to do", or in a
// workbook "SOURCE, sheet "S"[, row N][, cell E12 (C)]: problem: what to
// do".
func (e *FileError) Error() string {
	s := e.Source
	if s == "" {
		s = "the extract"
	}
	if e.Sheet != "" {
		s += ", sheet " + quote(e.Sheet)
	}
	s += position(e.Sheet != "", e.Line, e.Column, e.Cell)
	s += ": " + e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// position is ", line N, column C" in text; ", row N, cell E12 (C)" in a
// workbook; the parts that are zero or empty left out.
func position(sheet bool, line int, column, cell string) string {
	s := ""
	if line > 0 {
		if sheet {
			s += fmt.Sprintf(", row %d", line)
		} else {
			s += fmt.Sprintf(", line %d", line)
		}
	}
	switch {
	case cell != "" && column != "":
		s += ", cell " + cell + " (" + column + ")"
	case cell != "":
		s += ", cell " + cell
	case column != "":
		s += ", column " + column
	}
	return s
}

// Unwrap returns the sentinel.
func (e *FileError) Unwrap() error { return e.Err }

// RowError is why one row was rejected: its first problem.
type RowError struct {
	// Line is the line where the row starts (the header is line 1); in a
	// workbook, the row's number in the sheet.
	Line   int
	Column string // the column at fault; "" for the row as a whole
	// Sheet is the worksheet when the extract is a workbook, and Cell the
	// cell at fault (E12); both "" for text.
	Sheet, Cell string
	Err         error // one of the row-level Err* sentinels
	// Detail is the problem in a sentence, with the value where that helps;
	// the digits of any number in it that could be a BSN are hidden
	// (bsn.Mask). "" to use Err's text.
	Detail string
	// ID is the row's id as written (spaces around it trimmed), so a data
	// team can find and fix the row at the source; "" when the row has no
	// readable id: the id is empty, or the row has too few fields to reach
	// the id column, or it is not valid CSV before or in the id column. In a
	// row with the wrong number of fields it is the value in the id
	// column's position, which is the id unless the problem lies before it.
	// The id passed the privacy guard, like every value of the row; a
	// number in it that could be a BSN is masked (bsn.Mask) as in every
	// message, since rejected rows go to the JSON, the workbook and
	// validate's output. It is not part of Error() (show it in its own
	// column, as inert text).
	ID string
}

// Error reads "line N, column C: reason", or in a workbook "row N, cell
// E12 (C): reason".
func (e *RowError) Error() string {
	return strings.TrimPrefix(position(e.Sheet != "", e.Line, e.Column, e.Cell), ", ") + ": " + e.Reason()
}

// Reason is the problem without its position, for tables that show the
// line and column apart.
func (e *RowError) Reason() string {
	if e.Detail != "" {
		return e.Detail
	}
	return e.Err.Error()
}

// Unwrap returns the sentinel.
func (e *RowError) Unwrap() error { return e.Err }

// maskID is a rejected row's id as RowError.ID shows it: its digits
// masked (bsn.Mask) and the spaces around it trimmed again, since masking
// drops zero-width characters and may so bring a space to an end
// ("\u200b 12345678x" becomes "••••••••x", not " ••••••••x").
func maskID(id string) string {
	return strings.TrimSpace(bsn.Mask(id))
}

// rowError makes the RowError of a problem found in a column: err is a
// sentinel or a valueError wrapping one.
func rowError(line int, column, id string, err error) *RowError {
	if re, ok := err.(*reasonError); ok {
		return &RowError{Line: line, Column: column, Err: re.sentinel, Detail: re.reason, ID: maskID(id)}
	}
	return &RowError{Line: line, Column: column, Err: err, ID: maskID(id)}
}
