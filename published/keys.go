package published

import (
	"fmt"
	"strings"
)

// valueKind is the TOML kind a key's value must have.
type valueKind int

const (
	text    valueKind = iota + 1 // a string in quotes
	number                       // an integer or a decimal number, read exactly
	year                         // a whole number
	boolean                      // true or false
)

func (k valueKind) String() string {
	switch k {
	case text:
		return "text"
	case number:
		return "number"
	case year:
		return "whole number"
	case boolean:
		return "true/false"
	}
	panic(fmt.Sprintf("published: invalid valueKind %d", int(k)))
}

// keyInfo describes one key of a [[figure]] table.
type keyInfo struct {
	name     string
	kind     valueKind
	required bool
	example  string // a line as a file would have it
	doc      string // English, for the reference and for "missing" messages
}

// figureKeys is the one table of the keys of a [[figure]] table, in the
// order the documentation shows them. Figure's toml tags follow it (a test
// checks that they agree).
var figureKeys = []keyInfo{
	{"id", text, true, `id = "psupp-2023-stand"`,
		"a short name for the figure, unique in the file: lower-case letters, digits and hyphens"},
	{"year", year, true, `year = 2023`,
		"the budget year the figure is for, or the year it was announced"},
	{"line", text, true, `line = "Herstelregeling voor ex-partners, vastgestelde begroting 2023"`,
		"what the figure is, in Dutch, as the sheet shows it"},
	{"value", number, true, `value = 82909`,
		"the figure in `unit`, as the source gives it (no thousands separators; negative for a decrease); when the source gives only a range, its midpoint, and the note says so"},
	{"unit", text, true, `unit = "eur_thousand"`,
		"the value's unit, one of " + unitNames()},
	{"low", number, false, `low = 7000`,
		"the lower end of the range the source gives (with `high`; value must lie within)"},
	{"high", number, false, `high = 9800`,
		"the upper end of the range the source gives (with `low`)"},
	{"source", text, true, `source = "rijksfinancien.nl, najaarsnota 2023"`,
		"the document the figure comes from, as it names itself; never leave it out"},
	{"note", text, false, `note = "secondary source: news report quoting the cabinet decision"`,
		"anything a reader must know to use the figure (approximation, derivation); required when `secondary = true`: say which report quotes which paper"},
	{"secondary", boolean, false, `secondary = true`,
		"true when the figure was found only through a secondary source (a news report quoting the primary paper); default false"},
	{"compare", text, true, `compare = "cash_year"`,
		"which of the tool's figures has the same scope, one of " + comparisonNames()},
	{"scope_note", text, false, `scope_note = "Reservering voor alle onderdelen ..."`,
		"in Dutch: where the scope of the figure differs from the tool's figure it is set beside, or why none is"},
}

func keyByName(name string) (keyInfo, bool) {
	for _, k := range figureKeys {
		if k.name == name {
			return k, true
		}
	}
	return keyInfo{}, false
}

func keyNames() string {
	var s []string
	for _, k := range figureKeys {
		s = append(s, k.name)
	}
	return strings.Join(s, ", ")
}
