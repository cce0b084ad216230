package published

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/shopspring/decimal"
)

// layout is what Parse needs to know of a file beyond the decoded values:
// the line of each [[figure]] table and of each of its keys, and the TOML
// kind of each value (so that a number in quotes is refused, not read).
//
// It is read with go-toml's own parser (package unstable, at the version
// go.mod pins), which knows multi-line strings, quoted and dotted keys and
// comments exactly as the decoder does; a line scanner of our own would have
// to imitate that.
type layout struct {
	figures []tableLayout
	others  map[int]string // line -> name of each other [table] or [[table]] header
}

// tableLayout is one [[figure]] table.
type tableLayout struct {
	line int                  // line of the [[figure]] header
	keys map[string]keyLayout // by dotted key
}

// keyLayout is one key = value line.
type keyLayout struct {
	line int
	kind unstable.Kind
	data []byte // the value's text (strings unquoted); nil for arrays and tables
}

// scan reads the layout of b. It returns the parser's error for a file that
// is not TOML.
func scan(b []byte) (*layout, error) {
	var p unstable.Parser
	p.Reset(b)
	l := &layout{others: map[int]string{}}
	cur := -1 // index of the [[figure]] table the keys belong to; -1 for none
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.ArrayTable, unstable.Table:
			name, line := keyOf(&p, e)
			cur = -1
			if e.Kind == unstable.ArrayTable && name == "figure" {
				l.figures = append(l.figures, tableLayout{line: line, keys: map[string]keyLayout{}})
				cur = len(l.figures) - 1
			} else {
				l.others[line] = name
			}
		case unstable.KeyValue:
			if cur < 0 {
				continue // outside a figure: the strict decoder reports it
			}
			name, line := keyOf(&p, e)
			v := e.Value()
			kl := keyLayout{line: line, kind: v.Kind}
			if v.Kind != unstable.Array && v.Kind != unstable.InlineTable {
				kl.data = bytes.Clone(v.Data)
			}
			l.figures[cur].keys[name] = kl
		}
	}
	return l, p.Error()
}

// keyOf returns the dotted key of a table header or key = value line, and
// the line it starts on.
func keyOf(p *unstable.Parser, e *unstable.Node) (string, int) {
	var parts []string
	line := 0
	it := e.Key()
	for it.Next() {
		k := it.Node()
		if line == 0 {
			line = p.Shape(k.Raw).Start.Line
		}
		parts = append(parts, string(k.Data))
	}
	return strings.Join(parts, "."), line
}

// figureAt returns the index of the [[figure]] table that holds line n, or
// -1 when n lies before the first one.
func (l *layout) figureAt(n int) int {
	i := -1
	for j, f := range l.figures {
		if f.line <= n {
			i = j
		}
	}
	return i
}

// line returns the line of key in figure i: the key's own line, else (the
// key is absent) that of the [[figure]] header.
func (l *layout) line(i int, key string) int {
	if i < 0 || i >= len(l.figures) {
		return 0
	}
	if k, ok := l.figures[i].keys[key]; ok {
		return k.line
	}
	return l.figures[i].line
}

// has reports whether figure i gives key.
func (l *layout) has(i int, key string) bool {
	_, ok := l.figures[i].keys[key]
	return ok
}

// checkValues checks what the decoder would accept silently or report
// poorly: that each known key has a value of its kind (a number in quotes is
// refused, not read as a number) and that unit and compare name a member of
// their closed list. Unknown keys are left to the strict decoder.
func (l *layout) checkValues() []Problem {
	var ps []Problem
	for i, f := range l.figures {
		for _, k := range figureKeys {
			v, ok := f.keys[k.name]
			if !ok {
				continue
			}
			if msg := checkKind(k, v); msg != "" {
				ps = append(ps, Problem{Line: v.line, Key: figureKey(i, k.name), Msg: msg})
				continue
			}
			var err error
			switch k.name {
			case "unit":
				_, err = ParseUnit(string(v.data))
			case "compare":
				_, err = ParseComparison(string(v.data))
			}
			if err != nil {
				ps = append(ps, Problem{Line: v.line, Key: figureKey(i, k.name), Msg: err.Error()})
			}
		}
	}
	return ps
}

// checkKind returns what is wrong with the kind of a key's value, or "".
func checkKind(k keyInfo, v keyLayout) string {
	s := string(v.data)
	switch k.kind {
	case text:
		if v.kind != unstable.String {
			return fmt.Sprintf("must be text in quotes, e.g. %s", k.example)
		}
	case number:
		switch v.kind {
		case unstable.Integer, unstable.Float:
			if strings.ContainsAny(s, "_xob") || strings.Contains(s, "inf") || strings.Contains(s, "nan") {
				return fmt.Sprintf("%s is not a plain decimal number; write it with digits only, e.g. %s", s, k.example)
			}
		case unstable.String:
			if _, err := decimal.NewFromString(s); err == nil && strings.TrimSpace(s) == s {
				return fmt.Sprintf("is text (%q), not a number; write it without quotes: %s = %s", s, k.name, s)
			}
			return fmt.Sprintf("%q is not a number; write a plain number such as %s (no thousands separators, no \"ca.\": say that in note)", s, k.example)
		default:
			return fmt.Sprintf("is not a number; write a plain number, e.g. %s", k.example)
		}
	case year:
		switch v.kind {
		case unstable.Integer:
		case unstable.String:
			return fmt.Sprintf("is text (%q); write the year without quotes, e.g. %s", s, k.example)
		default:
			return fmt.Sprintf("must be a whole year, e.g. %s", k.example)
		}
	case boolean:
		if v.kind != unstable.Bool {
			return fmt.Sprintf("must be true or false, without quotes, e.g. %s", k.example)
		}
	}
	return ""
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
