// Package strictoml reads the hand-edited TOML files of the tool (scenarios
// and published figures) strictly and in bounded time.
//
// Check reads a document in one pass with go-toml's own parser (package
// unstable, at the version go.mod pins) and reports, each with its line and
// dotted key (arrays of tables numbered from 0: "A.cases.1.lump_sum"):
// syntax errors; a file, key, array or document larger than its Limits,
// before the work it would cost; keys and tables the target type does not
// have, with the nearest valid key; keys given twice; and values of the
// wrong kind (a number in quotes, a date as text, an unknown name of a
// closed list), each with what to write instead; and texts a workbook
// cannot hold (a control character). A document with a number that could
// be a BSN in a text, a key or a comment is refused with those problems
// alone, which never repeat the text. Decode then fills the
// target with go-toml's decoder and reports what it still refuses the same
// way.
//
// Every step is linear in the size of the document: lines are found by a
// binary search in the offsets of its newlines, and the keys of a document
// are bounded in depth and length before they are joined.
package strictoml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"

	"raming/internal/suggest"
)

// Problem is one problem in a file.
type Problem struct {
	// File names the file when it is not the one the error is about (the
	// base a scenario derives from); "" for that file.
	File string
	Line int    // 1-based line; 0 when not known
	Key  string // dotted key, arrays of tables counted from 0: "A.cases.0.lump_sum.value"
	Msg  string // what is wrong and what to do
}

// Limits bound a document, so that reading it costs bounded time and
// memory whatever it holds. Each is checked before the work it bounds.
type Limits struct {
	// FileBytes is the largest file, in bytes.
	FileBytes int
	// Entries is the most tables and key-values in one document.
	Entries int
	// KeyParts is the most parts of one key: a table's dotted name with
	// the dotted key of a key-value in it ([a.b] c.d = 1 has four).
	KeyParts int
	// KeyBytes is the longest part of a key, in bytes.
	KeyBytes int
	// Elements is the most elements of one array, and of one array of
	// tables ([[figure]]).
	Elements int
	// TextBytes is the longest text value, in bytes.
	TextBytes int
}

// Schema says what a document may hold.
type Schema struct {
	// Type is the Go type the document decodes into: a struct whose
	// fields carry toml tags, as go-toml reads them.
	Type reflect.Type
	// Unknown, if set, returns what to add to the message for a key (or a
	// table, when table is true) that Type does not have at path, such as
	// which keys its table has; "" adds nothing.
	Unknown func(path []string, table bool) string
	// Example, if set, returns an example line for the key at path, such
	// as `year = 2023`, for messages about its value; "" for none.
	Example func(path []string) string
	// Value, if set, checks a value before the checks by type and returns
	// what is wrong with it; "" leaves it to them.
	Value func(path []string, t reflect.Type, v *unstable.Node) string
	// Noun names the file in messages about its limits ("a scenario file").
	Noun string
}

// Kind is the kind of an Entry.
type Kind uint8

// The kinds of entries.
const (
	Table      Kind = iota + 1 // [table]
	ArrayTable                 // [[table]]: an element of an array of tables
	KeyValue                   // key = value
)

// Entry is one table header or key-value of a document, in file order.
type Entry struct {
	Kind Kind
	// Path is the entry's full key: for a key-value with its table's
	// name; an element of an array of tables by its index ("A", "cases",
	// "1"), as are the tables and keys within it.
	Path []string
	// Line and EndLine are the entry's first and last line (a multi-line
	// string or array spans several).
	Line, EndLine int
	// Text is a key-value's value as written, unquoted for a string; nil
	// for an array or an inline table, and for a table.
	Text []byte
	// ValueKind is a key-value's TOML kind (unstable.String, ...).
	ValueKind unstable.Kind
}

// Key returns the entry's dotted key.
func (e Entry) Key() string { return strings.Join(e.Path, ".") }

// Doc is a document read by Check.
type Doc struct {
	// Text is the document without a UTF-8 byte-order mark.
	Text []byte
	// Entries are its tables and key-values, in file order.
	Entries []Entry
	// newlines are the offsets of its newlines, in order.
	newlines []int
}

// Line returns the 1-based line of a byte offset of the document.
func (d *Doc) Line(offset int) int {
	n, _ := slices.BinarySearch(d.newlines, offset)
	return n + 1
}

// Lines returns the number of lines of the document (a last line without
// a newline counts).
func (d *Doc) Lines() int {
	n := len(d.newlines)
	if len(d.Text) > 0 && d.Text[len(d.Text)-1] != '\n' {
		n++
	}
	return n
}

// EntryAt returns the index of the entry that holds line n, or else the
// last entry before it; -1 when n lies before the first entry.
func (d *Doc) EntryAt(n int) int {
	i, _ := slices.BinarySearchFunc(d.Entries, n, func(e Entry, n int) int {
		if e.Line <= n {
			return -1
		}
		return 1
	})
	return i - 1
}

// bom is the UTF-8 byte-order mark that some editors write at the start of
// a file.
var bom = []byte("\uFEFF")

// ErrNotAFile is wrapped by ReadFile's error for what cannot be a file of
// the tool: too large, endless, a directory, a device or a pipe.
var ErrNotAFile = errors.New("not a file of this kind")

// ReadFile reads the file at path, refusing one larger than limit bytes
// (or an endless one, such as /dev/zero) and anything but a regular file
// (a named pipe or a terminal would wait for input), before reading it.
func ReadFile(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case fi.IsDir():
		return nil, fmt.Errorf("it is a directory: %w", ErrNotAFile)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("it is a device or a pipe, not a regular file: %w", ErrNotAFile)
	case fi.Size() > int64(limit):
		return nil, fmt.Errorf("%s (%s): %w", sizeText(fi.Size()), sizeLimit(limit), ErrNotAFile)
	}
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("it grew past the limit (%s): %w", sizeLimit(limit), ErrNotAFile)
	}
	return b, nil
}

// sizeLimit says how large a file may be.
func sizeLimit(limit int) string {
	if limit >= 1<<20 && limit%(1<<20) == 0 {
		return fmt.Sprintf("a file may have at most %d MB", limit>>20)
	}
	return fmt.Sprintf("a file may have at most %d bytes", limit)
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// MaxProblems is the most problems Check reports; a document with more
// is reported with the first ones and a last problem that says so.
const MaxProblems = 100

// syntaxFix is what to do about a document that is not TOML.
const syntaxFix = "; write text in quotes and numbers with digits only (82909 or 10.82, no thousands separators)"

// Check reads b (which may begin with a UTF-8 byte-order mark) as a
// document of schema s within the limits lim. It returns the document and
// every problem found; a document that is not TOML, or exceeds a limit,
// has one problem and no entries past it.
func Check(b []byte, lim Limits, s Schema) (*Doc, []Problem) {
	doc := &Doc{Text: bytes.TrimPrefix(b, bom)}
	if len(b) > lim.FileBytes {
		return doc, []Problem{{Msg: fmt.Sprintf("%s: %s", sizeText(int64(len(b))), sizeLimit(lim.FileBytes))}}
	}
	for i, c := range doc.Text {
		if c == '\n' {
			doc.newlines = append(doc.newlines, i)
		}
	}
	c := checker{doc: doc, lim: lim, s: s, defined: map[string]int{}}
	c.p.Reset(doc.Text)
	c.run()
	if ps := c.personalData(); len(ps) > 0 {
		return doc, ps // alone: another problem's message might repeat the text
	}
	return doc, c.problems
}

// checker is the state of one Check.
type checker struct {
	doc      *Doc
	lim      Limits
	s        Schema
	p        unstable.Parser
	problems []Problem
	defined  map[string]int // line of each table and key-value, by numbered key
	root     node           // the tables and keys so far
}

// node is a table, or an array of tables, of the document read so far,
// with its keys (an array's elements are its keys "0", "1", ...). Walking
// it part by part finds a table in time linear in its key's length.
type node struct {
	keys  map[string]*node
	array bool // an array of tables
}

// child returns the key part of n, added if new; nil when n (at path)
// already has as many keys as the limit allows (reported on line).
func (c *checker) child(n *node, part string, path []string, line int) *node {
	if k, ok := n.keys[part]; ok {
		return k
	}
	if len(n.keys) == c.lim.Elements {
		name := strings.Join(path, ".")
		if n.array {
			c.limit(line, name, fmt.Sprintf("more than %d [[%s]] tables: %s holds at most %d", c.lim.Elements, name, c.noun(), c.lim.Elements))
		} else {
			c.limit(line, name, fmt.Sprintf("more than %d keys in one table: a table holds at most %d", c.lim.Elements, c.lim.Elements))
		}
		return nil
	}
	if n.keys == nil {
		n.keys = map[string]*node{}
	}
	k := &node{}
	n.keys[part] = k
	return k
}

func (c *checker) run() {
	var table []string // the current table's numbered path
	at := &c.root      // the current table
	known := true      // the current table is one the schema has
	parts := make([]string, 0, 8)
	for c.p.NextExpression() {
		e := c.p.Expression()
		if len(c.problems) >= MaxProblems {
			c.problems = append(c.problems[:MaxProblems], Problem{Line: c.keyLine(e),
				Msg: fmt.Sprintf("more problems follow; fix the first %d and read the file again", MaxProblems)})
			return
		}
		if len(c.doc.Entries) == c.lim.Entries {
			c.limit(c.keyLine(e), "", fmt.Sprintf("more than %d tables and keys: %s holds at most %d", c.lim.Entries, c.noun(), c.lim.Entries))
			return
		}
		parts = parts[:0]
		line := c.keyLine(e)
		for it := e.Key(); it.Next(); {
			k := it.Node().Data
			if len(k) > c.lim.KeyBytes {
				c.limit(line, "", fmt.Sprintf("a key of %d bytes: a key (each part of a dotted key) has at most %d", len(k), c.lim.KeyBytes))
				return
			}
			if len(parts) == c.lim.KeyParts {
				c.limit(line, "", fmt.Sprintf("a key of more than %d parts: a dotted key has at most %d parts", c.lim.KeyParts, c.lim.KeyParts))
				return
			}
			parts = append(parts, string(k))
		}
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			kind := Table
			if e.Kind == unstable.ArrayTable {
				kind = ArrayTable
			}
			table, at = c.header(parts, kind, line)
			if at == nil {
				return
			}
			c.doc.Entries = append(c.doc.Entries, Entry{Kind: kind, Path: table, Line: line, EndLine: line})
			known = c.known(table, strings.Join(parts, "."), line, true)
			if known && kind == Table {
				c.once(table, line, "table")
			}
		case unstable.KeyValue:
			path := append(table[:len(table):len(table)], parts...)
			n := at
			for i, part := range parts {
				if n = c.child(n, part, path[:len(table)+i], line); n == nil {
					return
				}
			}
			v := e.Value()
			end := c.doc.Line(int(e.Raw.Offset + e.Raw.Length))
			entry := Entry{Kind: KeyValue, Path: path, Line: line, EndLine: end, ValueKind: v.Kind}
			if v.Kind != unstable.Array && v.Kind != unstable.InlineTable {
				entry.Text = v.Data
			}
			c.doc.Entries = append(c.doc.Entries, entry)
			if !known {
				continue // its table is reported
			}
			if c.once(path, line, "key") {
				c.value(path, strings.Join(path, "."), v, line, len(parts)+len(table))
			}
		}
	}
	if err := c.p.Error(); err != nil {
		c.syntax(err)
	}
}

// header finds the table of a [table] or [[table]] header and returns its
// numbered path: after each part that names an array of tables, the index
// of its last element ([A.cases.lump_sum] is A.cases.0.lump_sum), and for
// [[table]] the index of its new element. The node is nil when a limit is
// exceeded (reported).
func (c *checker) header(parts []string, kind Kind, line int) ([]string, *node) {
	out := make([]string, 0, len(parts)+2)
	n := &c.root
	for i, part := range parts {
		out = append(out, part)
		if n = c.child(n, part, out[:len(out)-1], line); n == nil {
			return nil, nil
		}
		last := i == len(parts)-1
		switch {
		case last && kind == ArrayTable:
			n.array = true
			idx := strconv.Itoa(len(n.keys))
			out = append(out, idx)
			if n = c.child(n, idx, out[:len(out)-1], line); n == nil {
				return nil, nil
			}
		case n.array && !last && len(n.keys) > 0:
			idx := strconv.Itoa(len(n.keys) - 1)
			out = append(out, idx)
			n = n.keys[idx]
		}
	}
	return out, n
}

// noun names the document in messages about limits.
func (c *checker) noun() string {
	if c.s.Noun != "" {
		return c.s.Noun
	}
	return "a file"
}

// limit reports a limit the document exceeds; the check stops there.
func (c *checker) limit(line int, key, msg string) {
	c.problems = append(c.problems, Problem{Line: line, Key: key, Msg: msg})
}

// keyLine returns the line of an expression's first key.
func (c *checker) keyLine(e *unstable.Node) int {
	it := e.Key()
	if it.Next() {
		return c.doc.Line(int(it.Node().Raw.Offset))
	}
	return c.doc.Line(int(e.Raw.Offset))
}

// once reports a table or key given before, and whether it is new.
func (c *checker) once(path []string, line int, what string) bool {
	key := strings.Join(path, ".")
	if first, ok := c.defined[key]; ok {
		c.problems = append(c.problems, Problem{Line: line, Key: key,
			Msg: fmt.Sprintf("already defined on line %d; give each %s once", first, what)})
		return false
	}
	c.defined[key] = line
	return true
}

// known reports whether the schema has path, and reports it (as key) when
// not.
func (c *checker) known(path []string, key string, line int, table bool) bool {
	if _, ok := FieldType(c.s.Type, path); ok {
		return true
	}
	// The first part the schema does not have: suggest from its siblings.
	i := 0
	for i < len(path) {
		if _, ok := FieldType(c.s.Type, path[:i+1]); !ok {
			break
		}
		i++
	}
	what := "key"
	if table || i < len(path)-1 {
		what = "table"
	}
	msg := "unknown " + what + " (a typo?)"
	if parent, ok := FieldType(c.s.Type, path[:i]); ok && i < len(path) {
		if near, ok := suggest.Nearest(path[i], Keys(parent)); ok {
			msg = fmt.Sprintf("unknown %s (did you mean %s?)", what, near)
		}
	}
	if c.s.Unknown != nil {
		if hint := c.s.Unknown(path, table); hint != "" {
			msg += "; " + hint
		}
	}
	c.problems = append(c.problems, Problem{Line: line, Key: key, Msg: msg})
	return false
}

// value checks the value v at path (key in messages: an array's element
// is values[1]; on line, or on its own line when it has one) against the
// type it decodes into. depth is how many key parts lead to it.
func (c *checker) value(path []string, key string, v *unstable.Node, line, depth int) {
	if len(c.problems) >= MaxProblems {
		return // run reports that more follow
	}
	if v.Raw.Length > 0 {
		line = c.doc.Line(int(v.Raw.Offset))
	}
	t, ok := FieldType(c.s.Type, path)
	if !ok {
		c.known(path, key, line, false)
		return
	}
	switch {
	case v.Kind == unstable.InlineTable && IsTable(t):
		i := 0
		for it := v.Children(); it.Next(); i++ {
			if i == c.lim.Elements {
				c.problems = append(c.problems, Problem{Line: line, Key: key, Msg: fmt.Sprintf("more than %d keys: an inline table holds at most %d", i, i)})
				return
			}
			kv := it.Node()
			p := path[:len(path):len(path)]
			n := depth
			for k := kv.Key(); k.Next(); n++ {
				if n == c.lim.KeyParts {
					c.problems = append(c.problems, Problem{Line: line, Key: key, Msg: fmt.Sprintf("nested more than %d keys deep", c.lim.KeyParts)})
					return
				}
				p = append(p, string(k.Node().Data))
			}
			kvLine := line
			if kv.Raw.Length > 0 {
				kvLine = c.doc.Line(int(kv.Raw.Offset))
			}
			if c.once(p, kvLine, "key") {
				c.value(p, strings.Join(p, "."), kv.Value(), kvLine, n)
			}
		}
		return
	case v.Kind == unstable.Array && t.Kind() == reflect.Slice:
		i := 0
		for it := v.Children(); it.Next(); i++ {
			if i == c.lim.Elements {
				c.problems = append(c.problems, Problem{Line: line, Key: key, Msg: fmt.Sprintf("more than %d values: an array holds at most %d", i, i)})
				return
			}
			c.value(append(path[:len(path):len(path)], strconv.Itoa(i)), fmt.Sprintf("%s[%d]", key, i), it.Node(), line, depth+1)
		}
		return
	}
	if msg := c.leaf(path, t, v); msg != "" {
		c.problems = append(c.problems, Problem{Line: line, Key: key, Msg: msg})
	}
}

// syntax reports the parser's error: the document is not TOML.
func (c *checker) syntax(err error) {
	pe, ok := err.(*unstable.ParserError)
	if !ok {
		c.problems = append(c.problems, Problem{Msg: "not valid TOML: " + err.Error() + syntaxFix})
		return
	}
	line := 0
	if off := cap(c.doc.Text) - cap(pe.Highlight); pe.Highlight != nil && off >= 0 && off <= len(c.doc.Text) {
		line = c.doc.Line(off)
	}
	if m := decimalComma.FindSubmatch(c.doc.lineText(line)); m != nil {
		c.problems = append(c.problems, Problem{Line: line, Msg: fmt.Sprintf("not valid TOML: %s,%s has a decimal comma; TOML writes a decimal point: %s.%s", m[1], m[2], m[1], m[2])})
		return
	}
	c.problems = append(c.problems, Problem{Line: line, Msg: "not valid TOML: " + pe.Message + syntaxFix})
}

// decimalComma is a key-value whose value is a number with a decimal
// comma, as a Dutch user writes 0.7: value = 0,7.
var decimalComma = regexp.MustCompile(`^\s*[A-Za-z0-9_."-]+\s*=\s*([-+]?[0-9]+),([0-9]+)\s*(?:#.*)?$`)

// lineText returns line n of the document (1-based; nil when there is none).
func (d *Doc) lineText(n int) []byte {
	if n < 1 || n > d.Lines() {
		return nil
	}
	start := 0
	if n > 1 {
		start = d.newlines[n-2] + 1
	}
	end := len(d.Text)
	if n-1 < len(d.newlines) {
		end = d.newlines[n-1]
	}
	return bytes.TrimSuffix(d.Text[start:end], []byte("\r"))
}
