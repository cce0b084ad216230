package input

import (
	"fmt"
	"strconv"

	"raming/internal/words"
)

// The reader's limits. Each is checked before the work it bounds, so that
// no extract, however made, costs more than a bounded amount of memory and
// time linear in its size: an extract beyond one is refused as a whole with
// a *FileError wrapping ErrLimit that names the limit (exit code 3).
// docs/input.md lists them.
const (
	// maxColumns is the number of columns a header may have. The contract
	// has 13; --ignore-unknown-columns lets others through, and a sheet has
	// 16,384 at most.
	maxColumns = 1000
	// maxHeaderBytes is the length of the header row of a text file, as
	// read (after decoding): room for maxColumns names of 60 characters.
	maxHeaderBytes = 64 << 10
	// maxRowBytes is the length of one data row of text, as read (after
	// decoding; quoted line breaks included).
	maxRowBytes = 1 << 20
	// maxValueChars is the length of one value in characters: what an
	// Excel cell holds.
	maxValueChars = 32767
)

// The limits of a workbook (.xlsx), checked on its zip directory and the
// first bytes of its shared strings before anything is expanded. A workbook
// is read in memory only (no temporary files), so these bound the memory a
// workbook can take; an extract of more than about half a million rows
// reads as CSV.
const (
	// maxWorkbookBytes is the size of the file (compressed).
	maxWorkbookBytes = 64 << 20
	// maxZipEntries is the number of parts of the zip archive (a workbook
	// has a dozen or so).
	maxZipEntries = 10000
	// maxSheetPartBytes is the uncompressed size of a worksheet or of the
	// shared strings, maxOtherPartBytes of any other part (styles,
	// relationships, pictures, ...), maxUnzippedBytes of all parts.
	maxSheetPartBytes = 256 << 20
	maxOtherPartBytes = 16 << 20
	maxUnzippedBytes  = 512 << 20
	// maxSheetRows is the number of rows of a sheet: what Excel holds.
	maxSheetRows = 1 << 20
	// maxSharedStrings is the number of distinct texts of a workbook
	// (each takes some 200 bytes once read).
	maxSharedStrings = 1000000
)

// thousands writes n with a comma between groups of three digits.
func thousands(n int64) string { return words.Grouped(strconv.FormatInt(n, 10)) }

// size writes a number of bytes as MiB or KiB, for the limits.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%s MiB", thousands(n>>20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%s KiB", thousands(n>>10))
	}
	return thousands(n) + " bytes"
}
