package raming

import (
	"fmt"

	"github.com/shopspring/decimal"

	"raming/internal/words"
	"raming/scenario"
)

// exprEnv gives an expression its leaves and names its intermediate
// figures: the Builder in a run, pointValues in the option sweep.
type exprEnv interface {
	Value(a *scenario.Assumption) *Expr
	Define(id, label string, unit scenario.Unit, exact *Expr) *Expr
	// Aggregate names a sum or count over records of the extract, of
	// records records (Quantity.Records).
	Aggregate(id, label string, unit scenario.Unit, exact *Expr, records int64) *Expr
}

// pointValues gives expressions the scenario's assumptions at their point
// values and names no quantities: the sweep's exprEnv. With records, it
// notes the records each sum or count rests on (Quantity.Records).
type pointValues struct {
	assumptions
	records map[*Expr]int64
}

func (pointValues) Define(_, _ string, _ scenario.Unit, exact *Expr) *Expr { return exact }

func (p pointValues) Aggregate(_, _ string, _ scenario.Unit, exact *Expr, records int64) *Expr {
	if p.records != nil {
		p.records[exact] = records
	}
	return exact
}

// smallestRecords is, of the figures fs built from the sums and counts
// whose records are noted in records, the fewest records one of them
// rests on (0: none rests on any), where a figure rests on as many
// records as the largest sum or count it is built from (a ratio of them
// not counted): the records the output's small-cell rule asks of a case
// shown whole or not at all (output/cells.go).
func smallestRecords(records map[*Expr]int64, fs ...*Expr) int64 {
	var most func(e *Expr) int64
	most = func(e *Expr) int64 {
		if r, ok := records[e]; ok {
			return r
		}
		var n int64
		if e.Op != OpDiv {
			for _, a := range e.Args {
				n = max(n, most(a))
			}
		}
		return n
	}
	var fewest int64
	for _, f := range fs {
		if n := most(f); n > 0 && (fewest == 0 || n < fewest) {
			fewest = n
		}
	}
	return fewest
}

// Aggregate defines a quantity that sums or counts records of the
// extract, so that the workbook can show it (when records reach the
// small-cell limit) and refer to it.
func (b *Builder) Aggregate(id, label string, unit scenario.Unit, exact *Expr, records int64) *Expr {
	e := b.Define(id, label, unit, exact)
	b.qs[id].Records = records
	return e
}

// groupLabels name the weight groups in Dutch: which facts of access are unknown.
var groupLabels = [numGroups]string{"alles bekend", "gedupeerd onbekend", "1+ jaar samen onbekend", "gedupeerd en 1+ jaar samen onbekend"}

// aggregateRecords is how many records a figure over c of a group's n
// records rests on, for small-cell protection: c, or, when some of the n
// are left out, the fewer of c and n − c (a sum over all but a few would
// give the few away beside the sum over all).
func aggregateRecords(c, n int64) int64 {
	if c < n {
		return min(c, n-c)
	}
	return c
}

// groupShareLabels name the weight groups' shares of access in Dutch.
var groupShareLabels = [numGroups]string{"", "gedupeerd onbekend", "1+ jaar samen onbekend", "gedupeerd en 1+ jaar samen onbekend"}

// groupShareID names the quantity "share of the records of weight group g
// that have access" (g > 0; group 0 has no unknowns).
func groupShareID(variant string, g int) string { return fmt.Sprintf("%s.share.%d", variant, g) }

// accessShare is the share of the n records of weight group g (g > 0:
// access depends on unknown values) that have access: of n,
// Binomial(n, affected_share) are affected where gedupeerd is unknown,
// and of those Binomial(k, together_share) were together 1+ year where
// that is unknown; the share is that count ÷ n. Exactly affected_share,
// together_share or their product; in the simulation a draw.
func accessShare(env exprEnv, f *scenario.Funnel, g int, n int64) *Expr {
	k := Count(n)
	if g&groupAffectedShare != 0 {
		k = Binomial(fmt.Sprintf("b.share.%d.affected", g), k, env.Value(&f.AffectedShare))
	}
	if g&groupTogetherShare != 0 {
		k = Binomial(fmt.Sprintf("b.share.%d.together", g), k, env.Value(&f.TogetherShare))
	}
	return Div(k, Count(n))
}

// bCase is the one expression of variant B's case computed per record:
// Estimate evaluates it, the sweep evaluates it per combination of the
// options and compiles it for its bands, the simulation compiles it.
//
//	g          = 1 + report_growth
//	population = g × Σ s_g × n_g
//	paid       = g × Σ s_g × paid_g                      (to ex-partners)
//	applicant  = g × Σ s_g × applicant_g                 (applicant side, net)
//	shortfall  = g × appeal × Σ s_g × max(0, nBelow_g × cws_average_damage − sumBelow_g)
//	refused    = g × Σ a_g × (helpedRefused_g + helpedMaybe_g × (1 − together_share))
//	scheme     = paid + applicant (+ uht_step_share × the shortfall of the step's records)
//	cws        = shortfall (− that UHT share) + refused × refused_cws_share × refused_cws_damage
//
// refused are those who left early but helped pay and whom the threshold
// refuses (helpedRefused_g), or admits only if they were together 1+ year
// (helpedMaybe_g: end unknown); a_g is 1 or, where gedupeerd is unknown,
// affected_share (refusals, refusedRequests). s_g is the share of weight group g with access: 1 for records whose
// access is known; affected_share, together_share or their product where
// it depends on unknown values (accessShare: in the simulation drawn
// binomially, as the funnel draws the extract's unknowns). appeal is B's appeal share, or the
// threshold's own when the scenario gives one. The shortfall compares the
// CWS's damage with each record's whole compensation. The UHT step is for
// those admitted by the soft threshold with less than a year together.
// The CWS term is exact at the point value of the CWS damage; Monte Carlo
// varies the damage with the same records below it.
type bCase struct {
	Population, CWSFiles     *Expr
	Paid, Applicant, UHTStep *Expr // UHTStep is nil on the direct route
	Scheme, CWS, Execution   *Expr
}

// bAppeal is B's CWS appeal share under the options' threshold:
// b.appeal_share_none or _soft when the scenario gives it, else
// B.cws_appeal_share.
func bAppeal(env exprEnv, v *scenario.VariantB, o *scenario.BOptions) *Expr {
	switch {
	case o.Threshold == scenario.ThresholdNone && v.Options.AppealShareNone.Given():
		return env.Value(&v.Options.AppealShareNone)
	case o.Threshold == scenario.ThresholdSoft && v.Options.AppealShareSoft.Given():
		return env.Value(&v.Options.AppealShareSoft)
	}
	return env.Value(&v.CWSAppealShare)
}

// newBCase builds variant B's case of the scenario sc under the options o
// (the scenario's own or the sweep's) from the sums by weight group; share
// gives the share of access of a group with unknowns (g > 0; accessShare).
func newBCase(env exprEnv, sc *scenario.Scenario, o scenario.BOptions, sums *bSums, share func(g int) *Expr) bCase {
	v := sc.B
	damage := env.Value(&v.CWSAverageDamage)
	f := &sc.Funnel
	var pop, paid, applicant, below, stepBelow, stepFiles, helped []*Expr
	for g, s := range sums {
		prob := func(e *Expr) *Expr {
			if g == 0 {
				return e
			}
			return Mul(share(g), e)
		}
		// agg names a sum or count of the group: the workbook shows it
		// and refers to it, so that B's figures follow the shares.
		agg := func(what, label string, unit scenario.Unit, x *Expr, records int64) *Expr {
			return env.Aggregate(fmt.Sprintf("%s.g%d.%s", v.ID, g, what), fmt.Sprintf("%s per record (%s): %s", v.ID, groupLabels[g], label), unit, x, records)
		}
		n := s.n + s.noAccess // the group's records, with access or not
		// A shortfall is never negative: at the point damage every
		// amount counted is below it, and a drawn damage below some of
		// them lowers the sum at most to 0 (max(0, ·) per term).
		belowTerm := func(what, label string, c, sum int64) *Expr {
			r := aggregateRecords(c, s.n)
			return prob(Max0(Sub(Mul(agg(what+"_n", "aantal "+label, scenario.Persons, Count(c), r), damage),
				agg(what+"_sum", "som vergoedingen "+label, scenario.EUR, Amount(decimal.New(sum, -2)), r))))
		}
		if s.helpedRefused+s.helpedMaybe > 0 {
			// Expected counts, as the funnel's helpedEarly: affected
			// where that is unknown at affected_share, and of those
			// admitted only if together 1+ year, 1 − together_share.
			var terms []*Expr
			if s.helpedRefused > 0 {
				terms = append(terms, agg("helped_refused", "geweigerd, aantoonbaar meebetaald", scenario.Persons, Count(s.helpedRefused), aggregateRecords(s.helpedRefused, n)))
			}
			if s.helpedMaybe > 0 {
				terms = append(terms, Mul(agg("helped_maybe", "aantoonbaar meebetaald, toegang alleen bij 1+ jaar samen", scenario.Persons, Count(s.helpedMaybe), aggregateRecords(s.helpedMaybe, n)),
					Sub(Count(1), env.Value(&f.TogetherShare))))
			}
			term := sumOf(terms)
			if g&groupAffectedShare != 0 {
				term = Mul(env.Value(&f.AffectedShare), term)
			}
			helped = append(helped, term)
		}
		if s.n == 0 {
			continue
		}
		pop = append(pop, prob(agg("n", "met toegang", scenario.Persons, Count(s.n), aggregateRecords(s.n, n))))
		if s.paid != 0 {
			paid = append(paid, prob(agg("paid", "som uitbetaald aan ex-partners", scenario.EUR, Amount(decimal.New(s.paid, -2)), s.n)))
		}
		if s.applicant != 0 {
			applicant = append(applicant, prob(agg("applicant", "som aanvragerszijde (netto)", scenario.EUR, Amount(decimal.New(s.applicant, -2)), s.n)))
		}
		// The records the UHT step is for are a term of their own, so
		// that the step's part of the shortfall never exceeds it.
		if c := s.nBelow - s.nBelowStep; c > 0 {
			below = append(below, belowTerm("below", "onder de gemiddelde CWS-schade", c, s.sumBelow-s.sumBelowStep))
		}
		if s.nBelowStep > 0 {
			t := belowTerm("step_below", "onder de gemiddelde CWS-schade, UHT-stap", s.nBelowStep, s.sumBelowStep)
			below, stepBelow = append(below, t), append(stepBelow, t)
		}
		if s.nStep > 0 {
			stepFiles = append(stepFiles, prob(agg("step_n", "voor wie de UHT-stap is", scenario.Persons, Count(s.nStep), aggregateRecords(s.nStep, s.n))))
		}
	}
	sum := func(terms []*Expr) *Expr {
		switch len(terms) {
		case 0:
			return Count(0)
		case 1:
			return terms[0]
		}
		return Add(terms...)
	}
	growth := Add(Count(1), env.Value(&sc.Funnel.ReportGrowth))
	appeal := bAppeal(env, v, &o)
	c := bCase{}
	c.Population = env.Define(v.ID+".population", "Ex-partners met toegang (per record)", scenario.Persons, Mul(growth, sum(pop)))
	c.Paid, c.Applicant = Mul(growth, sum(paid)), Mul(growth, sum(applicant))
	shortfall := env.Define(v.ID+".cws_shortfall", "CWS: tekort t.o.v. gemiddelde schade (per record)", scenario.EUR,
		Mul(growth, appeal, sum(below)))
	// The scheme's cost: paid, and the applicant side when the options
	// give it any (a term of 0 would only clutter the workbook's formula).
	scheme := []*Expr{c.Paid}
	if len(applicant) > 0 {
		scheme = append(scheme, c.Applicant)
	}
	c.CWSFiles, c.Scheme, c.CWS = Mul(c.Population, appeal), sumOf(scheme), shortfall
	switch o.CWSRoute {
	case scenario.RouteDirect:
	case scenario.RouteUHTStep:
		if len(stepFiles) > 0 {
			step := env.Value(&v.Options.UHTStepShare)
			c.UHTStep = Mul(growth, appeal, step, sum(stepBelow))
			c.Scheme = sumOf(append(scheme, c.UHTStep))
			c.CWS = Sub(shortfall, c.UHTStep)
			c.CWSFiles = Sub(c.CWSFiles, Mul(growth, appeal, step, sum(stepFiles)))
		}
	default:
		panic(unchosen(o.CWSRoute))
	}
	if len(helped) > 0 {
		count := env.Define(v.ID+".refused_helped", "Geweigerd, aantoonbaar meebetaald (per record)", scenario.Persons, Mul(growth, sum(helped)))
		files, cost := refusedRequests(env, f, v.ID, count)
		c.CWS, c.CWSFiles = Add(c.CWS, cost), Add(c.CWSFiles, files)
	}
	c.Execution = bExecution(env, v, &o)
	return c
}

// bExecution is the deck's execution cost for the options o: the
// threshold's, plus execution_extra (~EUR 1.5 mln) for each chosen offset,
// the 30k-plus-lump-sum deduction and an extra payment. Source: "3
// Toegangsdrempel" and the option pages.
func bExecution(env exprEnv, v *scenario.VariantB, o *scenario.BOptions) *Expr {
	var terms []*Expr
	switch o.Threshold {
	case scenario.ThresholdNone:
		terms = append(terms, env.Value(&v.Options.ExecutionNone))
	case scenario.ThresholdHard:
		terms = append(terms, env.Value(&v.Options.ExecutionHard))
	case scenario.ThresholdSoft:
		terms = append(terms, env.Value(&v.Options.ExecutionSoft))
	default:
		panic(unchosen(o.Threshold))
	}
	for _, extra := range []bool{o.Offset30k != scenario.OffsetNone, o.DeductFromApplicant == scenario.Deduct30kPlusLumpSum,
		o.ExtraPayment != scenario.ExtraNone} {
		if extra {
			terms = append(terms, env.Value(&v.Options.ExecutionExtra))
		}
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return Add(terms...)
}

// optionLabel is the Dutch label of an option's value in o; an unknown
// key panics with the key.
func optionLabel(key string, o *scenario.BOptions) string {
	op, ok := scenario.OptionByKey(key)
	if !ok {
		panic("raming: no option b." + key)
	}
	return op.LabelOf(o)
}

// perRecordB computes variant B's case per record on the extract: the
// case expression (newBCase) of the records' sums, each weight group's
// share of access a quantity of its own (accessShare).
func (b *Builder) perRecordB(v *scenario.VariantB) (Case, error) {
	var out *BOutcome
	var err error
	if b.engine != nil {
		out, err = b.engine.cachedB(b.sc, v, b.pop.Records)
	} else {
		out, err = evaluateB(b.sc, v, b.pop.Records, false)
	}
	if err != nil {
		return Case{}, err
	}
	share := func(g int) *Expr {
		id := groupShareID(v.ID, g)
		if _, ok := b.qs[id]; !ok {
			s := &out.sums[g]
			b.Define(id, "Aandeel met toegang ("+v.ID+", "+groupShareLabels[g]+")", scenario.Share, accessShare(b, &b.sc.Funnel, g, s.n+s.noAccess))
		}
		return b.Quantity(id)
	}
	x := newBCase(b, b.sc, v.Options, &out.sums, share)
	o := v.Options
	h := scenario.CaseHeader{ID: v.ID + "-opties", Label: fmt.Sprintf("Per record: %s, %s, %s",
		words.LowerFirst(optionLabel("percentage", &o)), words.LowerFirst(optionLabel("threshold", &o)), "peildatum "+optionLabel("peildatum", &o))}
	c := NewCase(h, x.Population, x.CWSFiles, x.Scheme, x.CWS)
	c.Execution, c.PerRecord = x.Execution, out
	return c, nil
}
