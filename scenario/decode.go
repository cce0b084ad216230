package scenario

import (
	"encoding"
	"fmt"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"

	"raming/internal/strictoml"
)

// MaxText is the longest text a scenario may hold in one value (a
// description, a source, a label), in bytes.
const MaxText = 4000

// limits bound a scenario file. The built-in ones are about 40 KB with some
// 700 tables and keys, their keys at most 6 parts deep, their longest key 22
// bytes; every limit lies far above what a scenario needs and keeps reading
// any file fast (linear in its size).
var limits = strictoml.Limits{
	FileBytes: 4 << 20,
	Entries:   50_000,
	KeyParts:  16,
	KeyBytes:  128,
	Elements:  1_000,
	TextBytes: MaxText,
}

// schema is what a scenario file may hold: the keys of Scenario.
var schema = strictoml.Schema{
	Type:  reflect.TypeOf(Scenario{}),
	Noun:  "a scenario file",
	Value: optionValue,
	Unknown: func([]string, bool) string {
		return "see `raming scenario show deck` for the valid keys"
	},
}

// optionValue says what is wrong with the value of one of B's options ("" if
// it is one of the option's values, or not an option).
func optionValue(path []string, t reflect.Type, v *unstable.Node) string {
	op, ok := OptionByKey(path[len(path)-1])
	if !ok || len(path) != 3 || path[1] != "options" || !reflect.PointerTo(t).Implements(reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()) {
		return ""
	}
	switch v.Kind {
	case unstable.String, unstable.Integer, unstable.Float, unstable.Bool:
	default:
		return fmt.Sprintf("must be one of %s, in quotes", op.valueList())
	}
	if reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText(v.Data) == nil {
		return ""
	}
	return fmt.Sprintf("%q is not a value of this option; use one of %s", v.Data, op.valueList())
}

// Problem is one problem in a scenario file.
type Problem = strictoml.Problem

// Error lists every problem found in a scenario file.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "scenario %s is not valid:", e.File)
	for _, p := range e.Problems {
		where := e.File
		if p.File != "" {
			where = p.File
		}
		if p.Line > 0 {
			where += fmt.Sprintf(":%d", p.Line)
		}
		if p.Key != "" {
			where += ": " + p.Key
		}
		fmt.Fprintf(&sb, "\n  %s: %s", where, p.Msg)
	}
	return sb.String()
}

// lineIndex maps each dotted key of a document (arrays of tables numbered
// from 0) to its line: a table's to its header, a key-value's to its own.
func lineIndex(doc *strictoml.Doc) map[string]int {
	idx := make(map[string]int, len(doc.Entries))
	for _, e := range doc.Entries {
		k := e.Key()
		if _, ok := idx[k]; ok && e.Kind == strictoml.Table {
			continue
		}
		idx[k] = e.Line
	}
	return idx
}

// locate fills in each problem's line from the index, falling back to the
// nearest enclosing key that has one.
func locate(ps []Problem, idx map[string]int) []Problem {
	for i := range ps {
		for k := ps[i].Key; k != ""; {
			if n, ok := idx[k]; ok {
				ps[i].Line = n
				break
			}
			j := strings.LastIndex(k, ".")
			if j < 0 {
				break
			}
			k = k[:j]
		}
	}
	return ps
}
