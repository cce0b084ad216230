package output

import (
	"bufio"
	"io"
	"strings"

	"github.com/gocarina/gocsv"
)

// The CSV outputs (--records, the sweep's --csv) are written from typed
// rows whose csv struct tags give each column once, by gocsv, through
// csvWriter, which makes every field safe to open in a spreadsheet.

// writeCSV writes rows (a slice of structs with csv tags) with a header.
func writeCSV(w io.Writer, rows any) error {
	cw := &csvWriter{w: bufio.NewWriter(w)}
	if err := gocsv.MarshalCSV(rows, cw); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvWriter writes comma-separated rows, quoting every field that holds a
// comma, a semicolon, a quote, a line break or a tab, or that starts or
// ends with a space: the file then reads the same in a spreadsheet whose
// list separator is , or ; (Dutch Excel uses ;), and no part of a field
// can become a cell of its own.
type csvWriter struct {
	w   *bufio.Writer
	err error
}

// Write writes one row.
func (c *csvWriter) Write(row []string) error {
	for i, f := range row {
		if i > 0 {
			c.put(",")
		}
		if needsQuotes(f) {
			c.put(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
		} else {
			c.put(f)
		}
	}
	c.put("\r\n")
	return c.err
}

func (c *csvWriter) put(s string) {
	if c.err == nil {
		_, c.err = c.w.WriteString(s)
	}
}

// Flush writes what is buffered.
func (c *csvWriter) Flush() {
	if c.err == nil {
		c.err = c.w.Flush()
	}
}

// Error returns the first error of a write or flush.
func (c *csvWriter) Error() error { return c.err }

func needsQuotes(f string) bool {
	return f != "" && (strings.ContainsAny(f, ",;\"\r\n\t") || f[0] == ' ' || f[len(f)-1] == ' ')
}

// text is a field of text that comes from the input or describes it (an
// id, a reason): written so that no spreadsheet reads it as a formula.
type text string

// MarshalCSV neutralises the text with inert.
func (t text) MarshalCSV() (string, error) { return inert(string(t)), nil }

// cellBreaks are the characters after which a spreadsheet may start a new
// cell in a text: the list separators , and ; (Dutch Excel uses ;), a tab
// and a line break. A file opened with the other separator, or by a reader
// that ignores the quotes, splits a field there.
const cellBreaks = ",;\t\r\n"

// inert keeps a spreadsheet from reading any part of a text as a formula:
// each piece of it that could become a cell of its own (the start of the
// text, and whatever follows one of cellBreaks) and that starts, after
// spaces and quotes, with =, +, -, @, a tab or a carriage return, gets an
// apostrophe in front, which spreadsheets show as text. "X;=3+3" becomes
// "X;'=3+3".
func inert(s string) string {
	var b strings.Builder
	start := true
	for i := range len(s) {
		if start && formulaLike(s[i:]) {
			b.WriteByte('\'')
		}
		start = strings.IndexByte(cellBreaks, s[i]) >= 0
		b.WriteByte(s[i])
	}
	return b.String()
}

// formulaLike reports whether a piece of text starts like a formula.
func formulaLike(piece string) bool {
	p := strings.TrimLeft(piece, ` "`)
	return p != "" && strings.IndexByte("=+-@\t\r", p[0]) >= 0
}
