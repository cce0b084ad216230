package published

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Unit is the unit of a figure's value. The list is closed: Units lists
// every unit, and the zero Unit means "not given" (never a valid unit).
type Unit int

// The units a figure may have. Budget documents state amounts in euros, in
// thousands ("bedragen x € 1.000", the RBV tables) or in millions
// ("bedragen x € 1 mln", the nota's and the Miljoenennota annexes).
const (
	// EUR is an amount in euros (file: "eur").
	EUR Unit = iota + 1
	// EURThousand is an amount in thousands of euros (file: "eur_thousand").
	EURThousand
	// EURMln is an amount in millions of euros (file: "eur_mln").
	EURMln
	// Persons is a number of people (file: "persons").
	Persons
)

// Units lists every valid unit, in the order the documentation shows them.
var Units = []Unit{EUR, EURThousand, EURMln, Persons}

type unitInfo struct {
	name   string          // as written in the file
	label  string          // Dutch, as budget tables write it
	factor decimal.Decimal // value × factor is in the base unit
	base   Unit            // EUR or Persons
}

// unitTable is the one table of units; index by Unit.
var unitTable = [...]unitInfo{
	EUR:         {"eur", "€", decimal.NewFromInt(1), EUR},
	EURThousand: {"eur_thousand", "x € 1.000", decimal.NewFromInt(1_000), EUR},
	EURMln:      {"eur_mln", "x € 1 mln", decimal.NewFromInt(1_000_000), EUR},
	Persons:     {"persons", "personen", decimal.NewFromInt(1), Persons},
}

// Valid reports whether u is one of Units.
func (u Unit) Valid() bool { return u > 0 && int(u) < len(unitTable) }

func (u Unit) info() unitInfo {
	if !u.Valid() {
		panic(fmt.Sprintf("published: invalid Unit %d", int(u)))
	}
	return unitTable[u]
}

// String returns the unit's name as written in a file ("eur_thousand"), or
// "Unit(N)" for an invalid unit.
func (u Unit) String() string {
	if !u.Valid() {
		return fmt.Sprintf("Unit(%d)", int(u))
	}
	return u.info().name
}

// Label returns the unit as a Dutch budget table writes it ("x € 1.000").
// Label, Factor and Base panic for an invalid unit; a Set holds only valid
// ones.
func (u Unit) Label() string { return u.info().label }

// Factor returns what a value in u is multiplied by to give euros or
// persons: 1, 1,000 or 1,000,000.
func (u Unit) Factor() decimal.Decimal { return u.info().factor }

// Base returns the unit that Factor converts to: EUR for the euro units,
// Persons for Persons.
func (u Unit) Base() Unit { return u.info().base }

// MarshalText returns the unit's name.
func (u Unit) MarshalText() ([]byte, error) {
	if !u.Valid() {
		return nil, fmt.Errorf("invalid unit %d", int(u))
	}
	return []byte(u.String()), nil
}

// UnmarshalText sets u from its name; an unknown name is an error that lists
// the valid ones.
func (u *Unit) UnmarshalText(b []byte) error {
	v, err := ParseUnit(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// ParseUnit returns the unit called name ("eur", "eur_thousand", "eur_mln",
// "persons").
func ParseUnit(name string) (Unit, error) {
	for _, u := range Units {
		if u.String() == name {
			return u, nil
		}
	}
	return 0, fmt.Errorf("%q is not a unit; use one of %s", name, unitNames())
}

func unitNames() string {
	var s []string
	for _, u := range Units {
		s = append(s, u.String())
	}
	return strings.Join(s, ", ")
}

// Comparison says which of the tool's figures has the same scope as a
// published figure, so that the sheet "Gepubliceerde cijfers" sets like
// beside like. The list is closed: Comparisons lists every kind, and the
// zero Comparison means "not given" (never valid).
//
// "The adopted scheme's variant" is the scenario variant (and case) that
// models the scheme as adopted; choosing it is the caller's, not the file's.
// The tool's totals exclude execution costs and any debt approach, as the
// deck's do ("excl. uitvoering", "excl. evt. schuldenaanpak").
type Comparison int

// The comparison kinds.
const (
	// CashYear ("cash_year"): the tool's expenditure in cash (kas: the
	// budget table's row Uitgaven, lump sums plus CWS, excl. uitvoering)
	// in the figure's year, for the adopted scheme's variant. For budget
	// lines and cash figures of one year. Needs a euro unit.
	CashYear Comparison = iota + 1
	// SchemeTotal ("scheme_total"): the tool's total of scheme payments
	// (the lump sums, "Kosten van regeling", without CWS) over all years,
	// for the adopted scheme's variant. Needs a euro unit.
	SchemeTotal
	// TotalWithExcluded ("total_with_excluded"): the tool's total cost
	// ("Totale kosten": lump sums plus CWS) plus what the deck leaves out,
	// the debt approach and execution costs, each named as such; a part the
	// tool does not estimate is shown as not estimated, never as zero. For
	// reservations that cover every component. Needs a euro unit.
	TotalWithExcluded
	// Population ("population"): the tool's number of ex-partners with
	// access to the scheme ("Populatie"), for the adopted scheme's variant.
	// Needs the unit persons.
	Population
	// ContextOnly ("context"): shown for context only; the tool has no
	// figure of the same scope. Any unit. A scope_note should say why.
	ContextOnly
)

// Comparisons lists every comparison kind, in the order the documentation
// shows them.
var Comparisons = []Comparison{CashYear, SchemeTotal, TotalWithExcluded, Population, ContextOnly}

type comparisonInfo struct {
	name  string // as written in the file
	label string // Dutch: the tool's figure set beside the published one
	base  Unit   // the base unit a figure must have; 0 for any
	doc   string // English, for the reference
}

// comparisonTable is the one table of comparison kinds; index by Comparison.
var comparisonTable = [...]comparisonInfo{
	CashYear: {"cash_year", "Raming: uitgaven (kas) in dat jaar, excl. uitvoering", EUR,
		"the tool's expenditure in cash (row Uitgaven: lump sums plus CWS, excl. execution costs) in the figure's `year`, for the adopted scheme's variant"},
	SchemeTotal: {"scheme_total", "Raming: totale kosten van de regeling (forfaitaire bedragen)", EUR,
		"the tool's total of scheme payments (the lump sums, \"Kosten van regeling\", without CWS) over all years, for the adopted scheme's variant"},
	TotalWithExcluded: {"total_with_excluded", "Raming: totale kosten plus wat de raming buiten beschouwing laat (schuldenaanpak, uitvoeringskosten)", EUR,
		"the tool's total cost (lump sums plus CWS) plus what the deck leaves out (debt approach, execution costs), each named as such; a part the tool does not estimate is shown as not estimated"},
	Population: {"population", "Raming: aantal ex-partners met toegang tot de regeling", Persons,
		"the tool's number of ex-partners with access to the scheme (\"Populatie\"), for the adopted scheme's variant"},
	ContextOnly: {"context", "Alleen ter context: de raming heeft geen cijfer met dezelfde reikwijdte", 0,
		"shown for context only: the tool has no figure of the same scope; `scope_note` should say why"},
}

// Valid reports whether c is one of Comparisons.
func (c Comparison) Valid() bool { return c > 0 && int(c) < len(comparisonTable) }

func (c Comparison) info() comparisonInfo {
	if !c.Valid() {
		panic(fmt.Sprintf("published: invalid Comparison %d", int(c)))
	}
	return comparisonTable[c]
}

// String returns the kind's name as written in a file ("cash_year"), or
// "Comparison(N)" for an invalid kind.
func (c Comparison) String() string {
	if !c.Valid() {
		return fmt.Sprintf("Comparison(%d)", int(c))
	}
	return c.info().name
}

// Label returns, in Dutch, which figure of the tool is set beside a
// published figure of this kind, for the sheet "Gepubliceerde cijfers".
// Label, Doc and Accepts panic for an invalid kind; a Set holds only valid
// ones.
func (c Comparison) Label() string { return c.info().label }

// Doc says in English which of the tool's figures the kind compares with.
func (c Comparison) Doc() string { return c.info().doc }

// Accepts reports whether a figure in unit u can be compared this way: the
// euro kinds need a euro unit, Population needs Persons, ContextOnly takes
// any unit.
func (c Comparison) Accepts(u Unit) bool {
	base := c.info().base
	return base == 0 || u.Valid() && u.Base() == base
}

// MarshalText returns the kind's name.
func (c Comparison) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, fmt.Errorf("invalid comparison kind %d", int(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText sets c from its name; an unknown name is an error that lists
// the valid ones.
func (c *Comparison) UnmarshalText(b []byte) error {
	v, err := ParseComparison(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseComparison returns the comparison kind called name ("cash_year",
// "scheme_total", "total_with_excluded", "population", "context").
func ParseComparison(name string) (Comparison, error) {
	for _, c := range Comparisons {
		if c.String() == name {
			return c, nil
		}
	}
	return 0, fmt.Errorf("%q is not a comparison kind; use one of %s", name, comparisonNames())
}

func comparisonNames() string {
	var s []string
	for _, c := range Comparisons {
		s = append(s, c.String())
	}
	return strings.Join(s, ", ")
}
