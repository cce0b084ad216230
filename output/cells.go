package output

import (
	"strconv"

	"github.com/shopspring/decimal"

	"raming/raming"
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
	// split are the funnel steps (by their exact figure) whose rows known
	// and assumed, and whose arithmetic, are not shown, although the step
	// is: few rows drop out there, but some of the rows it counts are
	// assumed, so only its split would give the few away.
	split map[*raming.Expr]bool
}

// newSmallCells is the rule for a result and the limit (Options.SmallCell).
func newSmallCells(res *raming.Result, limit int) *smallCells {
	s := &smallCells{limit: int64(limit), extract: res.Population.Extract, qs: map[string]*raming.Quantity{}, steps: map[string]int64{}, split: map[*raming.Expr]bool{}}
	for _, q := range res.Quantities {
		s.qs[q.ID] = q
	}
	if s.extract {
		var before int64 = -1
		hideNext := false
		for _, st := range res.Population.Funnel {
			in := s.inline(st.Exact)
			drop := before - in
			// The rows known and assumed of a step add up to the rows the
			// step before counts: hidden after a hidden split.
			s.split[st.Exact], hideNext = hideNext, false
			switch {
			case before < 0: // the extract's size
				s.steps[st.ID] = 0
			case drop > 0 && st.Assumed > 0:
				// The step counts known rows and assumed ones (an
				// expected count): the step before less this one is not
				// a count of people, unless the split is shown.
				s.steps[st.ID] = in
				if s.small(drop) {
					s.split[st.Exact], hideNext = true, true
				}
			case drop > 0:
				s.steps[st.ID] = min(in, drop)
			default:
				s.steps[st.ID] = in
			}
			before = in
		}
	}
	return s
}

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

// hiddenQuantity reports whether a named figure is suppressed.
func (s *smallCells) hiddenQuantity(q *raming.Quantity) bool {
	return s.hidden(&raming.Expr{Op: raming.OpRef, Name: q.ID, Value: q.Value()})
}

// hiddenCase reports whether a case is suppressed: one of its figures is.
func (s *smallCells) hiddenCase(c *raming.Case) bool {
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
func (s *smallCells) hiddenVariant(v *raming.Variant) bool {
	for i := range v.Cases {
		if s.hiddenCase(&v.Cases[i]) {
			return true
		}
	}
	return false
}

// hiddenID is hiddenCase by the case's id in res.
func (s *smallCells) hiddenID(res *raming.Result, id string) bool { return s.hiddenCase(res.Case(id)) }

// countText is how a suppressed count is shown: "<N" when it is below the
// limit, else complement (it is hidden so that a smaller one cannot be
// derived).
func (s *smallCells) countText(x decimal.Decimal, complement string) string {
	if x.IsPositive() && x.LessThan(decimal.NewFromInt(s.limit)) {
		return "<" + strconv.FormatInt(s.limit, 10)
	}
	return complement
}
