package output

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"raming/raming"
	"raming/scenario"
)

// smallCells is the small-cell rule of a run on an extract, the one place
// every writer asks whether a figure may be shown (docs/methodology.md,
// "Small cells"). A figure rests on records of the extract: the counts
// and sums over them that it refers to, directly or through other
// figures. It is shown when it rests on no record, or on at least the
// limit's records; else it is suppressed, and so is everything from which
// it could be derived:
//
//   - a count of the funnel rests on the rows it counts, or, when fewer
//     rows drop out at that step than it keeps, on those that drop out
//     (the step before it less this one would give them away); the first
//     step is the extract's size, shown as the rows used are. A step that
//     also counts rows by an assumed share is an expected count, from
//     which the few that drop out follow only with its rows known and
//     assumed: then those, and its arithmetic, are hidden instead
//     (hidesSplit), and the step and what rests on it are shown;
//   - a sum or count of variant B per record rests on its
//     raming.Quantity.Records (the same complement);
//   - a case is shown whole or not at all (hiddenCase): its population,
//     files, amounts, budget years and Monte Carlo band all tell the
//     same few people apart (an amount ÷ a known amount per person is
//     the population), so one small figure hides the case;
//   - a variant's range is hidden when one of its cases is.
//
// Figures of the scenario's own base population (no extract) are not
// person data and are never suppressed.
type smallCells struct {
	limit   int64
	extract bool
	qs      map[string]*raming.Quantity
	// steps are the funnel's records by step id (funnelRecords).
	steps map[string]int64
	// groupsHidden are the families of sums and counts over records (B's
	// weight groups, the funnel's groups of refused helpers) of which one
	// rests on too few records (hiddenGroup).
	groupsHidden map[string]bool
	// groupPrefix begins the ids of the figures of the variant computed per
	// record when its groups are hidden ("B."), else "".
	groupPrefix string
	// cases and variants are those suppressed, by id (hideCases).
	cases, variants map[string]bool
	// split are the funnel steps (by their exact figure) whose rows known
	// and assumed, and whose arithmetic, are not shown, although the step
	// is: few rows drop out there, but some of the rows it counts are
	// assumed, so only its split would give the few away.
	split map[*raming.Expr]bool
	// near are the counts hidden because they lie within the limit of
	// another count shown, or of the extract's size (apart).
	near map[float64]bool
}

// newSmallCells is the rule for a result and the limit (Options.SmallCell).
func newSmallCells(res *raming.Result, limit int) *smallCells {
	s := &smallCells{limit: int64(limit), extract: res.Population.Extract, qs: map[string]*raming.Quantity{}, steps: map[string]int64{}, split: map[*raming.Expr]bool{}}
	for _, q := range res.Quantities {
		s.qs[q.ID] = q
	}
	if !s.extract {
		return s
	}
	var before []int64 // the counts of the steps before
	hideNext := false
	for _, st := range res.Population.Funnel {
		in := s.inline(st.Exact)
		// The rows known and assumed of a step add up to the rows the
		// step before counts: hidden after a hidden split.
		s.split[st.Exact], hideNext = hideNext, false
		s.steps[st.ID] = in
		if len(before) == 0 {
			s.steps[st.ID] = 0 // the extract's size
		}
		// Any step before it, shown, less this one counts the rows that
		// drop out in between.
		for _, b := range before {
			switch drop := b - in; {
			case drop <= 0:
			case st.Assumed > 0:
				// The step counts known rows and assumed ones (an
				// expected count): a step before less this one is not
				// a count of people, unless the split is shown.
				if s.small(drop) {
					s.split[st.Exact], hideNext = true, true
				}
			default:
				s.steps[st.ID] = min(s.steps[st.ID], drop)
			}
		}
		before = append(before, in)
	}
	// The counts of people shown (the funnel's, the cases' populations,
	// B's access and those below the low amount) kept apart.
	var counts []float64
	for _, st := range res.Population.Funnel[1:] {
		if !s.hiddenQuantity(st.Quantity) {
			counts = append(counts, st.Value().InexactFloat64())
		}
	}
	for _, v := range res.Variants {
		for i := range v.Cases {
			if c := &v.Cases[i]; !s.hiddenByRecords(c) {
				counts = append(counts, c.Population.Value.InexactFloat64())
				if b := c.PerRecord; b != nil {
					counts = append(counts, b.Access, b.BelowLowAmount)
				}
			}
		}
	}
	s.near = apart(counts, float64(res.Population.RowsUsed), s.limit)
	s.hideCases(res)
	// A step's rows known and assumed add up to the rows the step before
	// counts: hidden after a hidden step too (its drop-outs would follow).
	for k, st := range res.Population.Funnel[:len(res.Population.Funnel)-1] {
		if s.hiddenQuantity(st.Quantity) {
			s.split[res.Population.Funnel[k+1].Exact] = true
		}
	}
	// Sums and counts per group add up, with the shares shown beside
	// them, to a total: one group hidden hides its family (hiddenGroup),
	// or the others and the total give it away.
	s.groupsHidden = map[string]bool{}
	for _, q := range res.Quantities {
		if q.Records > 0 && s.small(q.Records) {
			s.groupsHidden[family(q.ID)] = true
		}
	}
	if c := res.PerRecordCase(); c != nil && s.groupsHidden[res.VariantOf(c.ID).ID] {
		s.groupPrefix = res.VariantOf(c.ID).ID + "."
	}
	return s
}

// family names the groups a sum or count over records belongs to: the
// first part of its id (B for B.g3.paid, funnel for funnel.helped.oon).
func family(id string) string {
	f, _, _ := strings.Cut(id, ".")
	return f
}

// hidesGroupArithmetic reports whether the arithmetic of q, a figure of
// the variant computed per record, is not shown because its groups are
// hidden (hiddenGroup): a group's share of access is written as a count
// of its records ("90 × 75% ÷ 90").
func (s *smallCells) hidesGroupArithmetic(q *raming.Quantity) bool {
	return s.groupPrefix != "" && strings.HasPrefix(q.ID, s.groupPrefix)
}

// hiddenGroup reports whether q is a sum or count over records of a
// family of groups (B's weight groups; the funnel's refused helpers) not
// shown because one of them rests on too few records: the others, their
// shares and the total would give it away. Their display is hidden (and
// figures that refer to them are values); the cases are not.
func (s *smallCells) hiddenGroup(q *raming.Quantity) bool {
	return s.extract && q.Records > 0 && s.groupsHidden[family(q.ID)]
}

// apart returns the counts to hide so that no two counts shown differ
// by more than 0 and less than limit (the difference would count the
// few people in one and not the other), nor one from fixed, a count
// shown anyway (the extract's size): from the largest down, a count is
// kept when it is apart from every count kept before it, and hidden
// otherwise. A count of 0 is shown.
func apart(counts []float64, fixed float64, limit int64) map[float64]bool {
	xs := slices.Clone(counts)
	slices.Sort(xs)
	xs = slices.Compact(xs)
	kept, hidden := []float64{fixed}, map[float64]bool{}
	for i := len(xs) - 1; i >= 0; i-- {
		x := xs[i]
		if x == 0 {
			continue
		}
		near := false
		for _, k := range kept {
			if d := math.Abs(x - k); d > 0 && d < float64(limit) {
				near = true
				break
			}
		}
		if near {
			hidden[x] = true
		} else {
			kept = append(kept, x)
		}
	}
	return hidden
}

// nearCount reports whether a count of people x is hidden to keep the
// counts shown apart (apart).
func (s *smallCells) nearCount(x float64) bool { return s.near[x] }

// hidesSplit reports whether e is the exact figure of a funnel step whose
// rows known and assumed, and arithmetic, are not shown (split).
func (s *smallCells) hidesSplit(e *raming.Expr) bool { return s.split[e] }

// small reports whether records records are too few to show: 0 < n < limit.
func (s *smallCells) small(n int64) bool { return n > 0 && n < s.limit }

// hidden reports whether the figure e is suppressed.
func (s *smallCells) hidden(e *raming.Expr) bool {
	return s.extract && e != nil && s.small(s.records(e))
}

// records is how many records of the extract the figure e rests on: the
// most records any count or sum it is built from rests on.
func (s *smallCells) records(e *raming.Expr) int64 {
	if e == nil {
		return 0
	}
	seen := map[any]bool{}
	var n int64
	var walk func(e *raming.Expr)
	walk = func(e *raming.Expr) {
		switch {
		case e.Op == raming.OpDiv:
			// A ratio: a share of rows (B's share of access of a group)
			// or of assumptions; the count comes through what it
			// multiplies.
			return
		case e.Op == raming.OpRef:
			q := s.qs[e.Name]
			if q == nil || seen[q.ID] {
				return
			}
			seen[q.ID] = true
			if r, ok := s.steps[q.ID]; ok {
				n = max(n, r)
			} else if q.Records > 0 {
				n = max(n, q.Records)
			} else {
				walk(q.Exact)
			}
			return
		case e.IsConstant():
			if !seen[e] && e.Value.IsPositive() {
				seen[e] = true
				n = max(n, e.Value.Ceil().IntPart())
			}
			return
		}
		for i, a := range e.Args {
			if !oneBeside(e, i) {
				walk(a)
			}
		}
	}
	walk(e)
	return n
}

// inline is the sum of the constants counted in e itself (not through
// named figures, nor in a ratio): the rows a funnel step counts.
func (s *smallCells) inline(e *raming.Expr) int64 {
	if e.IsConstant() {
		return e.Value.Ceil().IntPart()
	}
	var n int64
	for i, a := range e.Args {
		if e.Op != raming.OpDiv && !oneBeside(e, i) {
			n += s.inline(a)
		}
	}
	return n
}

// oneBeside reports whether e.Args[i] is the model's 1 of "1 + growth" or
// "1 − share" (a 1 beside an assumption), not a count of the extract.
func oneBeside(e *raming.Expr, i int) bool {
	a := e.Args[i]
	if (e.Op != raming.OpAdd && e.Op != raming.OpSub) || len(e.Args) != 2 || !a.IsConstant() || !a.Value.Equal(decimal.NewFromInt(1)) {
		return false
	}
	other := e.Args[1-i]
	return other.Op == raming.OpValue && other.Name != ""
}

// hiddenQuantity reports whether a named figure is suppressed: a
// funnel's count also when it is near another count (apart).
func (s *smallCells) hiddenQuantity(q *raming.Quantity) bool {
	if _, step := s.steps[q.ID]; step && s.near[q.Value().InexactFloat64()] {
		return true
	}
	return s.hidden(&raming.Expr{Op: raming.OpRef, Name: q.ID, Value: q.Value()})
}

// hiddenCase reports whether a case is suppressed (decided once, in
// newSmallCells: hideCases).
func (s *smallCells) hiddenCase(c *raming.Case) bool { return c != nil && s.cases[c.ID] }

// hideCases decides which cases and variants are suppressed: a case when
// one of its figures is, or its population is near another count shown
// (apart); a variant's range when one of its cases is.
func (s *smallCells) hideCases(res *raming.Result) {
	s.cases, s.variants = map[string]bool{}, map[string]bool{}
	for _, v := range res.Variants {
		for i := range v.Cases {
			c := &v.Cases[i]
			if s.hiddenByRecords(c) || s.extract && s.near[c.Population.Value.InexactFloat64()] {
				s.cases[c.ID], s.variants[v.ID] = true, true
			}
		}
	}
}

// hiddenByRecords reports whether one of a case's figures rests on too
// few records.
func (s *smallCells) hiddenByRecords(c *raming.Case) bool {
	if c == nil || !s.extract {
		return false
	}
	for _, e := range []*raming.Expr{c.Population, c.CWSPopulation, c.Scheme, c.CWS, c.Total} {
		if s.hidden(e) {
			return true
		}
	}
	return false
}

// hiddenVariant reports whether a variant's range is suppressed: one of
// its cases is.
func (s *smallCells) hiddenVariant(v *raming.Variant) bool { return v != nil && s.variants[v.ID] }

// hiddenID is hiddenCase by the case's id.
func (s *smallCells) hiddenID(id string) bool { return s.cases[id] }

// countText is how a suppressed count is shown: "<N" when it is below the
// limit, else complement (it is hidden so that a smaller one cannot be
// derived).
func (s *smallCells) countText(x decimal.Decimal, complement string) string {
	return hiddenCount(x.InexactFloat64(), int(s.limit), complement)
}

// hiddenCount is how every output shows a suppressed count of people:
// "<N" when it lies above 0 and below the limit N, else complement
// (hidden so that a smaller one cannot be derived; "" for a count that is
// shown as it is).
func hiddenCount(x float64, limit int, complement string) string {
	if x > 0 && x < float64(limit) {
		return "<" + strconv.Itoa(limit)
	}
	return complement
}

// compareCells is the small-cell rule of a comparison of two scenarios
// on one extract (docs/methodology.md, "Small cells"): a shared case is
// shown in the comparison (its two estimates, their difference, its
// band, P(goedkoper), the differences per year and the attribution) only
// when both runs show it and when its difference does not rest on fewer
// records than the limit (diffRecords): two figures of the same extract
// that differ by the records of a few people give those few away.
type compareCells struct {
	base, other *smallCells
	hidden      map[string]bool // by case id
}

// newCompareCells is the rule for comparison c and the limit.
func newCompareCells(c *raming.ScenarioComparison, limit int) *compareCells {
	cc := &compareCells{base: newSmallCells(c.Base, limit), other: newSmallCells(c.Other, limit), hidden: map[string]bool{}}
	for _, k := range c.Cases {
		cc.hidden[k.CaseID] = cc.hiddenPair(k.Base, k.Other)
	}
	return cc
}

// hiddenCase reports whether the shared case id is suppressed.
func (cc *compareCells) hiddenCase(id string) bool { return cc.hidden[id] }

// hiddenPair reports whether a case, b in the base and o in the other,
// is suppressed in the comparison.
func (cc *compareCells) hiddenPair(b, o *raming.Case) bool {
	if cc.base.hiddenCase(b) || cc.other.hiddenCase(o) {
		return true
	}
	if !cc.base.extract {
		return false
	}
	d := differ{cc: cc, memo: map[string]diffRecords{}}
	for _, f := range [][2]*raming.Expr{{b.Population, o.Population}, {b.CWSPopulation, o.CWSPopulation}, {b.Scheme, o.Scheme}, {b.CWS, o.CWS}, {b.Total, o.Total}} {
		if cc.base.small(d.diff(f[0], f[1]).n) {
			return true
		}
	}
	return false
}

// diffRecords is what the difference of a figure between the two runs
// rests on: n, the fewest records of the extract that a part of it
// rests on (0: none), and whether it differs at all.
type diffRecords struct {
	n       int64
	changed bool
}

// fewest returns the smaller of two records counts that are not 0.
func fewest(a, b int64) int64 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}

// differ walks a figure in both runs side by side (diff).
type differ struct {
	cc   *compareCells
	memo map[string]diffRecords // by quantity id
}

// diff is how many records the difference of figure o (other) from b
// (base) rests on, at fewest over its parts, since an attribution to the
// keys can split the parts apart:
//
//   - a count of the extract that differs rests on the records it
//     gains or loses (|o − b|): the people an option admits, say;
//   - a sum over records whose value differs rests on its records (its
//     group's people, whose amounts change);
//   - an assumption that differs rests on nothing itself, but its
//     product with counts rests on their records: a share of 3 unknown
//     rows that changes gives the 3 away;
//   - a term in one run only rests on its records in that run.
//
// A ratio (a share of a group) differs with the counts it divides,
// which the product it is in counts already.
func (d *differ) diff(b, o *raming.Expr) diffRecords {
	switch {
	case b == nil && o == nil:
		return diffRecords{}
	case b == nil:
		return diffRecords{d.cc.other.records(o), true}
	case o == nil:
		return diffRecords{d.cc.base.records(b), true}
	case b.Op != o.Op || b.Name != o.Name || b.Op != raming.OpAdd && len(b.Args) != len(o.Args):
		// Built differently in the two (an option adds a step): the
		// whole figure.
		return diffRecords{fewest(d.cc.base.records(b), d.cc.other.records(o)), true}
	case b.Op == raming.OpRef:
		return d.ref(b.Name)
	case b.IsConstant():
		if b.Value.Equal(o.Value) {
			return diffRecords{}
		}
		return diffRecords{b.Value.Sub(o.Value).Abs().Ceil().IntPart(), true}
	case b.Op == raming.OpValue: // an assumption
		return diffRecords{changed: !b.Value.Equal(o.Value)}
	case b.Op == raming.OpDiv:
		var out diffRecords
		for i := range b.Args {
			out.changed = out.changed || d.diff(b.Args[i], o.Args[i]).changed
		}
		return out
	case b.Op == raming.OpAdd:
		return d.terms(b.Args, o.Args)
	case b.Op == raming.OpMul || b.Op == raming.OpBinomial:
		var out diffRecords
		for i := range b.Args {
			r := d.diff(b.Args[i], o.Args[i])
			if !r.changed {
				continue
			}
			out.changed = true
			if r.n == 0 {
				// An assumption or ratio that differs: it scales the
				// records of the other factors.
				for j := range b.Args {
					if j != i {
						r.n = max(r.n, d.cc.base.records(b.Args[j]), d.cc.other.records(o.Args[j]))
					}
				}
			}
			out.n = fewest(out.n, r.n)
		}
		return out
	}
	var out diffRecords // OpSub, OpMax0
	for i := range b.Args {
		r := d.diff(b.Args[i], o.Args[i])
		out.changed = out.changed || r.changed
		out.n = fewest(out.n, r.n)
	}
	return out
}

// ref is diff for the quantity id, named in both runs.
func (d *differ) ref(id string) diffRecords {
	if r, ok := d.memo[id]; ok {
		return r
	}
	qb, qo := d.cc.base.qs[id], d.cc.other.qs[id]
	var r diffRecords
	switch {
	case qb == nil || qo == nil:
		r = diffRecords{fewest(d.cc.base.records(refTo(qb)), d.cc.other.records(refTo(qo))), true}
	case qb.Records > 0 || qo.Records > 0: // a sum or count over records
		if !qb.Value().Equal(qo.Value()) {
			r.changed = true
			if qb.Unit == scenario.EUR {
				r.n = fewest(qb.Records, qo.Records)
			} else {
				r.n = qb.Value().Sub(qo.Value()).Abs().Ceil().IntPart()
			}
		}
	default:
		r = d.diff(qb.Exact, qo.Exact)
	}
	d.memo[id] = r
	return r
}

// refTo is a reference to q (nil for none).
func refTo(q *raming.Quantity) *raming.Expr {
	if q == nil {
		return nil
	}
	return &raming.Expr{Op: raming.OpRef, Name: q.ID, Value: q.Value()}
}

// terms is diff for two sums, their terms paired by the first figure
// each names (a weight group's terms, present in one run and not the
// other when an option empties the group).
func (d *differ) terms(bs, os []*raming.Expr) diffRecords {
	used := make([]bool, len(os))
	var out diffRecords
	add := func(r diffRecords) {
		out.changed = out.changed || r.changed
		out.n = fewest(out.n, r.n)
	}
	for _, b := range bs {
		k, found := termKey(b), -1
		for j, o := range os {
			if !used[j] && termKey(o) == k {
				found = j
				break
			}
		}
		if found < 0 {
			add(d.diff(b, nil))
			continue
		}
		used[found] = true
		add(d.diff(b, os[found]))
	}
	for j, o := range os {
		if !used[j] {
			add(d.diff(nil, o))
		}
	}
	return out
}

// termKey names a term of a sum by the first quantity it refers to (a
// weight group's sum or count), else the first assumption or draw it
// names ("" for none).
func termKey(e *raming.Expr) string {
	if k := firstName(e, func(e *raming.Expr) bool { return e.Op == raming.OpRef }); k != "" {
		return k
	}
	return firstName(e, func(e *raming.Expr) bool { return e.Name != "" })
}

// firstName is the name of the first node of e (depth first) that is.
func firstName(e *raming.Expr, is func(*raming.Expr) bool) string {
	if is(e) {
		return e.Name
	}
	for _, a := range e.Args {
		if k := firstName(a, is); k != "" {
			return k
		}
	}
	return ""
}
