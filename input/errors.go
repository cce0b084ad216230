package input

import (
	"errors"
	"fmt"
)

// File-level problems: the whole extract is refused (exit code 3) and
// nothing is written.
var (
	ErrEmptyFile        = errors.New("the file is empty")
	ErrNoRows           = errors.New("the file has a header but no rows")
	ErrNotCSV           = errors.New("the file is not CSV text")
	ErrMissingColumn    = errors.New("a required column is missing")
	ErrUnknownColumn    = errors.New("unknown column")
	ErrDuplicateColumn  = errors.New("a column appears twice")
	ErrNotPseudonymised = errors.New("the extract is not pseudonymised")
	ErrEncoding         = errors.New("unknown encoding")
)

// Row-level problems: the row is rejected, with its line and column, and
// counted.
var (
	ErrBadDate        = errors.New("not a valid date")
	ErrBadMoney       = errors.New("not a valid amount")
	ErrNegativeMoney  = errors.New("amount is negative")
	ErrBadAnswer      = errors.New("not a valid value")
	ErrMissingValue   = errors.New("required value is empty")
	ErrEndBeforeStart = errors.New("einde_samen is before start_problematiek")
	ErrFutureDate     = errors.New("date is in the future")
	ErrDuplicateID    = errors.New("id appears more than once")
	ErrFieldCount     = errors.New("wrong number of fields")
)

// FileError is a problem with the extract as a whole.
type FileError struct {
	Source string
	Line   int    // 0 when the problem has no line
	Column string // "" when the problem has no column
	Err    error  // one of the Err* sentinels
	Detail string // what to do about it
}

func (e *FileError) Error() string {
	s := e.Source
	if e.Line > 0 {
		s += fmt.Sprintf(", line %d", e.Line)
	}
	if e.Column != "" {
		s += fmt.Sprintf(", column %s", e.Column)
	}
	s += ": " + e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the sentinel.
func (e *FileError) Unwrap() error { return e.Err }

// RowError is why one row was rejected.
type RowError struct {
	Line   int    // the line where the row starts (the header is line 1)
	Column string // the column at fault ("" for the whole row)
	Err    error  // one of the row-level Err* sentinels
	Detail string // the offending value's problem, in words (never a BSN)
}

func (e *RowError) Error() string {
	s := fmt.Sprintf("line %d", e.Line)
	if e.Column != "" {
		s += ", column " + e.Column
	}
	return s + ": " + e.Reason()
}

// Reason is the problem without the position, for tables that show line
// and column apart.
func (e *RowError) Reason() string {
	if e.Detail != "" {
		return e.Err.Error() + ": " + e.Detail
	}
	return e.Err.Error()
}

// Unwrap returns the sentinel.
func (e *RowError) Unwrap() error { return e.Err }
