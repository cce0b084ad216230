package scenario

import (
	"reflect"
	"strings"
)

// Header holds what every variant has besides its own assumptions: the
// model computes each variant's cases by its own formula, and everything
// else (validation, the workbook, the JSON) loops over Scenario.Variants
// and reads these fields.
type Header struct {
	// ID is the variant's key in the scenario file ("A", "B", ...).
	ID string `toml:"-"`
	// Name is the variant's Dutch name, as in the deck.
	Name string `toml:"name"`
	// ShortName is a short Dutch name for sheet tabs and charts (default: the ID).
	ShortName string `toml:"short_name"`
	// CentralCase names the case whose Monte Carlo spread stands for the
	// variant (default: its first case).
	CentralCase string `toml:"central_case"`
	// Deck is the range the deck printed (optional).
	Deck DeckTotal `toml:"deck"`
	// ExecutionCost is the variant's execution cost; left out, it is "not
	// estimated", never zero.
	ExecutionCost Assumption `toml:"execution_cost" unit:"eur" nl:"Uitvoeringskosten" optional:"true"`
}

// SheetName is the name of the variant's sheet in the workbook: its ID and
// short name ("A Forfaitair"), or its ID alone. Validation holds it to a
// sheet name's rules (sheetNameProblem).
func (h *Header) SheetName() string {
	if h.ShortName == "" {
		return h.ID
	}
	return h.ID + " " + h.ShortName
}

// CaseHeader holds what every case of a variant has.
type CaseHeader struct {
	ID    string   `toml:"id"`
	Label string   `toml:"label"`
	Deck  DeckCase `toml:"deck"`
}

func (c *CaseHeader) caseHeader() *CaseHeader { return c }

// Variant is one variant of a scenario: its header and its cases' headers.
type Variant interface {
	Head() *Header
	CaseHeads() []*CaseHeader
}

// Variants returns the variants the scenario has, in the order of the
// Scenario's fields (A, B, C, D, E).
func (s *Scenario) Variants() []Variant {
	var out []Variant
	v := reflect.ValueOf(s).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
			if x, ok := f.Interface().(Variant); ok {
				out = append(out, x)
			}
		}
	}
	return out
}

// setVariantIDs names each variant by its key in the file.
func (s *Scenario) setVariantIDs() {
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
			if x, ok := f.Interface().(Variant); ok {
				x.Head().ID = strings.Split(t.Field(i).Tag.Get("toml"), ",")[0]
			}
		}
	}
}

// heads returns the headers of cases.
func heads[C any, P interface {
	*C
	caseHeader() *CaseHeader
}](cases []C) []*CaseHeader {
	out := make([]*CaseHeader, len(cases))
	for i := range cases {
		out[i] = P(&cases[i]).caseHeader()
	}
	return out
}

// VariantA is the lump-sum scheme ("Forfaitaire regeling").
type VariantA struct {
	Header
	CWSAppealShare   Assumption `toml:"cws_appeal_share" unit:"share" nl:"Aandeel beroep op CWS"`
	CWSAverageDamage Assumption `toml:"cws_average_damage" unit:"eur" nl:"Gemiddeld vastgestelde schade CWS"`
	Cases            []CaseA    `toml:"cases"`
}

// CaseA is one lump sum of variant A.
type CaseA struct {
	CaseHeader
	LumpSum Assumption `toml:"lump_sum" unit:"eur" nl:"Forfaitair bedrag"`
}

// Head returns the variant's header.
func (v *VariantA) Head() *Header { return &v.Header }

// CaseHeads returns its cases' headers.
func (v *VariantA) CaseHeads() []*CaseHeader { return heads(v.Cases) }

// VariantB is the proportional lump sum ("Proportionele regeling").
type VariantB struct {
	Header
	BaseAmount       Assumption `toml:"base_amount" unit:"eur" nl:"Basisbedrag"`
	ProblemYears     Assumption `toml:"problem_years" unit:"years" nl:"Jaren met problematiek"`
	CWSAppealShare   Assumption `toml:"cws_appeal_share" unit:"share" nl:"Aandeel beroep op CWS"`
	CWSAverageDamage Assumption `toml:"cws_average_damage" unit:"eur" nl:"Gemiddeld vastgestelde schade CWS"`
	Cases            []CaseB    `toml:"cases"`
	// Options are the choices of the worked-out variant B, used record by
	// record when a population extract is given. Their IDs (--set, the
	// workbook) are "b.KEY".
	Options BOptions `toml:"options" id:"b"`
}

// CaseB is one average share of the problem years spent together.
type CaseB struct {
	CaseHeader
	YearsTogether Assumption `toml:"years_together" unit:"years" nl:"Jaren nog samen"`
}

// Head returns the variant's header.
func (v *VariantB) Head() *Header { return &v.Header }

// CaseHeads returns its cases' headers.
func (v *VariantB) CaseHeads() []*CaseHeader { return heads(v.Cases) }

// VariantC is applicant-equivalent restoration behind a hardship threshold
// ("Aanvragersherstel met hoge drempel").
type VariantC struct {
	Header
	CWSAppealShare Assumption `toml:"cws_appeal_share" unit:"share" nl:"Aandeel beroep op CWS"`
	CWSExtraDamage Assumption `toml:"cws_extra_damage" unit:"eur" nl:"Gemiddeld extra vastgestelde schade CWS"`
	Cases          []CaseC    `toml:"cases"`
}

// CaseC is one hardship threshold of variant C.
type CaseC struct {
	CaseHeader
	HardshipShare Assumption `toml:"hardship_share" unit:"share" nl:"Aandeel schrijnend"`
	AverageAmount Assumption `toml:"average_amount" unit:"eur" nl:"Gemiddeld bedrag (als aanvrager)"`
}

// Head returns the variant's header.
func (v *VariantC) Head() *Header { return &v.Header }

// CaseHeads returns its cases' headers.
func (v *VariantC) CaseHeads() []*CaseHeader { return heads(v.Cases) }

// VariantD is individual tailoring through the CWS ("Individueel maatwerk").
type VariantD struct {
	Header
	CWSAverageDamage Assumption `toml:"cws_average_damage" unit:"eur" nl:"Gemiddeld vastgestelde schade CWS"`
	Cases            []CaseD    `toml:"cases"`
}

// CaseD is a case of variant D (the deck has one).
type CaseD struct {
	CaseHeader
}

// Head returns the variant's header.
func (v *VariantD) Head() *Header { return &v.Header }

// CaseHeads returns its cases' headers.
func (v *VariantD) CaseHeads() []*CaseHeader { return heads(v.Cases) }

// VariantE is mediation with a disputes committee ("Mediation/geschillencommissie").
type VariantE struct {
	Header
	MediationCases        Assumption `toml:"mediation_cases" unit:"files" nl:"Aantal mediationtrajecten"`
	MediationRate         Assumption `toml:"mediation_rate" unit:"eur/hour" nl:"Uurtarief mediation"`
	MediationHours        Assumption `toml:"mediation_hours" unit:"hours" nl:"Uren per mediationtraject"`
	DisputeShare          Assumption `toml:"dispute_share" unit:"share" nl:"Aandeel ook geschillencommissie"`
	DisputeRate           Assumption `toml:"dispute_rate" unit:"eur/hour" nl:"Uurtarief geschillencommissie"`
	DisputeHours          Assumption `toml:"dispute_hours" unit:"hours" nl:"Uren per geschil"`
	SettledShare          Assumption `toml:"settled_share" unit:"share" nl:"Aandeel mediation met oplossing"`
	CWSAverageDamage      Assumption `toml:"cws_average_damage" unit:"eur" nl:"Gemiddeld vastgestelde schade CWS"`
	ApplicantCompensation Assumption `toml:"applicant_compensation" unit:"eur" nl:"Gemiddelde compensatie aanvrager"`
	ExPartnerHalf         Assumption `toml:"ex_partner_half" unit:"share" nl:"Deel dat ex-partner had moeten ontvangen"`
	Cases                 []CaseE    `toml:"cases"`
}

// CaseE is a case of variant E: whether the principle that the ex-partner
// should have received half from the applicant holds. When it does not, the
// incentive to share (and to mediate) disappears and E costs what D costs.
type CaseE struct {
	CaseHeader
	PrincipleHolds bool `toml:"principle_holds"`
}

// Head returns the variant's header.
func (v *VariantE) Head() *Header { return &v.Header }

// CaseHeads returns its cases' headers.
func (v *VariantE) CaseHeads() []*CaseHeader { return heads(v.Cases) }

// VariantW is the scheme as adopted in 2023 (Wet aanvullende regelingen
// hersteloperatie toeslagen, Kamerstuk 36352): a lump sum for every
// ex-partner with access, and the additional actual damage through an
// external executor (the route the deck calls CWS). Its cost model is
// variant A's, with the law's second route to access; it is a variant of
// its own so that it carries its own name, sources and cases beside the
// deck's five.
type VariantW struct {
	VariantA
	// OwnChildrenShare is the share of the affected ex-partners who were
	// not together a year after the problems began but qualify through the
	// law's route (a): benefit partner in a year the applicant was
	// affected, with childcare benefit for their own children, with no
	// one-year rule. An extract's columns cannot tell them; optional
	// (without it, route (b) alone: together 1+ year).
	OwnChildrenShare Assumption `toml:"own_children_share" unit:"share" nl:"Toegang via eigen kinderen (route a): aandeel van wie korter dan 1 jaar samen was" optional:"true"`
}
