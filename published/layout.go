package published

import (
	"fmt"
	"reflect"
	"strconv"

	"raming/internal/strictoml"
)

// MaxFigures is the most [[figure]] tables a file may hold; the built-in
// set has 11.
const MaxFigures = 2_000

// limits bound a file of published figures, so that reading any file is
// fast (linear in its size).
var limits = strictoml.Limits{
	FileBytes: 4 << 20,
	Entries:   20 * MaxFigures,
	KeyParts:  8,
	KeyBytes:  128,
	Elements:  MaxFigures,
	TextBytes: 4000,
}

// schema is what a file of published figures may hold: [[figure]] tables
// with the keys of figureKeys.
var schema = strictoml.Schema{
	Type: reflect.TypeOf(Set{}),
	Noun: "a file of published figures",
	Unknown: func(path []string, table bool) string {
		switch {
		case len(path) > 1 && path[0] == "figure":
			return "a [[figure]] has the keys " + keyNames()
		case table:
			return "the file holds only [[figure]] tables, one per figure"
		}
		return "the file holds only [[figure]] tables, with the keys " + keyNames()
	},
	Example: func(path []string) string {
		if len(path) == 3 && path[0] == "figure" {
			if k, ok := keyByName(path[2]); ok {
				return k.example
			}
		}
		return ""
	},
}

// layout is what Parse needs to know of a file beyond the decoded values:
// the line of each [[figure]] table and of each of its keys.
type layout struct {
	figures []tableLayout
}

// tableLayout is one [[figure]] table.
type tableLayout struct {
	line int            // line of the [[figure]] header
	keys map[string]int // line of each key
}

// layoutOf reads the layout of a document.
func layoutOf(doc *strictoml.Doc) *layout {
	l := &layout{}
	for _, e := range doc.Entries {
		switch {
		case e.Kind == strictoml.ArrayTable && len(e.Path) == 2 && e.Path[0] == "figure":
			l.figures = append(l.figures, tableLayout{line: e.Line, keys: map[string]int{}})
		case e.Kind == strictoml.KeyValue && len(e.Path) == 3 && e.Path[0] == "figure":
			if i, err := strconv.Atoi(e.Path[1]); err == nil && i < len(l.figures) {
				l.figures[i].keys[e.Path[2]] = e.Line
			}
		}
	}
	return l
}

// line returns the line of key in figure i: the key's own line, else (the
// key is absent) that of the [[figure]] header.
func (l *layout) line(i int, key string) int {
	if i < 0 || i >= len(l.figures) {
		return 0
	}
	if n, ok := l.figures[i].keys[key]; ok {
		return n
	}
	return l.figures[i].line
}

// has reports whether figure i gives key.
func (l *layout) has(i int, key string) bool {
	_, ok := l.figures[i].keys[key]
	return ok
}

// figureKey returns the dotted key of a figure's key, with the figure's
// index counted from 0 as in scenario files: "figure.3.unit".
func figureKey(i int, name string) string {
	k := fmt.Sprintf("figure.%d", i)
	if name != "" {
		k += "." + name
	}
	return k
}
