package raming

import (
	"fmt"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

// together1Year reports whether the record's ex-partner was still together
// with the applicant one year or more after the problems began: input.Yes or
// input.No when einde_samen is known, else input.Unknown.
//
// Source: deck, "Grove financiële raming van de vijf varianten (1/2)":
// "50% aannemelijke schade (1+ jr samen)".
func together1Year(r *input.Record) input.Answer {
	if r.EndTogether.IsZero() || r.ProblemStart.IsZero() {
		return input.Unknown
	}
	if !r.EndTogether.Before(r.ProblemStart.AddDate(1, 0, 0)) {
		return input.Yes
	}
	return input.No
}

// extractCounts are the counts of an extract that the funnel needs.
type extractCounts struct {
	used, restored int64
	affected       [3]int64 // rows not restored, by their affected answer
	// cells counts the rows not restored and not known unaffected by
	// [affected][together][hardship] answer.
	cells [3][3][3]int64
	// helped counts those of them who left early but helped pay (a
	// contribution of at least helpedMin cents; together answer No or
	// Unknown), the same way.
	helped [3][3][3]int64
}

// countExtract counts the extract's rows for the funnel; helpedMin is the
// least contribution (cents) of one who helped pay (negative: not counted).
func countExtract(recs []input.Record, helpedMin int64) extractCounts {
	var c extractCounts
	for i := range recs {
		r := &recs[i]
		c.used++
		if r.RestoredAsApplicant {
			c.restored++
			continue
		}
		c.affected[r.Affected]++
		if r.Affected == input.No {
			continue
		}
		t := together1Year(r)
		c.cells[r.Affected][t][r.Hardship]++
		if helpedMin >= 0 && t != input.Yes && contributedAtLeast(r, helpedMin) {
			c.helped[r.Affected][t][r.Hardship]++
		}
	}
	return c
}

// funnelFromExtract counts the funnel on the extract. A row's known value is
// a fact; of the n rows where it is unknown, Binomial(n, share) have it: the
// expected count n × share in the estimate, a draw in the simulation.
//
//	each count is multiplied by (1 + report_growth)
//	remaining = rows not restored as applicant
//	affected  = known affected + Σ Binomial(unknown, affected_share)
//	damage    = affected and known together 1+ year
//	          + Binomial(affected and together unknown, together_share)
//	hardship  = affected and known schrijnend
//	          + Binomial(affected and schrijnend unknown, lowest hardship_share)
//	            (variant C's lowest threshold; a higher one takes
//	            Binomial(that, hardship_share ÷ lowest), nested)
//
// The affected are drawn once per cell of rows with the same together and
// hardship answers (Σ above), so damage and variant C count the same
// affected rows in every draw.
//
// Source: docs/input.md, "What unknown values mean"; the
// shares from the deck, "Grove financiële raming van de vijf varianten (1/2)".
func (b *Builder) funnelFromExtract(pop *input.Population) {
	f := &b.sc.Funnel
	c := countExtract(pop.Records, helpedPayMinimum(f))
	p := &b.res.Population
	p.Source = pop.Source
	p.SHA256 = pop.SHA256
	p.RowsRead = pop.RowsRead
	p.RowsUsed = len(pop.Records)
	p.RowsRejected = len(pop.Rejected)
	p.Rejected = make([]RejectedRow, len(pop.Rejected))
	for i, r := range pop.Rejected {
		p.Rejected[i] = RejectedRow{Line: r.Line, ID: r.ID, Column: r.Column, Reason: r.Reason(), Kind: RejectKindOf(r)}
	}
	p.Warnings = pop.Warnings
	// grow scales a count by the growth of the reporting population.
	growth := Add(Count(1), b.Value(&f.ReportGrowth))
	grow := func(e *Expr) *Expr { return Mul(e, growth) }
	// The affected rows by together and hardship answer: the known ones,
	// and those drawn of the unknown ones (nil: none unknown). Only variant
	// C counts by hardship: without it the rows of one together answer are
	// one cell (answer Unknown), so the funnel has a term per together answer.
	byHardship := b.sc.C != nil
	var known [3][3]int64
	var unknown [3][3]int64
	for t := range c.cells[input.Yes] {
		for h := range c.cells[input.Yes][t] {
			cell := h
			if !byHardship {
				cell = int(input.Unknown)
			}
			known[t][cell] += c.cells[input.Yes][t][h]
			unknown[t][cell] += c.cells[input.Unknown][t][h]
		}
	}
	var drawn [3][3]*Expr
	for t := range unknown {
		for h, n := range unknown[t] {
			if n > 0 {
				key := fmt.Sprintf("funnel.affected.together=%s.hardship=%s", input.Answer(t), input.Answer(h))
				drawn[t][h] = Binomial(key, Count(n), b.Value(&f.AffectedShare))
			}
		}
	}
	// affected sums the affected rows of the cells for which in(t, h).
	affected := func(in func(t, h input.Answer) bool) *Expr {
		var n int64
		var terms []*Expr
		for t := range known {
			for h := range known[t] {
				if in(input.Answer(t), input.Answer(h)) {
					n += known[t][h]
					if drawn[t][h] != nil {
						terms = append(terms, drawn[t][h])
					}
				}
			}
		}
		return sumOf(append([]*Expr{Count(n)}, terms...))
	}
	all := func(_, _ input.Answer) bool { return true }
	together := func(a input.Answer) func(t, _ input.Answer) bool {
		return func(t, _ input.Answer) bool { return t == a }
	}
	hardship := func(a input.Answer) func(_, h input.Answer) bool {
		return func(_, h input.Answer) bool { return h == a }
	}

	b.Define(QuantityBase, "Ex-toeslagpartners in het extract", scenario.Persons, grow(Count(c.used)))
	b.Define(QuantityRemaining, "Nog niet hersteld als aanvrager", scenario.Persons, grow(Count(c.used-c.restored)))
	b.Define(QuantityAffected, "Gedupeerd", scenario.Persons, grow(affected(all)))
	b.Define(QuantityDamage, "Aannemelijke schade (1+ jaar samen)", scenario.Persons,
		grow(sumOf([]*Expr{affected(together(input.Yes)), drawOf("funnel.together", affected(together(input.Unknown)), b.Value(&f.TogetherShare))})))
	// Variant C: those the lowest threshold admits are drawn once for all
	// its thresholds.
	passes := map[*Expr]*Expr{}
	b.hardship = func(share, lowest *Expr) *Expr {
		if !byHardship {
			panic("raming: variant C's population without variant C in the scenario")
		}
		pass, ok := passes[lowest]
		if !ok {
			pass = sumOf([]*Expr{affected(hardship(input.Yes)), drawOf("hardship:"+lowest.Name, affected(hardship(input.Unknown)), lowest)})
			passes[lowest] = pass
		}
		switch {
		case lowest.Value.IsZero():
			return grow(Binomial("hardship:"+share.Name, pass, share)) // every share is 0: nobody passes
		case share == lowest:
			return grow(pass)
		}
		return grow(Binomial("hardship:"+share.Name, pass, Div(share, lowest)))
	}
	if f.RefusedHelpers() {
		b.helpedEarly = func(admit func(h input.Answer) *Expr) *Expr {
			return grow(helpedEarly(&c.helped, b.Value(&f.AffectedShare), b.Value(&f.TogetherShare), admit, b.helpedCount))
		}
		b.Define(QuantityRefusedHelped, "Gedupeerd, minder dan 1 jaar samen, aantoonbaar meebetaald", scenario.Persons, b.helpedEarly(nil))
	}
	var tKnown, tAll int64
	for a := range c.cells {
		for t := range c.cells[a] {
			for _, n := range c.cells[a][t] {
				tAll += n
				if input.Answer(t) != input.Unknown {
					tKnown += n
				}
			}
		}
	}
	steps := []struct {
		id             string
		known, assumed int64
	}{
		{QuantityBase, c.used, 0},
		{QuantityRemaining, c.used, 0},
		{QuantityAffected, c.affected[input.Yes] + c.affected[input.No], c.affected[input.Unknown]},
		{QuantityDamage, tKnown, tAll - tKnown},
	}
	for _, s := range steps {
		p.Funnel = append(p.Funnel, FunnelStep{Quantity: b.qs[s.id], Known: int(s.known), Assumed: int(s.assumed)})
	}
}

// helpedCount names a count of rows of those who left early and helped
// pay (helpedEarly): by affected answer a, together answer t and, unless
// h is −1, hardship answer h; defined once and shared by the figures that
// use it, so that the workbook shows it (from the small-cell limit up) and
// its formulas follow the shares.
func (b *Builder) helpedCount(a, t input.Answer, h int, k int64) *Expr {
	// The id codes the answers by letter (j, n, o: ja, nee, onbekend), the
	// label spells them out.
	code := func(x input.Answer) string { return x.String()[:1] }
	id := "funnel.helped." + code(a) + code(t)
	label := fmt.Sprintf("Aantoonbaar meebetaald, weg binnen 1 jaar (gedupeerd %s, 1+ jaar samen %s", a, t)
	if h >= 0 {
		id += code(input.Answer(h))
		label += ", schrijnend " + input.Answer(h).String()
	}
	if _, ok := b.qs[id]; ok {
		return b.Quantity(id)
	}
	return b.Aggregate(id, label+"): rijen", scenario.Persons, Count(k), k)
}

// drawOf is Binomial(key, n, p), or the constant 0 when n is.
func drawOf(key string, n, p *Expr) *Expr {
	if n.IsConstant() && n.Value.IsZero() {
		return Count(0)
	}
	return Binomial(key, n, p)
}

// sumOf is the sum of terms, leaving out constant zeros (0 if nothing is
// left).
func sumOf(terms []*Expr) *Expr {
	var out []*Expr
	for _, t := range terms {
		if !t.IsConstant() || !t.Value.IsZero() {
			out = append(out, t)
		}
	}
	switch len(out) {
	case 0:
		return Count(0)
	case 1:
		return out[0]
	}
	return Add(out...)
}

// helpedEarly is the expected number of affected ex-partners who left
// early but helped pay, of the counts n by [affected][together][hardship]
// answer (together No or Unknown):
//
//	Σ n[a][t][h] × P(affected) × P(left early) × admit(h)
//
// P(affected) is 1 where gedupeerd is known and affected_share where it
// is not; P(left early) is 1 where the end of living together is known (less
// than a year after the start) and 1 − together_share where it is not;
// admit(h) is the chance that the variant refuses a hardship answer h (1
// for every answer when admit is nil). These are expected counts in the
// simulation too, at the drawn shares: a few hundred people at most, whose
// binomial noise the bands leave out.
//
// Source: the archetype "Was (snel) weg, maar hielp wel mee" (bFacts.helped);
// docs/input.md, "What unknown values mean".
//
// count names each count of rows (Builder.helpedCount): by affected and
// together answer, and by hardship answer only where admit tells them
// apart (h is −1 for all hardship answers together).
func helpedEarly(n *[3][3][3]int64, affectedShare, togetherShare *Expr, admit func(h input.Answer) *Expr, count func(a, t input.Answer, h int, k int64) *Expr) *Expr {
	early := Sub(Count(1), togetherShare)
	var terms []*Expr
	for _, a := range []input.Answer{input.Yes, input.Unknown} {
		for _, t := range []input.Answer{input.No, input.Unknown} {
			cells := n[a][t][:]
			if admit == nil { // one count for every hardship answer
				cells = []int64{n[a][t][0] + n[a][t][1] + n[a][t][2]}
			}
			for h, k := range cells {
				if k == 0 {
					continue
				}
				if admit == nil {
					h = -1
				}
				var w *Expr // the chance the variant refuses them; nil: certain
				if admit != nil {
					w = admit(input.Answer(h))
					if w.IsConstant() && w.Value.IsZero() {
						continue
					}
					if w.IsConstant() && w.Value.Equal(decimal.NewFromInt(1)) {
						w = nil
					}
				}
				term := []*Expr{count(a, t, h, k)}
				if a == input.Unknown {
					term = append(term, affectedShare)
				}
				if t == input.Unknown {
					term = append(term, early)
				}
				if w != nil {
					term = append(term, w)
				}
				if len(term) == 1 {
					terms = append(terms, term[0])
				} else {
					terms = append(terms, Mul(term...))
				}
			}
		}
	}
	return sumOf(terms)
}
