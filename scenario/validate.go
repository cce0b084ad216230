package scenario

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/shopspring/decimal"
)

// Entry is one assumption with its place in the scenario.
type Entry struct {
	// ID names the assumption for people: "funnel.affected_share",
	// "A.cws_appeal_share", or "A-15k.lump_sum" for a case's assumption.
	ID string
	// Key is the dotted TOML key, with array indexes: "A.cases.0.lump_sum".
	Key string
	// Label is the short Dutch name shown in the workbook.
	Label string
	// Unit is the unit the model expects.
	Unit Unit
	// Optional is true for an assumption the scenario may leave out (it
	// then means "not known").
	Optional bool
	// Assumption points into the scenario, so a caller may change the value.
	*Assumption
}

// Entries lists every assumption of the scenario in file order.
func (s *Scenario) Entries() []Entry {
	var out []Entry
	walk(reflect.ValueOf(s).Elem(), "", "", &out)
	return out
}

// ID is the id of the assumption a points to in s ("funnel.base_population"),
// or "" when a is not one of s's: the model names an assumption by its
// field, and a message by its id.
func (s *Scenario) ID(a *Assumption) string {
	for _, e := range s.Entries() {
		if e.Assumption == a {
			return e.ID
		}
	}
	return ""
}

var assumptionType = reflect.TypeOf(Assumption{})

func walk(v reflect.Value, key, id string, out *[]Entry) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("toml"), ",")[0]
		fv := v.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct { // a Header: its fields belong to the variant
			walk(fv, key, id, out)
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		fk, fid := join(key, name), join(id, name)
		if alias := f.Tag.Get("id"); alias != "" {
			fid = alias
		}
		switch {
		case f.Type == assumptionType:
			*out = append(*out, Entry{ID: fid, Key: fk, Label: f.Tag.Get("nl"), Unit: Unit(f.Tag.Get("unit")), Optional: f.Tag.Get("optional") == "true", Assumption: fv.Addr().Interface().(*Assumption)})
		case fv.Kind() == reflect.Struct:
			walk(fv, fk, fid, out)
		case fv.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			for j := 0; j < fv.Len(); j++ {
				caseID := fv.Index(j).FieldByName("ID").String()
				walk(fv.Index(j), fk+"."+strconv.Itoa(j), caseID, out)
			}
		}
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// validate returns every problem, keyed by TOML key (located later).
func (s *Scenario) validate() []Problem {
	var ps []Problem
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(s.Name) == "" {
		add("name", "missing: give the scenario a name")
	}
	ids := map[string]Entry{}
	for _, e := range s.Entries() {
		ids[e.ID] = e
	}
	for _, e := range s.Entries() {
		a := e.Assumption
		if u := a.Uncertainty; u != nil && u.MovesWith != "" {
			other, ok := ids[u.MovesWith]
			switch {
			case !ok:
				add(e.Key+".uncertainty.moves_with", "no assumption %q to move with", u.MovesWith)
			case other.Uncertainty == nil || other.Uncertainty.MovesWith != "":
				add(e.Key+".uncertainty.moves_with", "%q has no distribution of its own to move with", u.MovesWith)
			case other.Value.Sign() == 0:
				add(e.Key+".uncertainty.moves_with", "%q has value 0, so there is no proportion to move with: give it a value above 0, or give %s a distribution of its own in a scenario file (raming scenario show NAME writes one to start from)",
					u.MovesWith, e.ID)
			}
		}
		if a.Unit == "" && a.Value.IsZero() && a.Source == "" && a.Description == "" {
			if e.Optional {
				continue
			}
			add(e.Key, "missing: add it with value, unit (%s), description and source", e.Unit)
			continue
		}
		if a.Unit != e.Unit {
			add(e.Key+".unit", "unit is %q, want %q", a.Unit, e.Unit)
		}
		msg := unitProblem(a.Value, e.Unit)
		if r, ok := wholeRanges[e.ID]; ok {
			msg = wholeProblem(a.Value, r[0], r[1])
		}
		if msg != "" {
			add(e.Key+".value", "value %s", msg)
		}
		if strings.TrimSpace(a.Source) == "" {
			add(e.Key+".source", "missing: name the slide (or document) and quote its wording")
		}
		if strings.TrimSpace(a.Description) == "" {
			add(e.Key+".description", "missing: say in a sentence what the value is")
		}
		if a.Uncertainty != nil {
			validateUncertainty(e.Key, a, e.Unit, add)
		}
	}
	variants := s.Variants()
	if len(variants) == 0 {
		add("A", "missing: a scenario needs at least one variant ([A] to [E])")
	}
	number := func(key string, d decimal.Decimal) {
		if msg := numberProblem(d); msg != "" {
			add(key, "%s", msg)
		}
	}
	s.validateCaseIDs(add)
	for _, v := range variants {
		h := v.Head()
		number(h.ID+".deck.low", h.Deck.Low)
		number(h.ID+".deck.high", h.Deck.High)
		var ids []string
		for i, c := range v.CaseHeads() {
			ids = append(ids, c.ID)
			number(fmt.Sprintf("%s.cases.%d.deck.scheme", h.ID, i), c.Deck.Scheme)
			number(fmt.Sprintf("%s.cases.%d.deck.cws", h.ID, i), c.Deck.CWS)
		}
		if strings.TrimSpace(h.Name) == "" {
			add(h.ID+".name", "missing: give variant %s its Dutch name", h.ID)
		}
		if msg := sheetNameProblem(h); msg != "" {
			add(h.ID+".short_name", "%s", msg)
		}
		if h.CentralCase != "" && !slices.Contains(ids, h.CentralCase) {
			add(h.ID+".central_case", "%q is not a case of variant %s; cases: %s", h.CentralCase, h.ID, strings.Join(ids, ", "))
		}
		if len(ids) == 0 {
			add(h.ID+".cases", "missing: variant %s needs at least one [[%s.cases]]", h.ID, h.ID)
		}
	}
	if b := s.B; b != nil {
		if d := b.Options.PendingPeildatum; !d.Given() || strings.TrimSpace(d.Source) == "" || strings.TrimSpace(d.Description) == "" {
			add("B.options.pending_peildatum", "missing: give value (a date, e.g. 2023-12-31), description and source: the reference date of a record whose first payment is still pending")
		}
		if b.ExecutionCost.Given() {
			add("B.execution_cost", "variant B's execution costs follow its options (b.execution_none, _hard, _soft and _extra); remove this key")
		}
		if b.ProblemYears.Value.Sign() == 0 && b.ProblemYears.Unit != "" {
			add("B.problem_years.value", "must be above 0 (it divides the years together)")
		}
		for i, c := range b.Cases {
			if c.YearsTogether.Value.GreaterThan(b.ProblemYears.Value) {
				add(fmt.Sprintf("B.cases.%d.years_together.value", i), "%s years together is more than the %s problem years", c.YearsTogether.Value, b.ProblemYears.Value)
			}
		}
	}
	s.validatePhasing(add)
	s.validateBudget(add)
	s.validateRefusedHelpers(add)
	s.validateOptions(add)
	// The keys name quantities the model defines: it checks them (raming).
	for _, k := range sortedKeys(s.Rounding) {
		r := s.Rounding[k]
		key := "rounding." + k
		number(key+".value", r.Value)
		if strings.TrimSpace(r.Source) == "" {
			add(key+".source", "missing: name the slide and quote the rounded figure")
		}
	}
	return ps
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validatePhasing checks what the multi-year profile needs beyond the
// values' ranges (wholeRanges): capacities above zero and a whole ramp-up.
func (s *Scenario) validatePhasing(add func(key, format string, args ...any)) {
	p := s.Phasing
	for _, c := range []struct {
		key string
		a   Assumption
	}{{"phasing.uht_capacity", p.UHTCapacity}, {"phasing.cws_capacity", p.CWSCapacity}, {"phasing.cws_capacity_start", p.CWSCapacityStart}} {
		if c.a.Given() && c.a.Value.Sign() <= 0 {
			add(c.key+".value", "a capacity of %s files a year would never finish; give a number above 0", c.a.Value)
		}
	}
	if p.CWSCapacityStart.Given() != p.CWSRampYears.Given() {
		add("phasing.cws_ramp_years", "a ramp-up needs both cws_capacity_start and cws_ramp_years")
	}
}

// validateRefusedHelpers checks that the CWS requests of those refused
// although they helped pay are given whole: all three assumptions or none.
func (s *Scenario) validateRefusedHelpers(add func(key, format string, args ...any)) {
	f := s.Funnel
	given := []bool{f.HelpedPayMinimum.Given(), f.RefusedCWSShare.Given(), f.RefusedCWSDamage.Given()}
	if slices.Contains(given, true) && slices.Contains(given, false) {
		add("funnel.helped_pay_minimum", "the CWS requests of those refused although they helped pay need all of helped_pay_minimum, refused_cws_share and refused_cws_damage (or none of them)")
	}
}

// maxCaseID is the longest a case id may be.
const maxCaseID = 40

// validateCaseIDs checks that every case id is a name the workbook can use
// and that no two are the same name there. The workbook names a case's
// cells after its id with every character outside A-Z, a-z and 0-9 as _,
// and Excel ignores letter case in names, so A-15k, A+15k and a_15k would
// be one name: one case would compute with another's values. A case id
// may neither be the id of another variant (its assumptions and figures
// would read as that variant's), nor the case the model adds to variant B
// with an extract.
func (s *Scenario) validateCaseIDs(add func(key, format string, args ...any)) {
	taken := map[string]string{} // workbook name → what has it
	for _, v := range s.Variants() {
		taken[workbookName(v.Head().ID)] = "variant " + v.Head().ID
	}
	if s.B != nil {
		taken[workbookName(s.B.ID+"-opties")] = fmt.Sprintf("the case %s-opties that the model adds to variant %s with an extract", s.B.ID, s.B.ID)
	}
	for _, v := range s.Variants() {
		h := v.Head()
		for i, c := range v.CaseHeads() {
			k := fmt.Sprintf("%s.cases.%d.id", h.ID, i)
			if msg := caseIDProblem(c.ID); msg != "" {
				add(k, "%s", msg)
				continue
			}
			name := workbookName(c.ID)
			other, ok := taken[name]
			switch {
			case !ok || other == "variant "+h.ID: // a case may bear its own variant's id (D)
				taken[name] = "case " + strconv.Quote(c.ID)
			case other == "case "+strconv.Quote(c.ID):
				add(k, "case id %q is used twice; case ids must be unique", c.ID)
			default:
				add(k, "case id %q is the same name in the workbook as %s (the workbook ignores letter case and writes every character but letters and digits as _); rename the case", c.ID, other)
			}
		}
	}
}

// caseIDProblem says what is wrong with a case id on its own ("" if nothing).
func caseIDProblem(id string) string {
	if id == "" {
		return "missing: every case needs an id of letters, digits and - + % _ . (e.g. \"A-15k\")"
	}
	for _, r := range id {
		if !isAlnum(r) && !strings.ContainsRune("-+%_.", r) {
			return fmt.Sprintf("case id %q contains %q; use only letters a-z and A-Z, digits and - + %% _ .", id, r)
		}
	}
	if len(id) > maxCaseID {
		return fmt.Sprintf("case id %q has %d characters; use at most %d", id, len(id), maxCaseID)
	}
	return ""
}

// NameForm is an id as a spreadsheet name can hold it: every character but
// an ASCII letter or digit as _. The workbook names cells with it
// (output's definedName); two ids whose NameForm differs only in letter
// case are one name there (Excel's names ignore case), which validation
// refuses for case ids.
func NameForm(id string) string {
	return strings.Map(func(r rune) rune {
		if isAlnum(r) {
			return r
		}
		return '_'
	}, id)
}

// workbookName is an id as the workbook's names see it: its NameForm in
// lower case.
func workbookName(id string) string { return strings.ToLower(NameForm(id)) }

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// maxSheetName is the longest name a workbook's sheet may have, in UTF-16
// units as Excel counts them (a character outside the Basic Multilingual
// Plane, such as an emoji, counts twice).
const maxSheetName = 31

// sheetNameProblem says what keeps a variant's short name from naming its
// sheet (Header.SheetName) by Excel's rules: at most 31 characters, none of
// : \ / ? * [ ], no apostrophe first or last, no control character; "" if
// nothing. Each variant's sheet name begins with its own ID and a space,
// and no other sheet's name does (the command's TestSheetNames), so the sheet
// names are unique, also ignoring letter case, whatever the short names.
func sheetNameProblem(h *Header) string {
	name, sheet := h.ShortName, h.SheetName()
	n := utf16Len(sheet)
	switch {
	case name == "":
		return ""
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return fmt.Sprintf("%q begins or ends with an apostrophe, which a sheet name may not; remove it", name)
	case strings.ContainsAny(name, `:\/?*[]`):
		return fmt.Sprintf("%q contains one of : \\ / ? * [ ], which a sheet name may not hold; write it without", name)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Sprintf("%q contains a control character (a tab or line break?), which a sheet name may not hold; remove it", name)
	case n > maxSheetName:
		return fmt.Sprintf("%q makes the sheet name %q of %d characters; a sheet name has at most %d (an emoji counts as two): shorten the short name to at most %d",
			name, sheet, n, maxSheetName, maxSheetName-(n-utf16Len(name)))
	}
	return ""
}

// utf16Len is the length of s in UTF-16 units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
