package scenario

import (
	"fmt"
	"strings"
	"time"
)

// BOptions are the option choices of the preferred variant B, worked out in
// the deck's appendix ("Samenvatting uitwerking regeling"). With a
// population extract, variant B is computed record by record under them.
// docs/methodology.md, "Variant B per record", gives every rule; the table
// Options describes each choice once.
type BOptions struct {
	// The choices (see Options); the csv tags name their columns in the
	// option sweep's CSV.
	Peildatum           Peildatum  `toml:"peildatum" csv:"peildatum"`
	Threshold           Threshold  `toml:"threshold" csv:"threshold"`
	Percentage          Percentage `toml:"percentage" csv:"percentage"`
	Base                Base       `toml:"base" csv:"base"`
	MinimumOneYear      Flag       `toml:"minimum_one_year" csv:"minimum_one_year"`
	Offset30k           Offset     `toml:"offset_30k" csv:"offset_30k"`
	DeductFromApplicant Deduction  `toml:"deduct_from_applicant" csv:"deduct_from_applicant"`
	ExtraPayment        Extra      `toml:"extra_payment" csv:"extra_payment"`
	CWSRoute            Route      `toml:"cws_route" csv:"cws_route"`

	PercentagePerYear   Assumption `csv:"-" toml:"percentage_per_year" unit:"share" nl:"Percentage per jaar samen"`
	PercentageFixed     Assumption `csv:"-" toml:"percentage_fixed" unit:"share" nl:"Vast percentage"`
	SoftMinContribution Assumption `csv:"-" toml:"soft_min_contribution" unit:"eur" nl:"Zachte drempel: minimale bijdrage aan terugvordering"`
	Cap                 Assumption `csv:"-" toml:"cap" unit:"eur" nl:"Maximum bedrag (niet bij basis terugvordering)"`
	LumpSum             Assumption `csv:"-" toml:"lump_sum" unit:"eur" nl:"Forfaitair bedrag aanvrager (Catshuisregeling)"`
	AverageYears        Assumption `csv:"-" toml:"average_years" unit:"years" nl:"Gemiddeld aantal jaren problematiek (gewogen aandeel)" optional:"true"`
	UnknownYearsShare   Assumption `csv:"-" toml:"unknown_years_share" unit:"share" nl:"Aandeel jaren samen bij onbekend einde samenwonen"`
	LowAmount           Assumption `csv:"-" toml:"low_amount" unit:"eur" nl:"Grens laag bedrag"`
	UHTStepShare        Assumption `csv:"-" toml:"uht_step_share" unit:"share" nl:"Deel CWS-verzoeken afgehandeld in UHT-tussenstap"`
	ExecutionNone       Assumption `csv:"-" toml:"execution_none" unit:"eur" nl:"Uitvoeringskosten zonder drempel"`
	ExecutionHard       Assumption `csv:"-" toml:"execution_hard" unit:"eur" nl:"Uitvoeringskosten harde drempel"`
	ExecutionSoft       Assumption `csv:"-" toml:"execution_soft" unit:"eur" nl:"Uitvoeringskosten zachte drempel"`
	ExecutionExtra      Assumption `csv:"-" toml:"execution_extra" unit:"eur" nl:"Extra uitvoeringskosten per gekozen optie"`
	SoftAccessShare     Assumption `csv:"-" toml:"soft_access_share" unit:"share" nl:"Zachte drempel zonder extract: aandeel van wie korter dan 1 jaar samen was dat nadeel aannemelijk maakt"`
	AppealShareNone     Assumption `csv:"-" toml:"appeal_share_none" unit:"share" nl:"Aandeel beroep op CWS zonder drempel" optional:"true"`
	AppealShareSoft     Assumption `csv:"-" toml:"appeal_share_soft" unit:"share" nl:"Aandeel beroep op CWS bij zachte drempel" optional:"true"`
	// PendingPeildatum is the reference date of a record under
	// eerste-betaling that has neither a first payment nor a report date
	// yet: its payment is pending, it is not ineligible.
	PendingPeildatum DateAssumption `csv:"-" toml:"pending_peildatum" nl:"Peildatum bij nog geen eerste betaling en geen melddatum"`
}

// Stage is the rule of variant B an option acts on. Stages apply to a
// record in this order, so a stage's outcome depends only on the options
// of its own and earlier stages (the option sweep computes each stage once
// per combination of those).
type Stage uint8

// The stages of variant B's per-record rules.
const (
	StageTarget Stage = iota // who is an ex-partner at the reference date
	StageAmount              // access and the amount: threshold, percentage, base, minimum year
	StageSettle              // offsetting and the applicant side
	StageRoute               // the route to the CWS
)

// stageLabels are the stages in Dutch, for the workbook.
var stageLabels = [...]string{"Doelgroep", "Toegang en bedrag", "Verrekening", "Route naar CWS"}

// String returns the stage's Dutch name.
func (s Stage) String() string { return stageLabels[s] }

// OptionValue is one named value of an option of B.
type OptionValue struct {
	Text  string // as in the scenario and on the command line, e.g. "soft"
	Label string // Dutch, for the workbook
	Short string // Dutch, a word or two for a table's cell ("Zacht")
}

// Option describes one option of variant B: its key (under [B.options] and
// in `--set b.KEY=VALUE`), Dutch label, the stage it acts on and its named
// values. It is the one place that lists them: --set, validation, the
// scenario reference, the workbook, the JSON and the option sweep all read
// it.
type Option struct {
	Key   string
	Label string
	// Short is the label in a word or two, for a table's header.
	Short  string
	Stage  Stage
	Values []OptionValue
	// Also names any other value the option accepts ("" if none).
	Also string
	// Aggregate is true for an option that acts without an extract too
	// (on the access population or the execution costs); the others act
	// record by record only.
	Aggregate bool
	field     func(o *BOptions) optionField
}

// optionField is the typed field of an option in BOptions.
type optionField interface {
	String() string
	UnmarshalText([]byte) error
}

// Options lists B's options in the order of their stages. The sweep's
// grid is the product of their Values.
var Options = []Option{
	{Key: "peildatum", Short: "Peildatum", Label: "Peildatum", Stage: StageTarget, Values: peildatumValues, Also: "any date YYYY-MM-DD",
		field: func(o *BOptions) optionField { return &o.Peildatum }},
	{Key: "threshold", Short: "Drempel", Aggregate: true, Label: "Toegangsdrempel", Stage: StageAmount, Values: thresholdValues,
		field: func(o *BOptions) optionField { return &o.Threshold }},
	{Key: "percentage", Short: "Percentage", Label: "Percentage", Stage: StageAmount, Values: percentageValues,
		field: func(o *BOptions) optionField { return &o.Percentage }},
	{Key: "base", Short: "Basisbedrag", Label: "Basisbedrag", Stage: StageAmount, Values: baseValues,
		field: func(o *BOptions) optionField { return &o.Base }},
	{Key: "minimum_one_year", Short: "Min. 1 jaar samen", Label: "Minimaal één jaar samen rekenen (wie met toegang korter samen was)", Stage: StageAmount, Values: flagValues,
		field: func(o *BOptions) optionField { return &o.MinimumOneYear }},
	{Key: "offset_30k", Short: "Verrekening € 30.000", Aggregate: true, Label: "Verrekening van een al gedeelde € 30.000", Stage: StageSettle, Values: offsetValues,
		field: func(o *BOptions) optionField { return &o.Offset30k }},
	{Key: "deduct_from_applicant", Short: "Aanvrager", Aggregate: true, Label: "In mindering op de integrale beoordeling van de aanvrager", Stage: StageSettle, Values: deductionValues,
		field: func(o *BOptions) optionField { return &o.DeductFromApplicant }},
	{Key: "extra_payment", Short: "Extra uitbetaling", Aggregate: true, Label: "Integrale beoordeling boven het basisbedrag", Stage: StageSettle, Values: extraValues,
		field: func(o *BOptions) optionField { return &o.ExtraPayment }},
	{Key: "cws_route", Short: "Route CWS", Label: "Route naar de CWS", Stage: StageRoute, Values: routeValues,
		field: func(o *BOptions) optionField { return &o.CWSRoute }},
}

// OptionByKey returns the option with the given key.
func OptionByKey(key string) (Option, bool) {
	for _, op := range Options {
		if op.Key == key {
			return op, true
		}
	}
	return Option{}, false
}

// Get returns the option's value in o as text ("" when not chosen).
func (op Option) Get(o *BOptions) string { return op.field(o).String() }

// Set sets the option's value in o from text, refusing a value the option
// does not have.
func (op Option) Set(o *BOptions, value string) error {
	if err := op.field(o).UnmarshalText([]byte(value)); err != nil {
		return fmt.Errorf("b.%s=%q is not valid; use one of %s", op.Key, value, op.valueList())
	}
	return nil
}

// LabelOf returns the Dutch label of the option's value in o (for a date,
// the date).
func (op Option) LabelOf(o *BOptions) string {
	v := op.Get(o)
	for _, ov := range op.Values {
		if ov.Text == v {
			return ov.Label
		}
	}
	return v
}

// ShortOf returns the short Dutch label of the option's value in o (for a
// date not among the values, the date as dd-mm-yyyy).
func (op Option) ShortOf(o *BOptions) string {
	v := op.Get(o)
	for _, ov := range op.Values {
		if ov.Text == v {
			return ov.Short
		}
	}
	if d, err := time.Parse("2006-01-02", v); err == nil {
		return d.Format("2-1-2006")
	}
	return v
}

func (op Option) valueList() string {
	var s []string
	for _, v := range op.Values {
		s = append(s, v.Text)
	}
	if op.Also != "" {
		s = append(s, op.Also)
	}
	return strings.Join(s, ", ")
}

// optionKeys lists the keys as `--set` takes them.
func optionKeys() string {
	var keys []string
	for _, op := range Options {
		keys = append(keys, "b."+op.Key)
	}
	return strings.Join(keys, ", ")
}

// validateOptions checks that every option has a value.
func (s *Scenario) validateOptions(add func(key, format string, args ...any)) {
	if s.B == nil {
		return
	}
	for _, op := range Options {
		if op.Get(&s.B.Options) == "" {
			add("B.options."+op.Key, "missing: choose one of %s", op.valueList())
		}
	}
}

// enum is the table of an option type's values: value i+1 is enum[i]
// (the zero value means "not chosen", which validation refuses).
type enum []OptionValue

func (e enum) text(i uint8) string {
	if i == 0 || int(i) > len(e) {
		return ""
	}
	return e[i-1].Text
}

func (e enum) parse(b []byte) (uint8, error) {
	for i, v := range e {
		if v.Text == string(b) {
			return uint8(i + 1), nil
		}
	}
	return 0, fmt.Errorf("unknown value %q", b)
}

// Threshold is B's access threshold (slide "3 Toegangsdrempel").
type Threshold uint8

// The thresholds.
const (
	ThresholdNone Threshold = iota + 1 // everyone in the target group
	ThresholdHard                      // together at least one year after the problems began
	ThresholdSoft                      // hard, or disadvantage made plausible (a contribution)
)

var thresholdValues = enum{
	{"none", "Geen drempel", "Geen"},
	{"hard", "Harde drempel: minstens 1 jaar samen na ontstaan problematiek", "Hard"},
	{"soft", "Zachte drempel: 1 jaar samen óf nadeel aannemelijk (bijdrage aan terugvordering)", "Zacht"},
}

func (t Threshold) String() string { return thresholdValues.text(uint8(t)) }

// UnmarshalText reads a threshold's name.
func (t *Threshold) UnmarshalText(b []byte) error {
	v, err := thresholdValues.parse(b)
	*t = Threshold(v)
	return err
}

// MarshalText writes the name.
func (t Threshold) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// Percentage is how B's percentage is computed ("Berekening proportioneel
// bedrag (1/3)").
type Percentage uint8

// The percentages P1-P4.
const (
	PercentageShare         Percentage = iota + 1 // P1: share of the problem years together
	PercentageWeightedShare                       // P2: years together ÷ average problem years
	PercentagePerYear                             // P3: a fixed percentage per year together
	PercentageFixed                               // P4: a fixed percentage
)

var percentageValues = enum{
	{"share", "Aandeel van de jaren samen sinds ontstaan problematiek", "Aandeel jaren"},
	{"weighted-share", "Aandeel jaren samen, gewogen naar de absolute duur", "Gewogen aandeel"},
	{"per-year", "Vast percentage per jaar samen", "Per jaar samen"},
	{"fixed", "Vast percentage, ongeacht de jaren samen", "Vast"},
}

func (p Percentage) String() string { return percentageValues.text(uint8(p)) }

// UnmarshalText reads a percentage's name.
func (p *Percentage) UnmarshalText(b []byte) error {
	v, err := percentageValues.parse(b)
	*p = Percentage(v)
	return err
}

// MarshalText writes the name.
func (p Percentage) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Base is B's base amount ("Berekening proportioneel bedrag (2/3)").
type Base uint8

// The bases.
const (
	Base30k      Base = iota + 1 // EUR 30,000
	Base15k                      // EUR 15,000
	BaseRecovery                 // the applicant's total recovery (no cap)
)

var baseValues = enum{
	{"30000", "€ 30.000", "€ 30.000"},
	{"15000", "€ 15.000", "€ 15.000"},
	{"terugvordering", "Totale terugvordering van de aanvrager (geen maximum)", "Terugvordering"},
}

func (b Base) String() string { return baseValues.text(uint8(b)) }

// UnmarshalText reads a base's name.
func (b *Base) UnmarshalText(t []byte) error {
	v, err := baseValues.parse(t)
	*b = Base(v)
	return err
}

// MarshalText writes the name.
func (b Base) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// Euros is the base amount in euros; ok false for the recovery.
func (b Base) Euros() (euros int64, ok bool) {
	switch b {
	case Base30k:
		return 30000, true
	case Base15k:
		return 15000, true
	case BaseRecovery:
		return 0, false
	}
	panic(fmt.Sprintf("scenario: base %d not chosen", b))
}

// Offset is what happens when the applicant already shared the 30k with
// the ex-partner (slide "Wanneer €30k al onderling ... is verdeeld").
type Offset uint8

// The offsets.
const (
	OffsetNone  Offset = iota + 1 // the ex-partner gets the full amount
	OffsetFront                   // withheld from the ex-partner, paid to the applicant
	OffsetBack                    // not withheld; the applicant is paid the shared amount again
)

var offsetValues = enum{
	{"none", "Niet verrekenen", "Niet"},
	{"front", "Aan de voorkant verrekenen", "Voorkant"},
	{"back", "Aan de achterkant verrekenen", "Achterkant"},
}

func (o Offset) String() string { return offsetValues.text(uint8(o)) }

// UnmarshalText reads an offset's name.
func (o *Offset) UnmarshalText(b []byte) error {
	v, err := offsetValues.parse(b)
	*o = Offset(v)
	return err
}

// MarshalText writes the name.
func (o Offset) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Deduction is what is deducted from an applicant's integral assessment
// above EUR 30k (slide "Integrale beoordeling aanvrager boven €30k").
type Deduction uint8

// The deductions.
const (
	Deduct30k            Deduction = iota + 1 // only the applicant's 30k
	Deduct30kPlusLumpSum                      // the 30k plus the ex-partner's amount
)

var deductionValues = enum{
	{"30k", "Alleen de € 30.000 van de aanvrager", "Alleen € 30.000"},
	{"30k-plus-lump-sum", "De € 30.000 plus het bedrag van de ex-partner", "€ 30.000 + bedrag"},
}

func (d Deduction) String() string { return deductionValues.text(uint8(d)) }

// UnmarshalText reads a deduction's name.
func (d *Deduction) UnmarshalText(b []byte) error {
	v, err := deductionValues.parse(b)
	*d = Deduction(v)
	return err
}

// MarshalText writes the name.
func (d Deduction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Extra is what the ex-partner gets when the applicant's integral
// assessment is above the base (slide "Integrale beoordeling aanvrager
// boven gekozen basisbedrag").
type Extra uint8

// The extra payments.
const (
	ExtraNone              Extra = iota + 1 // nothing extra
	ExtraProportionalSplit                  // the percentage of the difference, taken from the applicant
	ExtraPaid                               // the percentage of the difference, on top
)

var extraValues = enum{
	{"none", "Geen extra uitbetaling aan de ex-partner", "Geen"},
	{"proportional-split", "Verschil verhoudingsgewijs aan beide toekennen", "Verhoudingsgewijs"},
	{"extra", "Extra uitbetaling zonder verrekening met de aanvrager", "Extra"},
}

func (e Extra) String() string { return extraValues.text(uint8(e)) }

// UnmarshalText reads an extra payment's name.
func (e *Extra) UnmarshalText(b []byte) error {
	v, err := extraValues.parse(b)
	*e = Extra(v)
	return err
}

// MarshalText writes the name.
func (e Extra) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Route is the route to the CWS when the amount is demonstrably too low
// (slide "Hoe voorkomen we druk op de CWS").
type Route uint8

// The routes.
const (
	RouteDirect  Route = iota + 1 // straight to the CWS
	RouteUHTStep                  // UHT assesses and pays documented disadvantage first
)

var routeValues = enum{
	{"direct", "Direct toegang tot de CWS", "Direct"},
	{"uht-step", "Tussenstap: UHT beoordeelt en vergoedt aantoonbaar nadeel", "Tussenstap UHT"},
}

func (r Route) String() string { return routeValues.text(uint8(r)) }

// UnmarshalText reads a route's name.
func (r *Route) UnmarshalText(b []byte) error {
	v, err := routeValues.parse(b)
	*r = Route(v)
	return err
}

// MarshalText writes the name.
func (r Route) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Flag is a yes/no option (a TOML bool).
type Flag bool

var flagValues = enum{{"false", "Nee", "Nee"}, {"true", "Ja: rekenen alsof minstens 1 volledig jaar samen", "Ja"}}

func (f Flag) String() string { return fmt.Sprint(bool(f)) }

// UnmarshalText reads true or false.
func (f *Flag) UnmarshalText(b []byte) error {
	switch string(b) {
	case "true":
		*f = true
	case "false":
		*f = false
	default:
		return fmt.Errorf("unknown value %q", b)
	}
	return nil
}

// Peildatum is the reference date at which someone counts as ex-partner
// (slide "2 Peildatum ex-partner"): a fixed date, or the date of the first
// restoration payment to the applicant (eerste-betaling). The zero value
// means "not chosen".
type Peildatum struct {
	date         time.Time
	firstPayment bool
}

const firstPaymentText = "eerste-betaling"

var peildatumValues = enum{
	{"2020-12-31", "Vaste datum 31 december 2020", "31-12-2020"},
	{"2021-05-01", "Vaste datum 1 mei 2021", "1-5-2021"},
	{firstPaymentText, "Datum eerste herstelbetaling aan de aanvrager (anders melddatum ex-partner)", "Eerste betaling"},
}

// Fixed returns the fixed reference date, or ok false for eerste-betaling.
func (p Peildatum) Fixed() (d time.Time, ok bool) { return p.date, !p.date.IsZero() }

func (p Peildatum) String() string {
	switch {
	case p.firstPayment:
		return firstPaymentText
	case p.date.IsZero():
		return ""
	}
	return p.date.Format("2006-01-02")
}

// UnmarshalText reads eerste-betaling or a date YYYY-MM-DD.
func (p *Peildatum) UnmarshalText(b []byte) error {
	if string(b) == firstPaymentText {
		*p = Peildatum{firstPayment: true}
		return nil
	}
	d, err := time.Parse("2006-01-02", string(b))
	if err != nil {
		return fmt.Errorf("%q is neither %s nor a date YYYY-MM-DD", b, firstPaymentText)
	}
	*p = Peildatum{date: d}
	return nil
}

// MarshalText writes eerste-betaling or the date.
func (p Peildatum) MarshalText() ([]byte, error) { return []byte(p.String()), nil }
