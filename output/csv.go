package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/gocarina/gocsv"

	"raming/scenario"
)

// The CSV outputs (--records, the sweep's --csv) are written from typed
// rows whose csv struct tags give each column once, by gocsv, through
// csvWriter, which makes every field safe to open in a spreadsheet.

// Dialect is how a CSV output is written.
type Dialect uint8

// The dialects of the CSV outputs.
const (
	// Standard: UTF-8, comma-separated, decimal points, the columns named
	// by their English keys: for other tools.
	Standard Dialect = iota
	// Dutch: what Dutch Excel opens by a double click as columns of
	// numbers: UTF-8 with a byte-order mark (so Excel reads it as UTF-8),
	// semicolon-separated, decimal commas, Dutch headers, and B's options
	// by their Dutch labels.
	Dutch
)

// ParseDialect reads --dialect: standard or nl.
func ParseDialect(s string) (Dialect, error) {
	switch s {
	case "standard", "":
		return Standard, nil
	case "nl":
		return Dutch, nil
	}
	return Standard, fmt.Errorf("--dialect %q: use standard or nl", s)
}

// csvColumn is how the Dutch dialect writes a column, by its csv tag: its
// header, and whether its values are numbers (a decimal comma) or values
// of one of B's options (its Dutch label; option is its key).
type csvColumn struct {
	dutch  string
	number bool
	option string
}

// writeCSV writes rows (a slice of structs with csv tags) with a header,
// in the dialect d; columns describes every column for the Dutch dialect.
func writeCSV(w io.Writer, rows any, d Dialect, columns map[string]csvColumn) error {
	cw := &csvWriter{w: bufio.NewWriter(w), comma: ",", dialect: d, columns: columns}
	if d == Dutch {
		cw.comma = ";"
		cw.put("\uFEFF")
	}
	if err := gocsv.MarshalCSV(rows, cw); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvWriter writes rows separated by comma, quoting every field that holds a
// comma, a semicolon, a quote, a line break or a tab, or that starts or
// ends with a space: the file then reads the same in a spreadsheet whose
// list separator is , or ; (Dutch Excel uses ;), and no part of a field
// can become a cell of its own. In the Dutch dialect it translates the
// header and the values by columns (the first row names them).
type csvWriter struct {
	w       *bufio.Writer
	err     error
	comma   string
	dialect Dialect
	columns map[string]csvColumn
	order   []csvColumn // the columns of the header, in order
}

// Write writes one row.
func (c *csvWriter) Write(row []string) error {
	header := c.order == nil
	if c.dialect == Dutch {
		row = c.translate(row)
	}
	for i, f := range row {
		if i > 0 {
			c.put(c.comma)
		}
		// A number's decimal comma needs no quotes where ; separates.
		number := c.dialect == Dutch && !header && c.order[i].number && !strings.ContainsAny(f, ";\"\r\n\t ")
		if needsQuotes(f) && !number {
			c.put(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
		} else {
			c.put(f)
		}
	}
	c.put("\r\n")
	return c.err
}

// translate writes a row in Dutch: the header row's names, a number with a
// decimal comma, an option's value by its label.
func (c *csvWriter) translate(row []string) []string {
	out := make([]string, len(row))
	if c.order == nil {
		for i, key := range row {
			col, ok := c.columns[key]
			if !ok {
				panic("output: no Dutch name for the CSV column " + key)
			}
			c.order, out[i] = append(c.order, col), col.dutch
		}
		return out
	}
	for i, f := range row {
		switch col := c.order[i]; {
		case col.number:
			f = strings.Replace(f, ".", ",", 1)
		case col.option != "":
			if op, ok := scenario.OptionByKey(col.option); ok {
				for _, v := range op.Values {
					if v.Text == f {
						f = v.Label
					}
				}
			}
		}
		out[i] = f
	}
	return out
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
