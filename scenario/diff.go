package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// DiffKind is what differs in a key between two scenarios.
type DiffKind uint8

// The kinds of difference.
const (
	DiffValue        DiffKind = iota + 1 // an assumption's value (or whether it is given at all)
	DiffDistribution                     // an assumption's uncertainty only: it moves the Monte Carlo band, not the point estimate
	DiffBoth                             // an assumption's value and its uncertainty
	DiffOption                           // an option of variant B (or its date for pending payments)
	DiffRounding                         // one of the deck's roundings ([rounding."QUANTITY"])
)

var diffKindText = [...]string{"", "value", "distribution", "value and distribution", "option", "rounding"}

func (k DiffKind) String() string { return diffKindText[k] }

// MovesPoint reports whether a difference of this kind can move the
// deterministic estimate: every kind but a distribution alone.
func (k DiffKind) MovesPoint() bool { return k != DiffDistribution }

// Difference is one key whose setting differs between two scenarios, named
// as --set names it: an assumption by its ID (funnel.affected_share), an
// option of B by b.KEY (b.threshold, b.pending_peildatum), a rounding by
// rounding.QUANTITY (rounding.funnel.damage).
type Difference struct {
	Key string
	// Also are keys that change together with Key, because a scenario
	// cannot have one without the others (an optional assumption given in
	// one scenario only, whose companions must be given with it: the
	// CWS's ramp-up, the requests of those refused who helped pay).
	Also []string
	Kind DiffKind
	// Label is the key's Dutch label (the workbook's), for an assumption
	// or an option; for a rounding its deck text.
	Label string
	// Base and Other are the settings in each scenario, as text: a value,
	// an option's value, a distribution with its parameters
	// (DescribeUncertainty), or "" for not given (no distribution, no
	// rounding).
	Base, Other string
}

// Keys returns Key and Also.
func (d Difference) Keys() []string { return append([]string{d.Key}, d.Also...) }

// coupled are optional assumptions a scenario gives all or none of
// (validatePhasing, validateRefusedHelpers): given in one scenario and not
// in the other, they are one difference.
var coupled = [][]string{
	{"phasing.cws_capacity_start", "phasing.cws_ramp_years"},
	{"funnel.helped_pay_minimum", "funnel.refused_cws_share", "funnel.refused_cws_damage"},
}

// Diff lists every key whose setting differs between base and other, in
// the order of the scenario reference (docs/scenario-reference.md: the
// assumptions, B's date for pending payments, B's options, the
// roundings), and the differences of structure that no key expresses: a
// variant or a case in one scenario only, another central case. An assumption of a case that only one
// scenario has is part of that structure, not a key. What a scenario says
// about itself (name, title, descriptions, sources, the deck's printed
// figures) is not compared.
func Diff(base, other *Scenario) (diffs []Difference, structure []Structure) {
	theirs := map[string]Entry{}
	for _, e := range other.Entries() {
		theirs[e.ID] = e
	}
	for _, e := range base.Entries() {
		o, ok := theirs[e.ID]
		if !ok {
			continue
		}
		value := e.Given() != o.Given() || e.Given() && !e.Value.Equal(o.Value)
		dist := !sameUncertainty(e, o)
		if !value && !dist {
			continue
		}
		d := Difference{Key: e.ID, Label: e.Label, Kind: DiffBoth, Base: describeEntry(e), Other: describeEntry(o)}
		switch {
		case !dist:
			d.Kind = DiffValue
		case !value:
			d.Kind = DiffDistribution
		}
		diffs = append(diffs, d)
	}
	diffs = couple(diffs, base, other)
	if base.B != nil && other.B != nil {
		if a, b := base.B.Options.PendingPeildatum.Value, other.B.Options.PendingPeildatum.Value; a != b {
			diffs = append(diffs, Difference{Key: "b.pending_peildatum", Kind: DiffOption, Label: "Peildatum bij nog geen eerste betaling en geen melddatum",
				Base: a.String(), Other: b.String()})
		}
		for _, op := range Options {
			if a, b := op.Get(&base.B.Options), op.Get(&other.B.Options); a != b {
				diffs = append(diffs, Difference{Key: "b." + op.Key, Kind: DiffOption, Label: op.Label, Base: a, Other: b})
			}
		}
	}
	keys := sortedKeys(base.Rounding)
	for _, k := range sortedKeys(other.Rounding) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		a, inBase := base.Rounding[k]
		b, inOther := other.Rounding[k]
		if inBase && inOther && a.Value.Equal(b.Value) {
			continue
		}
		d := Difference{Key: "rounding." + k, Kind: DiffRounding}
		if inBase {
			d.Base, d.Label = a.Value.String(), a.DeckText
		}
		if inOther {
			d.Other, d.Label = b.Value.String(), b.DeckText
		}
		diffs = append(diffs, d)
	}
	return diffs, structureDiff(base, other)
}

// couple merges the differences of coupled assumptions into one when one
// scenario gives them and the other does not.
func couple(diffs []Difference, base, other *Scenario) []Difference {
	given := func(sc *Scenario, id string) bool {
		for _, e := range sc.Entries() {
			if e.ID == id {
				return e.Given()
			}
		}
		return false
	}
	for _, group := range coupled {
		merge := false
		for _, id := range group {
			merge = merge || given(base, id) != given(other, id)
		}
		if !merge {
			continue
		}
		first := -1
		for i := 0; i < len(diffs); i++ {
			if !slices.Contains(group, diffs[i].Key) {
				continue
			}
			if first < 0 {
				first = i
				continue
			}
			d := diffs[i]
			diffs[first].Also = append(diffs[first].Also, d.Key)
			diffs[first].Base += "; " + d.Key + ": " + orNone(d.Base)
			diffs[first].Other += "; " + d.Key + ": " + orNone(d.Other)
			if diffs[first].Kind != d.Kind {
				diffs[first].Kind = DiffBoth
			}
			diffs = slices.Delete(diffs, i, i+1)
			i--
		}
	}
	return diffs
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// StructureKind is a difference of structure between two scenarios.
type StructureKind uint8

// The differences of structure.
const (
	VariantOnly  StructureKind = iota + 1 // a variant in one scenario only
	CaseOnly                              // a case of a variant both have, in one scenario only
	OtherCentral                          // another central case of a variant both have
)

// Structure is one difference of structure between two scenarios, which
// no key expresses: a variant or a case in one scenario only (InBase says
// which), or another central case (BaseCentral, OtherCentral).
type Structure struct {
	Kind                      StructureKind
	Variant, Case             string
	InBase                    bool
	BaseCentral, OtherCentral string
}

func (d Structure) String() string {
	where := "the other scenario only"
	if d.InBase {
		where = "the base scenario only"
	}
	switch d.Kind {
	case VariantOnly:
		return fmt.Sprintf("variant %s is in %s", d.Variant, where)
	case CaseOnly:
		return fmt.Sprintf("case %s of variant %s is in %s", d.Case, d.Variant, where)
	}
	return fmt.Sprintf("variant %s's central case is %s in the base scenario and %s in the other", d.Variant, d.BaseCentral, d.OtherCentral)
}

// structureDiff lists where the two scenarios' structure differs:
// variants and cases in one only, another central case.
func structureDiff(base, other *Scenario) []Structure {
	var out []Structure
	heads := func(sc *Scenario) map[string]Variant {
		m := map[string]Variant{}
		for _, v := range sc.Variants() {
			m[v.Head().ID] = v
		}
		return m
	}
	mine, theirs := heads(base), heads(other)
	for _, v := range base.Variants() {
		id := v.Head().ID
		o, ok := theirs[id]
		if !ok {
			out = append(out, Structure{Kind: VariantOnly, Variant: id, InBase: true})
			continue
		}
		var a, b []string
		for _, c := range v.CaseHeads() {
			a = append(a, c.ID)
		}
		for _, c := range o.CaseHeads() {
			b = append(b, c.ID)
		}
		for _, c := range a {
			if !slices.Contains(b, c) {
				out = append(out, Structure{Kind: CaseOnly, Variant: id, Case: c, InBase: true})
			}
		}
		for _, c := range b {
			if !slices.Contains(a, c) {
				out = append(out, Structure{Kind: CaseOnly, Variant: id, Case: c})
			}
		}
		if x, y := central(v), central(o); x != y {
			out = append(out, Structure{Kind: OtherCentral, Variant: id, BaseCentral: x, OtherCentral: y})
		}
	}
	for _, v := range other.Variants() {
		if _, ok := mine[v.Head().ID]; !ok {
			out = append(out, Structure{Kind: VariantOnly, Variant: v.Head().ID})
		}
	}
	return out
}

// central is a variant's central case: the one it names, else its first.
func central(v Variant) string {
	if c := v.Head().CentralCase; c != "" {
		return c
	}
	if cs := v.CaseHeads(); len(cs) > 0 {
		return cs[0].ID
	}
	return ""
}

// Take sets the keys of ds (each Key and its Also) in s to their settings
// in o: an assumption as a whole (value, unit, description, source,
// uncertainty; not given when o does not give it), an option, a rounding
// (removed when o has none). An assumption that --set changed in o counts
// as changed in s too (a rounding of the deck that depends on it then no
// longer applies, as in o). s is not validated again: that is the
// caller's (Revalidate).
func (s *Scenario) Take(o *Scenario, ds ...Difference) error {
	var mine, theirs map[string]*Assumption // made when an assumption is taken
	for _, d := range ds {
		for _, key := range d.Keys() {
			if q, ok := strings.CutPrefix(key, "rounding."); ok {
				s.takeRounding(o, q)
				continue
			}
			if k, ok := strings.CutPrefix(key, "b."); ok && (k == "pending_peildatum" || isOption(k)) {
				if err := s.takeOption(o, key, k); err != nil {
					return err
				}
				continue
			}
			if mine == nil {
				mine, theirs = assumptionsByID(s), assumptionsByID(o)
			}
			if err := s.takeAssumption(o, key, mine[key], theirs[key]); err != nil {
				return err
			}
		}
	}
	return nil
}

// assumptionsByID maps a scenario's assumptions by ID.
func assumptionsByID(sc *Scenario) map[string]*Assumption {
	m := map[string]*Assumption{}
	for _, e := range sc.Entries() {
		m[e.ID] = e.Assumption
	}
	return m
}

func (s *Scenario) takeRounding(o *Scenario, q string) {
	r, has := o.Rounding[q]
	switch {
	case !has:
		delete(s.Rounding, q)
	case s.Rounding == nil:
		s.Rounding = map[string]Rounding{q: r}
	default:
		s.Rounding[q] = r
	}
}

func (s *Scenario) takeOption(o *Scenario, key, k string) error {
	if s.B == nil || o.B == nil {
		return fmt.Errorf("%s: both scenarios need variant B", key)
	}
	if k == "pending_peildatum" {
		s.B.Options.PendingPeildatum = o.B.Options.PendingPeildatum
		return nil
	}
	op, _ := OptionByKey(k)
	return op.Set(&s.B.Options, op.Get(&o.B.Options))
}

func (s *Scenario) takeAssumption(o *Scenario, key string, mine, theirs *Assumption) error {
	if mine == nil || theirs == nil {
		return fmt.Errorf("%s: not an assumption of both scenarios", key)
	}
	a := *theirs
	if u := theirs.Uncertainty; u != nil {
		c := *u
		c.Values, c.Weights = slices.Clone(u.Values), slices.Clone(u.Weights)
		a.Uncertainty = &c
	}
	*mine = a
	if slices.Contains(o.Changed, key) && !slices.Contains(s.Changed, key) {
		s.Changed = append(s.Changed, key)
	}
	return nil
}

func isOption(key string) bool {
	_, ok := OptionByKey(key)
	return ok
}

// describeEntry is an assumption's setting as Difference shows it: its
// value, and its distribution if it has one ("" when not given).
func describeEntry(e Entry) string {
	if !e.Given() {
		return ""
	}
	s := e.Value.String()
	if e.Uncertainty != nil {
		s += "; " + DescribeUncertainty(e.Uncertainty, e.Unit)
	}
	return s
}

// DescribeUncertainty writes an uncertainty with its parameters as the
// scenario file names them: "beta low=0.65 high=0.85", "pert min=0
// mode=0 max=0.5 point=base", "moves_with=A.cws_average_damage".
func DescribeUncertainty(u *Uncertainty, unit Unit) string {
	if u.MovesWith != "" {
		return "moves_with=" + u.MovesWith
	}
	parts := []string{string(u.Kind(unit))}
	for _, p := range []struct {
		name string
		d    *decimal.Decimal
	}{{"min", u.Min}, {"mode", u.Mode}, {"max", u.Max}, {"mean", u.Mean}, {"sd", u.SD}, {"low", u.Low}, {"high", u.High}} {
		if p.d != nil {
			parts = append(parts, p.name+"="+p.d.String())
		}
	}
	if len(u.Values) > 0 {
		parts = append(parts, "values="+decimalArray(u.Values), "weights="+decimalArray(u.Weights))
	}
	if u.Point.Kind() != PointMedian {
		parts = append(parts, "point="+string(u.Point))
	}
	return strings.Join(parts, " ")
}

// sameUncertainty reports whether two entries' uncertainties draw the same
// distribution around the same value: the same kind, parameters, point
// kind and partner, and, where a mode or mean is left out, the same value
// the file states with it (Anchor), which stands in for it. Why is not
// compared.
func sameUncertainty(a, b Entry) bool {
	u, v := a.Uncertainty, b.Uncertainty
	if u == nil || v == nil {
		return u == v
	}
	eq := func(x, y *decimal.Decimal) bool { return x == nil && y == nil || x != nil && y != nil && x.Equal(*y) }
	same := u.Kind(a.Unit) == v.Kind(b.Unit) && u.MovesWith == v.MovesWith && u.Point.Kind() == v.Point.Kind() &&
		eq(u.Min, v.Min) && eq(u.Max, v.Max) && eq(u.Mode, v.Mode) && eq(u.Mean, v.Mean) && eq(u.SD, v.SD) && eq(u.Low, v.Low) && eq(u.High, v.High) &&
		slices.EqualFunc(u.Values, v.Values, decimal.Decimal.Equal) && slices.EqualFunc(u.Weights, v.Weights, decimal.Decimal.Equal)
	if !same {
		return false
	}
	x, okX := usedAnchor(u, a)
	y, okY := usedAnchor(v, b)
	return okX == okY && (!okX || x.Equal(y))
}

// usedAnchor returns the value a distribution takes for a mode or mean the
// file leaves out, when it takes one (ok false: it needs none).
func usedAnchor(u *Uncertainty, e Entry) (decimal.Decimal, bool) {
	needs := false
	switch u.Kind(e.Unit) {
	case Triangular, PERT:
		needs = u.Mode == nil
	case Beta, Normal:
		needs = u.Mean == nil && u.Low == nil
	}
	if !needs || u.MovesWith != "" {
		return decimal.Zero, false
	}
	if d, ok := u.Anchor(); ok {
		return d, true
	}
	return e.Value, true
}
