package raming

import (
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

// answerCounts counts rows by an Answer.
type answerCounts [3]int64

func (c answerCounts) known() int64 { return c[input.Yes] + c[input.No] }

// expected returns the expected number of yes answers: the known yeses plus
// the unknowns times the share.
func (c answerCounts) expected(share *Expr) *Expr {
	return Add(Count(c[input.Yes]), Mul(Count(c[input.Unknown]), share))
}

// nested returns the expected number that pass a threshold nested in a
// lower one: the known yeses (the lower threshold's fact) times share ÷
// lowest, plus the unknowns times share.
func (c answerCounts) nested(share, lowest *Expr) *Expr {
	known := Count(0)
	if !lowest.Value.IsZero() {
		known = Div(Mul(Count(c[input.Yes]), share), lowest) // multiply first: 2,402.625 × 10% ÷ 30% is exact
	}
	return Add(known, Mul(Count(c[input.Unknown]), share))
}

// extractCounts are the counts of an extract that the funnel needs.
type extractCounts struct {
	used, restored int64
	affected       answerCounts
	// cells counts the rows not restored and not known unaffected by
	// [affected][together][hardship] answer.
	cells [3][3][3]int64
}

// together counts, among rows with the given affected answer, the rows by
// their together-1-year answer.
func (c *extractCounts) together(affected input.Answer) answerCounts {
	var out answerCounts
	for t := range c.cells[affected] {
		for _, n := range c.cells[affected][t] {
			out[t] += n
		}
	}
	return out
}

// hardship counts, among rows with the given affected answer, the rows by
// their hardship answer.
func (c *extractCounts) hardship(affected input.Answer) answerCounts {
	var out answerCounts
	for t := range c.cells[affected] {
		for h, n := range c.cells[affected][t] {
			out[h] += n
		}
	}
	return out
}

func countExtract(recs []input.Record) extractCounts {
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
		c.cells[r.Affected][together1Year(r)][r.Hardship]++
	}
	return c
}

// funnelFromExtract counts the funnel on the extract. A row's known value is
// a fact; an unknown one counts as the scenario's share (an expected count):
//
//	each count is multiplied by (1 + report_growth)
//	remaining = rows not restored as applicant
//	affected  = known affected + unknown × affected_share
//	damage    = Σ over affected (known, unknown) × together (known, unknown)
//	            of rows × P(affected) × P(together)
//
// Source: ../shared/population-schema.md, "What unknown values mean"; the
// shares from the deck, "Grove financiële raming van de vijf varianten (1/2)".
func (b *Builder) funnelFromExtract(pop *input.Population) {
	c := countExtract(pop.Records)
	b.counts = &c
	p := &b.res.Population
	p.Source = pop.Source
	p.SHA256 = pop.SHA256
	p.RowsRead = pop.RowsRead
	p.RowsUsed = len(pop.Records)
	p.RowsRejected = len(pop.Rejected)
	p.Rejected = make([]RejectedRow, len(pop.Rejected))
	for i, r := range pop.Rejected {
		p.Rejected[i] = RejectedRow{Line: r.Line, ID: r.ID, Column: r.Column, Reason: r.Reason()}
	}
	p.Warnings = pop.Warnings
	as, ts := b.Assumption("funnel.affected_share"), b.Assumption("funnel.together_share")
	// grow scales a count by the growth of the reporting population.
	growth := Add(Count(1), b.Assumption("funnel.report_growth"))
	grow := func(e *Expr) *Expr { return Mul(e, growth) }
	pAffected := map[input.Answer]*Expr{input.Yes: Count(1), input.Unknown: as}

	b.Define("funnel.base", "Ex-toeslagpartners in het extract", scenario.Persons, grow(Count(c.used)))
	b.Define("funnel.remaining", "Nog niet hersteld als aanvrager", scenario.Persons, grow(Count(c.used-c.restored)))
	b.Define("funnel.affected", "Gedupeerd", scenario.Persons, grow(c.affected.expected(as)))
	var terms []*Expr
	var tKnown, tAll int64
	for _, a := range []input.Answer{input.Yes, input.Unknown} {
		t := c.together(a)
		terms = append(terms, Mul(pAffected[a], t.expected(ts)))
		tKnown += t.known()
		tAll += t[0] + t[1] + t[2]
	}
	b.Define("funnel.damage", "Aannemelijke schade (1+ jaar samen)", scenario.Persons, grow(Add(terms...)))
	b.hardship = func(share, lowest *Expr) *Expr {
		var terms []*Expr
		for _, a := range []input.Answer{input.Yes, input.Unknown} {
			terms = append(terms, Mul(pAffected[a], c.hardship(a).nested(share, lowest)))
		}
		return grow(Add(terms...))
	}
	steps := []struct {
		id             string
		known, assumed int64
	}{
		{"funnel.base", c.used, 0},
		{"funnel.remaining", c.used, 0},
		{"funnel.affected", c.affected.known(), c.affected[input.Unknown]},
		{"funnel.damage", tKnown, tAll - tKnown},
	}
	for _, s := range steps {
		p.Funnel = append(p.Funnel, FunnelStep{Quantity: b.qs[s.id], Known: int(s.known), Assumed: int(s.assumed)})
	}
}
