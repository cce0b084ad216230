package scenario

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/shopspring/decimal"
)

// bom is the UTF-8 byte-order mark that some editors write at the start of
// a file; a scenario file may begin with it.
const bom = "\uFEFF"

const exampleNumber = "a number such as 11000 or 0.75"

var (
	decimalType     = reflect.TypeOf(decimal.Decimal{})
	textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
	localDateType   = reflect.TypeOf(toml.LocalDate{})
	scenarioType    = reflect.TypeOf(Scenario{})
)

// checkValues finds the values of a scenario file that the decoder would
// refuse without saying where: go-toml hands a number, boolean or string
// to the target's UnmarshalText (decimal.Decimal, B's options) and returns
// the error as it is, without key or line. Every number must be a TOML
// number in plain decimal notation (11000, 0.75, 1.5e6), and every option
// one of its values. A document that is not valid TOML, or a key the
// scenario does not have, is left to the decoder, which reports it.
// MaxText is the longest text a scenario may hold in one value (a
// description, a source, a label), in bytes.
const MaxText = 4000

func checkValues(doc []byte) []Problem {
	c := valueChecker{lines: newlines(doc)}
	p := &c.p
	p.Reset(doc)
	var table []string
	arrays := map[string]int{} // elements of each array of tables so far
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			table = numberedPath(keyParts(e), arrays)
		case unstable.ArrayTable:
			table = numberedPath(keyParts(e), arrays)
			name := strings.Join(table, ".")
			table = append(table, strconv.Itoa(arrays[name]))
			arrays[name]++
		case unstable.KeyValue:
			c.keyValue(append(table[:len(table):len(table)], keyParts(e)...), e)
		}
	}
	return c.problems
}

// valueChecker collects the problems of a document's values.
type valueChecker struct {
	p        unstable.Parser
	lines    []int // offsets of the document's newlines
	problems []Problem
}

// newlines returns the offsets of the newlines in doc.
func newlines(doc []byte) []int {
	var offsets []int
	for i, c := range doc {
		if c == '\n' {
			offsets = append(offsets, i)
		}
	}
	return offsets
}

// line returns the 1-based line of a range of the document.
func (c *valueChecker) line(r unstable.Range) int {
	n, _ := slices.BinarySearch(c.lines, int(r.Offset))
	return n + 1
}

// keyParts returns the parts of a table's or key-value's key.
func keyParts(n *unstable.Node) []string {
	var parts []string
	for it := n.Key(); it.Next(); {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

// numberedPath inserts, after each prefix of path that names an array of
// tables, the index of its last element: [A cases lump_sum] becomes
// [A cases 0 lump_sum], as the keys of messages are written.
func numberedPath(path []string, arrays map[string]int) []string {
	var out []string
	for i, part := range path {
		out = append(out, part)
		if n, ok := arrays[strings.Join(out, ".")]; ok && i < len(path)-1 {
			out = append(out, strconv.Itoa(n-1))
		}
	}
	return out
}

// keyValue checks the value of the key-value kv at path.
func (c *valueChecker) keyValue(path []string, kv *unstable.Node) {
	c.value(path, strings.Join(path, "."), kv.Value(), c.line(kv.Raw))
}

// value checks the value v at path (key in messages: an array's element is
// values[1], as validation writes it; on line, or on its own line when it
// has one) against the type the scenario decodes it into.
func (c *valueChecker) value(path []string, key string, v *unstable.Node, line int) {
	t, ok := fieldType(scenarioType, path)
	if !ok {
		return
	}
	if v.Raw.Length > 0 {
		line = c.line(v.Raw)
	}
	switch {
	case v.Kind == unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			kv := it.Node()
			c.keyValue(append(path[:len(path):len(path)], keyParts(kv)...), kv)
		}
		return
	case v.Kind == unstable.Array && t.Kind() == reflect.Slice:
		i := 0
		for it := v.Children(); it.Next(); i++ {
			c.value(append(path[:len(path):len(path)], strconv.Itoa(i)), fmt.Sprintf("%s[%d]", key, i), it.Node(), line)
		}
		return
	}
	msg := ""
	switch {
	case v.Kind == unstable.String && len(v.Data) > MaxText:
		msg = fmt.Sprintf("%d characters: a text may have at most %d (a spreadsheet cell holds 32,767); shorten it", len(v.Data), MaxText)
	case t == decimalType:
		msg = badNumber(v)
	case t == localDateType:
		msg = badDate(v)
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		msg = badOption(t, path, v)
	}
	if msg != "" {
		c.problems = append(c.problems, Problem{Line: line, Key: key, Msg: msg})
	}
}

// badNumber says what is wrong with a value that must be a number, and
// what to write instead ("" if it is a plain decimal number).
func badNumber(v *unstable.Node) string {
	text := string(v.Data)
	switch v.Kind {
	case unstable.Integer, unstable.Float:
		if _, err := decimal.NewFromString(text); err == nil {
			return ""
		}
		plain := strings.ReplaceAll(text, "_", "")
		if _, err := decimal.NewFromString(plain); err == nil {
			return fmt.Sprintf("%s is not a plain decimal number: write %s, without underscores", text, plain)
		}
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return fmt.Sprintf("%s is not a plain decimal number: write %d, in decimal digits", text, i)
		}
		return fmt.Sprintf("%s is not a number the estimate can use; write %s", text, exampleNumber)
	case unstable.Bool:
		return fmt.Sprintf("%s is not a number; write %s", text, exampleNumber)
	case unstable.String:
		if _, err := decimal.NewFromString(text); err == nil {
			return fmt.Sprintf("%q is text, not a number: write %s without quotes", text, text)
		}
		return fmt.Sprintf("%q is text, not a number; write %s", text, exampleNumber)
	}
	return fmt.Sprintf("a TOML %s is not a number; write %s", v.Kind, exampleNumber)
}

// badDate says what is wrong with a value that must be a date, and
// what to write instead ("" if it is a TOML date).
func badDate(v *unstable.Node) string {
	var d toml.LocalDate
	switch {
	case v.Kind == unstable.LocalDate:
		return ""
	case v.Kind == unstable.String && d.UnmarshalText(v.Data) == nil:
		return fmt.Sprintf("%q is text, not a date: write %s without quotes", v.Data, v.Data)
	}
	return "not a date; write one as YYYY-MM-DD without quotes, e.g. 2023-12-31"
}

// badOption says what is wrong with the value of one of B's options ("" if
// it is one of the option's values).
func badOption(t reflect.Type, path []string, v *unstable.Node) string {
	switch v.Kind {
	case unstable.String, unstable.Integer, unstable.Float, unstable.Bool:
	default:
		return "" // the decoder refuses another kind with key and line
	}
	if reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText(v.Data) == nil {
		return ""
	}
	if op, ok := OptionByKey(path[len(path)-1]); ok {
		return fmt.Sprintf("%q is not a value of this option; use one of %s", v.Data, op.valueList())
	}
	return fmt.Sprintf("%q is not a valid value here", v.Data)
}

// fieldType returns the type that the value at path decodes into, as
// go-toml finds it: struct fields by their toml tag (or name), an exact
// match before one that differs in case only, embedded structs flattened;
// an array's index; a map's key. ok is false for a path the scenario does
// not have (the decoder reports it as an unknown key).
func fieldType(t reflect.Type, path []string) (reflect.Type, bool) {
	for _, name := range path {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t == decimalType || t == localDateType:
			return nil, false
		case t.Kind() == reflect.Slice:
			if _, err := strconv.Atoi(name); err != nil {
				return nil, false
			}
			t = t.Elem()
		case t.Kind() == reflect.Map:
			t = t.Elem()
		case t.Kind() == reflect.Struct:
			f, ok := fieldByKey(t, name)
			if !ok {
				return nil, false
			}
			t = f.Type
		default:
			return nil, false
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t, true
}

// fieldByKey finds the field of struct type t that the TOML key name
// decodes into.
func fieldByKey(t reflect.Type, name string) (reflect.StructField, bool) {
	fields := tomlFields(t)
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// tomlFields lists the fields of struct type t that the decoder fills, each
// renamed to its TOML key: its own fields first, then those of embedded
// structs. The list is made once per type (a scenario's every value asks).
func tomlFields(t reflect.Type) []reflect.StructField {
	if fields, ok := fieldCache.Load(t); ok {
		return fields.([]reflect.StructField)
	}
	fields := listTOMLFields(t)
	fieldCache.Store(t, fields)
	return fields
}

// fieldCache holds tomlFields' list per struct type.
var fieldCache sync.Map // reflect.Type -> []reflect.StructField

func listTOMLFields(t reflect.Type) []reflect.StructField {
	var own, embedded []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, tagged := f.Tag.Lookup("toml")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			embedded = append(embedded, tomlFields(f.Type)...)
		case f.IsExported():
			if tagged && name != "" {
				f.Name = name
			}
			own = append(own, f)
		}
	}
	return append(own, embedded...)
}
