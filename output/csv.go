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

// MarshalCSV neutralises a leading =, +, -, @, tab or carriage return
// with an apostrophe, which spreadsheets show as text.
func (t text) MarshalCSV() (string, error) { return inert(string(t)), nil }

// inert keeps a spreadsheet from reading text as a formula.
func inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
