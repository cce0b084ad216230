package strictoml

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/shopspring/decimal"
)

// The checks of a value by the type it decodes into.

var (
	decimalType     = reflect.TypeOf(decimal.Decimal{})
	localDateType   = reflect.TypeOf(toml.LocalDate{})
	textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// IsTable reports whether values of type t are written as tables: a
// struct or a map, but not a decimal, a date or a type that reads itself
// from text.
func IsTable(t reflect.Type) bool {
	switch {
	case t == decimalType || t == localDateType || reflect.PointerTo(t).Implements(textUnmarshaler):
		return false
	}
	return t.Kind() == reflect.Struct || t.Kind() == reflect.Map
}

// leaf says what is wrong with a value that is not an inline table or an
// array of t's elements; "" if nothing.
func (c *checker) leaf(path []string, t reflect.Type, v *unstable.Node) string {
	if v.Kind == unstable.String && len(v.Data) > c.lim.TextBytes {
		return fmt.Sprintf("%d characters: a text may have at most %d (a spreadsheet cell holds 32,767); shorten it", len(v.Data), c.lim.TextBytes)
	}
	if v.Kind == unstable.String {
		if r, ok := unholdable(v.Data); ok {
			return fmt.Sprintf("holds the character %U, which a workbook cannot hold; remove it (a line break or a tab may stay)", r)
		}
	}
	if c.s.Value != nil {
		if msg := c.s.Value(path, t, v); msg != "" {
			return msg
		}
	}
	example := ""
	if c.s.Example != nil {
		example = c.s.Example(path)
	}
	eg := func(s string) string {
		if example == "" {
			return s
		}
		return s + ", e.g. " + example
	}
	switch {
	case t == decimalType:
		return badNumber(v, example)
	case t == localDateType:
		return badDate(v)
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		switch v.Kind {
		case unstable.String, unstable.Integer, unstable.Float, unstable.Bool:
			if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText(v.Data); err != nil {
				return err.Error()
			}
			return ""
		}
		return eg("must be text in quotes")
	case IsTable(t):
		if v.Kind != unstable.InlineTable {
			return fmt.Sprintf("is a table, not a single value: write it as [%s] with the keys %s", strings.Join(path, "."), strings.Join(Keys(t), ", "))
		}
	case t.Kind() == reflect.String:
		if v.Kind != unstable.String {
			return eg("must be text in quotes")
		}
	case t.Kind() == reflect.Bool:
		if v.Kind != unstable.Bool {
			return eg("must be true or false, without quotes")
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		switch v.Kind {
		case unstable.Integer:
		case unstable.String:
			return eg(fmt.Sprintf("is text (%q); write the number without quotes", v.Data))
		default:
			return eg("must be a whole number")
		}
	case t.Kind() == reflect.Slice:
		if v.Kind != unstable.Array {
			return "must be a list in brackets, e.g. [1, 2]"
		}
	}
	return ""
}

// exampleNumber is what to write for a number when the schema gives no
// example.
const exampleNumber = "a number such as 11000 or 0.75"

// badNumber says what is wrong with a value that must be a number, and
// what to write instead ("" if it is a plain decimal number).
func badNumber(v *unstable.Node, example string) string {
	write := exampleNumber
	if example != "" {
		write = "a plain number, e.g. " + example
	}
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
		return fmt.Sprintf("%s is not a number the estimate can use; write %s", text, write)
	case unstable.Bool:
		return fmt.Sprintf("%s is not a number; write %s", text, write)
	case unstable.String:
		if _, err := decimal.NewFromString(text); err == nil && strings.TrimSpace(text) == text {
			return fmt.Sprintf("%q is text, not a number: write %s without quotes", text, text)
		}
		return fmt.Sprintf("%q is text, not a number; write %s (no thousands separators, no \"ca.\")", text, write)
	}
	return fmt.Sprintf("a TOML %s is not a number; write %s", v.Kind, write)
}

// badDate says what is wrong with a value that must be a date, and what
// to write instead ("" if it is a TOML date).
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

// unholdable returns the first character of a text that a workbook cannot
// hold (XML 1.0 has no place for it: a spreadsheet library writes it as
// U+FFFD, or refuses the sheet), and true; false when there is none. Those
// are the control characters but tab, line feed and carriage return (C0,
// DEL and C1), and the non-characters U+FFFE and U+FFFF.
func unholdable(text []byte) (rune, bool) {
	for _, r := range string(text) {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case unicode.IsControl(r), r == '\uFFFE', r == '\uFFFF':
			return r, true
		}
	}
	return 0, false
}
