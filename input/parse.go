package input

// This file checks a row's values and parses them into a Record; split.go
// makes the rows.

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"raming/internal/bsn"
)

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
		if plain && len(f) >= 8 && bsn.Whole(f) || !plain && bsn.InValue(f) { // a BSN has eight digits or more
			return rd.failAt(ErrNotPseudonymised, line, i, bsnDetail)
		}
		if len(f) > maxValueChars && utf8.RuneCountInString(f) > maxValueChars {
			return rd.failAt(ErrLimit, line, i, fmt.Sprintf("a value of %s characters, more than the %s an Excel cell holds (the reader's limit for a value)",
				thousands(int64(utf8.RuneCountInString(f))), thousands(maxValueChars)))
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
	if rd.noName != nil {
		if err := rd.noNameValues(fields, line); err != nil {
			return err
		}
	}
	rec, rerr := rd.parse(fields, line)
	if rerr != nil {
		if rd.pop.Sheet != "" { // the row's number and the cell
			rerr.Sheet = rd.pop.Sheet
			if c := columnIndex(rerr.Column); c >= 0 && rd.idx[c] >= 0 {
				rerr.Cell = cellName(rd.idx[c], line)
			}
		}
		rd.pop.Rejected = append(rd.pop.Rejected, rerr)
		return nil
	}
	rd.pop.Records = append(rd.pop.Records, rec)
	return nil
}

// parse turns a row's fields into a Record, or says what is wrong with the
// row first, in the order of columns: the ids here, every other column by
// its set. It records the row's id in rd.seen, also when the row is
// rejected for another reason: an id belongs to its first row, and a later
// row with the same normalised id (normID) is a duplicate.
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
	rec := &rd.rec // not a local: the columns' set would move it to the heap, once per row
	*rec = Record{Line: line}
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
	for c := colDossier + 1; c < numColumns; c++ {
		v := get(c)
		if columns[c].needed && strings.TrimSpace(v) == "" {
			return fail(c, ErrMissingValue)
		}
		if err := columns[c].set(&rd.rules, rec, v); err != nil {
			return fail(c, err)
		}
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
	return *rec, nil
}
