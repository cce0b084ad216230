package scenario

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/shopspring/decimal"

	"raming/internal/bsn"
	"raming/internal/strictoml"
)

// Unit is the unit of an assumption's value. The list of units is closed: see Units.
type Unit string

// The units an assumption may have.
const (
	Persons    Unit = "persons"  // a number of people (may be fractional in an expected count)
	Files      Unit = "files"    // a number of files or procedures (mediations, disputes)
	Share      Unit = "share"    // a fraction between 0 and 1
	EUR        Unit = "eur"      // an amount of money in euros
	EURPerHour Unit = "eur/hour" // an hourly rate in euros
	Hours      Unit = "hours"    // a number of hours
	Years      Unit = "years"    // a number of years
	// FilesPerYear is a throughput: files decided per year.
	FilesPerYear Unit = "files/year"
	// CalendarYear is a calendar year, e.g. 2024.
	CalendarYear Unit = "calendar_year"
)

// Units lists every valid unit, in the order the documentation shows them.
var Units = []Unit{Persons, Files, Share, EUR, EURPerHour, Hours, Years, FilesPerYear, CalendarYear}

// Assumption is one input of the estimate.
type Assumption struct {
	// Value is the point value, exact.
	Value decimal.Decimal `toml:"value"`
	// Unit is the value's unit; it must match the unit the model expects.
	Unit Unit `toml:"unit"`
	// Description says in a sentence what the value is.
	Description string `toml:"description"`
	// Source names the deck slide (or other document) and quotes its wording.
	Source string `toml:"source"`
	// Uncertainty, when given, is the assumption's distribution in the
	// Monte Carlo simulation; without it the value is fixed.
	Uncertainty *Uncertainty `toml:"uncertainty"`
}

// Given reports whether the scenario gives the assumption. Only optional
// assumptions (struct tag optional:"true") may be absent; an absent one
// means "not known", never zero.
func (a Assumption) Given() bool { return a.Unit != "" }

// DateAssumption is an assumption whose value is a date (a TOML local
// date, 2023-12-31), with its description and source.
type DateAssumption struct {
	Value       toml.LocalDate `toml:"value"`
	Description string         `toml:"description"`
	Source      string         `toml:"source"`
}

// Time returns the date as UTC midnight.
func (d DateAssumption) Time() time.Time { return d.Value.AsTime(time.UTC) }

// Given reports whether the scenario gives the date.
func (d DateAssumption) Given() bool { return d.Value.Year != 0 }

// Rounding replaces a quantity the model derives (such as the funnel's
// population with damage, 3,918.75) by the rounded figure the deck multiplied
// with (~4k). It applies only to the scenario's own base population, never to
// counts taken from a population extract.
type Rounding struct {
	// Value is the rounded figure the deck used.
	Value decimal.Decimal `toml:"value"`
	// DeckText is how the deck writes it, e.g. "~4k".
	DeckText string `toml:"deck_text"`
	// Source names the slide and quotes it.
	Source string `toml:"source"`
}

// Scenario is a complete set of assumptions for variants A–E.
type Scenario struct {
	// Name identifies the scenario ("deck", "deck-exact", or a user's name).
	Name string `toml:"name"`
	// Title is a one-line Dutch title for the workbook.
	Title string `toml:"title"`
	// Description says what the scenario is for.
	Description string `toml:"description"`

	Funnel  Funnel  `toml:"funnel"`
	Phasing Phasing `toml:"phasing"`
	// Budget says how the budget tables show the lines (price level) and
	// when a mutation needs an explanation; nil when the scenario has none.
	Budget *Budget `toml:"budget"`

	// The variants, each optional; Variants lists those the scenario has,
	// in this order.
	A *VariantA `toml:"A"`
	B *VariantB `toml:"B"`
	C *VariantC `toml:"C"`
	D *VariantD `toml:"D"`
	E *VariantE `toml:"E"`
	W *VariantW `toml:"W"`

	// Rounding maps a derived quantity (a quantity ID of the model, such
	// as "funnel.damage"; the model refuses one it does not define) to the
	// rounded figure the deck used instead.
	Rounding map[string]Rounding `toml:"rounding"`

	// SHA256 is the hex SHA-256 of Text.
	SHA256 string `toml:"-"`
	// Changed lists what --set changed (IDs and option keys), in order;
	// Settings the same as KEY=VALUE, as given.
	Changed, Settings []string `toml:"-"`
	// Origin is where the scenario was read from ("built-in deck", a path).
	Origin string `toml:"-"`
	// DerivedFrom is the origin of the scenario the file derives from
	// (base = ...), "" when it derives from none.
	DerivedFrom string `toml:"-"`
	// Text is the file as read, for printing and provenance; for a file
	// that derives from another, the complete scenario it resolves to.
	Text []byte `toml:"-"`
}

// Funnel holds the funnel from the base population to those with plausible damage.
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)", Populatie.
type Funnel struct {
	BasePopulation Assumption `toml:"base_population" unit:"persons" nl:"Ex-toeslagpartners (meldpopulatie)"`
	ReportGrowth   Assumption `toml:"report_growth" unit:"share" nl:"Groei meldpopulatie"`
	RestoredShare  Assumption `toml:"restored_share" unit:"share" nl:"Al hersteld als (tweede) aanvrager"`
	AffectedShare  Assumption `toml:"affected_share" unit:"share" nl:"Aandeel gedupeerd"`
	TogetherShare  Assumption `toml:"together_share" unit:"share" nl:"Aandeel aannemelijke schade (1+ jaar samen)"`
	// HelpedPayMinimum, RefusedCWSShare and RefusedCWSDamage are the CWS's
	// requests from those a variant's access rule refuses although they
	// demonstrably helped pay: they left before, or less than a year
	// after, the problems began and contributed at least HelpedPayMinimum
	// to the recovery (the deck's archetype "Was (snel) weg, maar hielp wel
	// mee"). Counted on an extract only (the deck's raming has no such
	// line); optional, all three or none.
	HelpedPayMinimum Assumption `toml:"helped_pay_minimum" unit:"eur" nl:"Aantoonbaar meebetaald: minimale bijdrage aan de terugvordering" optional:"true"`
	RefusedCWSShare  Assumption `toml:"refused_cws_share" unit:"share" nl:"Geweigerd maar meebetaald: aandeel dat naar de CWS gaat" optional:"true"`
	RefusedCWSDamage Assumption `toml:"refused_cws_damage" unit:"eur" nl:"Geweigerd maar meebetaald: gemiddeld vastgestelde schade CWS" optional:"true"`
}

// RefusedHelpers reports whether the scenario counts the CWS requests of
// those refused although they helped pay (Funnel.HelpedPayMinimum).
func (f *Funnel) RefusedHelpers() bool { return f.HelpedPayMinimum.Given() }

// Phasing holds the assumptions that spread a case's cost over budget years.
// See docs/methodology.md, "Multi-year profile".
type Phasing struct {
	OpeningYear Assumption `toml:"opening_year" unit:"calendar_year" nl:"Openstelling regeling (jaar)"`
	// OpeningYearShare is the share of the opening year in which the
	// scheme is open (0.5 for a start on 1 July); UHT decides that share of
	// its yearly capacity then. Optional: without it the whole year.
	OpeningYearShare Assumption `toml:"opening_year_share" unit:"share" nl:"Deel van het openingsjaar dat de regeling open is" optional:"true"`
	IntakeYears      Assumption `toml:"intake_years" unit:"years" nl:"Aanmeldperiode (jaren)"`
	UHTCapacity      Assumption `toml:"uht_capacity" unit:"files/year" nl:"Capaciteit UHT (besluiten per jaar)"`
	CWSCapacity      Assumption `toml:"cws_capacity" unit:"files/year" nl:"Capaciteit CWS (besluiten per jaar)"`
	// CWSCapacityStart and CWSRampYears make the CWS's capacity ramp up
	// from CWSCapacityStart in the opening year to CWSCapacity after
	// CWSRampYears years, in equal steps (both optional: without them the
	// full capacity applies from the opening year).
	CWSCapacityStart Assumption `toml:"cws_capacity_start" unit:"files/year" nl:"Capaciteit CWS in het eerste jaar (opschaling)" optional:"true"`
	CWSRampYears     Assumption `toml:"cws_ramp_years" unit:"years" nl:"Jaren tot volle capaciteit CWS (opschaling)" optional:"true"`
	CWSLagYears      Assumption `toml:"cws_lag_years" unit:"years" nl:"Vertraging besluit regeling tot CWS-verzoek (jaren)"`
	CashLagShare     Assumption `toml:"cash_lag_share" unit:"share" nl:"Deel van de verplichtingen dat het jaar erna wordt betaald"`
	PriceLevelYear   Assumption `toml:"price_level_year" unit:"calendar_year" nl:"Prijspeil (jaar)"`
	IndexationRate   Assumption `toml:"indexation_rate" unit:"share" nl:"Indexatie per jaar na het prijspeil"`
}

// DeckTotal is the total a variant has on the deck's raming slide, kept to
// reconcile the tool's figures with the deck. Optional: a scenario of one's
// own need not have it.
type DeckTotal struct {
	// Low and High are the printed range in EUR million (equal for one figure).
	Low  decimal.Decimal `toml:"low"`
	High decimal.Decimal `toml:"high"`
	// Text is the deck's wording, e.g. "Raming: ca. €75-125 mln euro".
	Text string `toml:"text"`
}

// DeckCase is what the deck printed for one case, in EUR million. Optional.
type DeckCase struct {
	Scheme decimal.Decimal `toml:"scheme"`
	CWS    decimal.Decimal `toml:"cws"`
	// Text is the deck's arithmetic, e.g. "~4k (recht) * €15k = €60 mln".
	Text string `toml:"text"`
}

//go:embed builtin/*.toml
var builtinFS embed.FS

// BuiltinNames lists the built-in scenarios, sorted.
func BuiltinNames() []string {
	entries, _ := builtinFS.ReadDir("builtin")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".toml"))
	}
	sort.Strings(names)
	return names
}

// BuiltinText returns the TOML text of a built-in scenario.
func BuiltinText(name string) ([]byte, error) {
	b, err := builtinFS.ReadFile("builtin/" + name + ".toml")
	if err != nil {
		return nil, fmt.Errorf("no built-in scenario %q (built-in: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return b, nil
}

// Load returns the built-in scenario called nameOrPath, or else reads the file
// at that path. Every problem is reported with the file, line and key. The
// path names the file in errors and in Scenario.Origin with any number in
// it that could be a BSN masked (bsn.MaskText): Origin reaches the outputs.
func Load(nameOrPath string) (*Scenario, error) {
	if b, err := BuiltinText(nameOrPath); err == nil {
		origin := "built-in " + nameOrPath
		return parse(b, source{origin: origin, id: origin})
	}
	b, err := strictoml.ReadFile(nameOrPath, limits.FileBytes)
	if err != nil {
		msg := "cannot read it: " + err.Error()
		switch {
		case errors.Is(err, os.ErrNotExist) && filepath.Ext(nameOrPath) == "":
			msg = fmt.Sprintf("neither a built-in scenario (%s) nor a readable file", strings.Join(BuiltinNames(), ", "))
		case errors.Is(err, strictoml.ErrNotAFile):
			msg = strings.TrimSuffix(err.Error(), strictoml.ErrNotAFile.Error()) + "not a scenario file"
		}
		return nil, &Error{File: bsn.MaskText(nameOrPath), Problems: []Problem{{Msg: bsn.MaskText(msg)}}}
	}
	id, err := filepath.Abs(nameOrPath)
	if err != nil {
		id = nameOrPath
	}
	return parse(b, source{origin: bsn.MaskText(nameOrPath), id: id, dir: filepath.Dir(nameOrPath), files: true})
}

// Parse decodes and validates a scenario text. origin names it in errors.
// It may begin with a UTF-8 byte-order mark. A text that derives from
// another (base = ...) may derive from a built-in scenario only; Load
// reads a file that derives from a file relative to it. SHA256 and Text
// are of the bytes as given, or, for a text that derives from another, of
// the complete scenario it resolves to.
func Parse(b []byte, origin string) (*Scenario, error) {
	return parse(b, source{origin: origin, id: origin})
}

func parse(b []byte, src source) (*Scenario, error) {
	r, err := resolve(b, src, nil)
	if err != nil {
		return nil, err
	}
	var sc Scenario
	if ps := strictoml.Decode(r.doc, &sc); len(ps) > 0 {
		return nil, &Error{File: src.origin, Problems: r.where(ps, src.origin)}
	}
	sum := sha256.Sum256(r.text)
	sc.setVariantIDs()
	for _, e := range sc.Entries() {
		if u := e.Uncertainty; u != nil {
			v := e.Value
			u.anchor = &v
		}
	}
	sc.SHA256 = hex.EncodeToString(sum[:])
	sc.Origin = src.origin
	sc.DerivedFrom = r.base
	sc.Text = r.text
	if errs := sc.validate(); len(errs) > 0 {
		return nil, &Error{File: src.origin, Problems: r.where(locate(errs, lineIndex(r.doc)), src.origin)}
	}
	return &sc, nil
}
