package published

import (
	"cmp"
	"fmt"
	"github.com/shopspring/decimal"
	"regexp"
	"slices"
	"strings"
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// The years a figure may have.
const minYear, maxYear = 2000, 2100

// maxBase bounds a figure in euros or persons: a thousand billion, far
// above any budget line.
var maxBase = decimal.New(1, 12)

// validate returns every problem of the decoded figures, each with the line
// of its key (or of the figure's [[figure]] header when the key is absent).
// lay is the file's layout, which says which keys the file gives.
func (s *Set) validate(lay *layout) []Problem {
	var ps []Problem
	if len(s.Figures) == 0 {
		return []Problem{{Key: "figure", Msg: "no [[figure]] table: add one [[figure]] table per figure (raming published show ex-partners prints an example)"}}
	}
	seen := map[string]int{}
	for i, f := range s.Figures {
		add := func(key, format string, args ...any) {
			ps = append(ps, Problem{Line: lay.line(i, key), Key: figureKey(i, key), Msg: fmt.Sprintf(format, args...)})
		}
		for _, k := range figureKeys {
			if k.required && !lay.has(i, k.name) {
				add(k.name, "missing: add it, e.g. %s; %s is %s", k.example, k.name, k.doc)
			}
		}
		for _, t := range []struct{ key, v string }{{"id", f.ID}, {"line", f.Line}, {"source", f.Source}} {
			if lay.has(i, t.key) && strings.TrimSpace(t.v) == "" {
				add(t.key, "is empty; fill it in: %s is %s", t.key, keyDoc(t.key))
			}
		}
		if f.ID != "" {
			if !idPattern.MatchString(f.ID) {
				add("id", "%q is not a valid id: use lower-case letters, digits and single hyphens, e.g. \"psupp-2023-stand\"", f.ID)
			}
			if j, dup := seen[f.ID]; dup {
				add("id", "id %q is used twice (first by figure.%d on line %d); give each figure its own id", f.ID, j, lay.line(j, "id"))
			} else {
				seen[f.ID] = i
			}
		}
		if f.Unit.Valid() {
			for _, v := range []struct {
				key string
				d   *decimal.Decimal
			}{{"value", &f.Value}, {"low", f.Low}, {"high", f.High}} {
				if v.d == nil || !lay.has(i, v.key) {
					continue
				}
				base := v.d.Mul(f.Unit.Factor())
				switch {
				case base.Abs().GreaterThan(maxBase):
					add(v.key, "%s %s is more than %s in euros or persons: not a figure of this scheme; check the unit", v.d, f.Unit, maxBase)
				case base.Exponent() < -2 && !base.Equal(base.Round(2)):
					add(v.key, "%s %s has more than two decimals in euros or persons (%s): give it to the cent", v.d, f.Unit, base)
				}
			}
		}
		if lay.has(i, "year") && (f.Year < minYear || f.Year > maxYear) {
			add("year", "%d is not a year from %d to %d; give the budget year or the year of the announcement", f.Year, minYear, maxYear)
		}
		switch {
		case (f.Low == nil) != (f.High == nil):
			given, absent := "low", "high"
			if f.Low == nil {
				given, absent = absent, given
			}
			add(given, "%s without %s: give both ends of the range the source gives, or neither", given, absent)
		case f.Low != nil:
			if f.Low.GreaterThan(*f.High) {
				add("low", "low %s is above high %s: swap them", f.Low, f.High)
			} else if f.Value.LessThan(*f.Low) || f.Value.GreaterThan(*f.High) {
				add("value", "value %s lies outside the range low %s to high %s: correct it, or give the midpoint when the source gives only the range", f.Value, f.Low, f.High)
			}
		}
		if f.Unit == Persons && f.Value.IsNegative() {
			add("value", "%s persons: a number of persons cannot be negative", f.Value)
		}
		if f.Unit == Persons && f.Low != nil && f.Low.IsNegative() {
			add("low", "%s persons: a number of persons cannot be negative", f.Low)
		}
		if f.Secondary && strings.TrimSpace(f.Note) == "" {
			add("note", "missing: a figure with secondary = true needs a note that says which report quotes which paper, e.g. %q", "Secundaire bron: een nieuwsbericht dat het kabinetsbesluit van 29-10-2021 aanhaalt")
		}
		if f.Compare.Valid() && f.Unit.Valid() && !f.Compare.Accepts(f.Unit) {
			add("compare", "compare = %q needs unit %s, but unit is %q; choose the comparison of the same scope, or compare = \"context\"", f.Compare, unitsWithBase(f.Compare.info().base), f.Unit)
		}
	}
	// Top down; on one line (a figure's missing keys) in the order of the keys.
	slices.SortStableFunc(ps, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return ps
}

func keyDoc(name string) string {
	k, _ := keyByName(name)
	return k.doc
}

// unitsWithBase lists the units that convert to base: "eur, eur_thousand or eur_mln".
func unitsWithBase(base Unit) string {
	var s []string
	for _, u := range Units {
		if u.Base() == base {
			s = append(s, u.String())
		}
	}
	if len(s) > 1 {
		return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
	}
	return strings.Join(s, "")
}
