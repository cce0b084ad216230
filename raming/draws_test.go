package raming

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

// fixedScenario is deck-exact with every distribution removed, so that
// the only draws are the extract's Binomial nodes.
func fixedScenario(t testing.TB) *scenario.Scenario {
	sc := loadScenario(t, "deck-exact")
	for _, e := range sc.Entries() {
		e.Uncertainty = nil
	}
	return sc
}

// quantityDraws evaluates n iterations of the simulation of sc on pop and
// returns every quantity's value per iteration, by ID.
func quantityDraws(t testing.TB, sc *scenario.Scenario, pop *input.Population, n int) map[string][]float64 {
	t.Helper()
	res, err := Estimate(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	in, err := newInputSampler(sc)
	if err != nil {
		t.Fatal(err)
	}
	s := newSimulator(res, in, MC{Seed: 11, Iterations: n, Workers: 1})
	w := s.newWorker()
	out := map[string][]float64{}
	for lo := 0; lo < n; lo += lanes {
		k := min(lanes, n-lo)
		s.evaluate(lo, k, w)
		for id, slot := range s.quantity {
			out[id] = append(out[id], w.col(slot)[:k]...)
		}
	}
	return out
}

// unknownRecords are n records whose gedupeerd is unknown, together 1+
// year known yes and schrijnend yes, and m more whose together is unknown.
func unknownRecords(n, m int) []input.Record {
	start := input.DateOf(mustDate("2015-01-01"))
	recs := make([]input.Record, n+m)
	for i := range recs {
		recs[i] = input.Record{ID: "EXP", Affected: input.Unknown, ProblemStart: start, Hardship: input.Yes}
		if i < n {
			recs[i].EndTogether = input.DateOf(mustDate("2018-06-01"))
		}
	}
	return recs
}

// TestExtractDrawsAreBinomial: the funnel's counts on an extract are drawn
// as Binomial(n, p): the affected among n rows with gedupeerd unknown have
// mean n·p and variance n·p·(1−p), and those with damage among them
// Binomial(n, affected_share × together_share) where together is unknown
// too; a weight group's share of access of variant B has mean p and
// variance p·(1−p)/n.
func TestExtractDrawsAreBinomial(t *testing.T) {
	sc := fixedScenario(t)
	sc.Funnel.ReportGrowth.Value = decimal.Zero
	const n, m, iterations = 600, 400, 20000
	pop := &input.Population{Source: "test", Records: unknownRecords(n, m), RowsRead: n + m}
	draws := quantityDraws(t, sc, pop, iterations)
	pa, pt := sc.Funnel.AffectedShare.Value.InexactFloat64(), sc.Funnel.TogetherShare.Value.InexactFloat64()
	tests := []struct {
		id         string
		mean, vari float64
	}{
		{QuantityAffected, (n + m) * pa, (n + m) * pa * (1 - pa)},
		// n known together: Binomial(n, pa); m unknown: Binomial(Binomial(m, pa), pt) = Binomial(m, pa·pt).
		{QuantityDamage, n*pa + m*pa*pt, n*pa*(1-pa) + m*pa*pt*(1-pa*pt)},
		{groupShareID("B", groupAffectedShare), pa, pa * (1 - pa) / n},
	}
	for _, tt := range tests {
		x := draws[tt.id]
		if len(x) == 0 {
			t.Fatalf("%s: no draws (quantities: %v)", tt.id, keys(draws))
		}
		mean, sd := meanSD(x)
		// The sample mean is within 4 standard errors; the variance within
		// 5% (its relative standard error is about √(2/iterations) = 1%).
		if se := math.Sqrt(tt.vari / iterations); math.Abs(mean-tt.mean) > 4*se {
			t.Errorf("%s: mean %.3f, want %.3f ± 4 × %.3f", tt.id, mean, tt.mean, se)
		}
		if v := sd * sd; math.Abs(v/tt.vari-1) > 0.05 {
			t.Errorf("%s: variance %.4g, want %.4g", tt.id, v, tt.vari)
		}
	}
}

func mustDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestSharedDrawIsDrawnOnce: one Binomial node used by several figures is
// one draw per iteration, which they all see: on an extract where every
// affected row is schrijnend, variant C's lowest threshold admits exactly
// the funnel's affected in every draw, and damage never exceeds them. Two
// nodes with the same arguments are two draws.
func TestSharedDrawIsDrawnOnce(t *testing.T) {
	sc := fixedScenario(t)
	pop := &input.Population{Source: "test", Records: unknownRecords(300, 200), RowsRead: 500}
	draws := quantityDraws(t, sc, pop, 2000)
	affected, damage := draws[QuantityAffected], draws[QuantityDamage]
	lowest := draws[sc.C.Cases[len(sc.C.Cases)-1].ID+".population"] // C-30%: the largest share
	varied := false
	for i := range affected {
		if lowest[i] != affected[i] || damage[i] > affected[i] {
			t.Fatalf("iteration %d: affected %v, C's lowest threshold %v, damage %v: want the same affected draw", i, affected[i], lowest[i], damage[i])
		}
		varied = varied || affected[i] != affected[0]
	}
	if !varied {
		t.Fatal("the affected count is the same in every draw: nothing is drawn")
	}

	in, err := newInputSampler(sc)
	if err != nil {
		t.Fatal(err)
	}
	c := newCompiler(in)
	p := newAssumptions(sc).Value(&sc.Funnel.AffectedShare)
	// Two nodes of one key are independent draws all the same.
	x, y := Binomial("test", Count(1000), p), Binomial("test", Count(1000), p)
	twice, other := c.compile(Add(x, Mul(x, Count(2)))), c.compile(y)
	if c.draws() != 2 {
		t.Fatalf("%d draws compiled, want 2: one per node", c.draws())
	}
	m := newMachine(c)
	m.seed = 5
	m.exec(c.code, 50)
	differ := false
	for i := range 50 {
		if got, drawn := m.col(twice)[i], m.col(c.binomials[x])[i]; got != 3*drawn {
			t.Fatalf("x + 2x = %v with x drawn %v: the node was drawn more than once", got, drawn)
		}
		differ = differ || m.col(other)[i] != m.col(c.binomials[x])[i]
	}
	if !differ {
		t.Error("two Binomial nodes drew the same 50 times: they should be independent draws")
	}
}

// TestHeldInputKeepsIndependentDraws: holding an input at its value draws
// again only the Binomial nodes that depend on it (worked out when
// compiling), from their own streams of the iteration, and keeps
// every other draw: growth of the reporting population multiplies counts
// but draws none; a changed affected share draws the funnel's counts and
// B's shares that depend on it again, and B's together-only share (drawn
// after them) keeps its draw.
func TestHeldInputKeepsIndependentDraws(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	pop := &input.Population{Source: "test", Records: syntheticRecords(2000, 3), RowsRead: 2000}
	res, err := Estimate(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	in, err := newInputSampler(sc)
	if err != nil {
		t.Fatal(err)
	}
	s := newSimulator(res, in, MC{Seed: 1, Iterations: 10, Workers: 1})
	if len(s.risks) != 1 || s.risks[0] != in.fieldSlot(&sc.Funnel.ReportGrowth) {
		t.Fatalf("risks %v, want report_growth's slot", s.risks)
	}
	for _, in := range s.held[0] {
		if in.op == opBinomial {
			t.Errorf("holding report_growth draws slot %d again, want no draw", in.dst)
		}
	}
	// Held at its value, growth changes the counts by its factor only.
	w := s.newWorker()
	s.evaluate(3, 1, w)
	affected := s.quantity[QuantityAffected]
	drawn, growth := w.col(affected)[0], w.col(s.risks[0])[0]
	s.evaluateHeld(w, 0, 1)
	if got, want := w.col(affected)[0], drawn/(1+growth)*(1+in.point[s.risks[0]]); math.Abs(got-want) > 1e-9 {
		t.Errorf("affected with growth held: %v, want the same draw %v at the point growth", got, want)
	}
	s.restoreHeld(w, 0)
	if w.col(affected)[0] != drawn {
		t.Errorf("affected after the evaluation with growth held: %v, want the draw %v back", w.col(affected)[0], drawn)
	}
	// The affected share changed: its draws again, the others kept (a
	// kept draw is not written: marked -1 here, it stays -1).
	pa := in.fieldSlot(&sc.Funnel.AffectedShare)
	code := s.heldCode(pa)
	redrawn := map[int32]bool{}
	for _, in := range code {
		if in.op == opBinomial {
			redrawn[in.dst] = true
		}
	}
	s.evaluate(3, 1, w)
	w.col(pa)[0] = 0.01
	for _, in := range s.code {
		if in.op == opBinomial {
			w.col(int(in.dst))[0] = -1
		}
	}
	w.exec(code, 1)
	for _, in := range s.code {
		if got := w.col(int(in.dst))[0]; in.op == opBinomial && (got == -1) == redrawn[in.dst] {
			t.Errorf("slot %d: drawn %v, depends on the affected share: %v; want a draw exactly when it depends on it", in.dst, got, redrawn[in.dst])
		}
	}
	for _, q := range res.Quantities {
		if q.ID == groupShareID("B", groupTogetherShare) {
			if node := q.Exact.Args[0]; redrawn[int32(s.binomials[node])] {
				t.Errorf("B's together-only share is drawn again with the affected share held")
			}
		}
	}
	n := len(redrawn)
	if n == 0 || n == s.draws() {
		t.Errorf("the affected share draws %d of %d Binomial nodes again, want the funnel's and B's that depend on it", n, s.draws())
	}
}

// TestMisspelledKeysFailLoudly: a name the model does not know panics with
// that name wherever it is looked up (the estimate's Builder, the
// simulation's compiler, the sweep's point values), never reads another
// figure; an assumption is given by the scenario's own field, so a
// misspelled one does not compile, and a copy of a field panics.
func TestMisspelledKeysFailLoudly(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	copied := sc.Funnel.AffectedShare
	withCase := func(c func(b *Builder) Case) *Model {
		m, err := NewModel(sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		m.Variants = append(m.Variants, VariantModel{Header: scenario.Header{ID: "F", Name: "Test"},
			Cases: func(b *Builder) ([]Case, error) { return []Case{c(b)}, nil }})
		return m
	}
	bad := func(op Op, name string) *Expr { return &Expr{Op: op, Name: name, Value: decimal.NewFromInt(1)} }
	toy := func(pop *Expr) func(b *Builder) Case {
		return func(*Builder) Case {
			return NewCase(scenario.CaseHeader{ID: "F-1", Label: "test"}, pop, Count(0), pop, Count(0))
		}
	}
	tests := []struct {
		name, want string
		run        func()
	}{
		{"estimate: quantity", "no quantity funnel.dammage", func() {
			withCase(func(b *Builder) Case { return toy(b.Quantity("funnel.dammage"))(b) }).Estimate()
		}},
		{"estimate: assumption copied", "not a copy", func() {
			withCase(func(b *Builder) Case { return toy(b.Value(&copied))(b) }).Estimate()
		}},
		{"simulation: quantity", "no quantity funnel.dammage to simulate", func() {
			withCase(toy(bad(OpRef, "funnel.dammage"))).Simulate(MC{Seed: 1, Iterations: 10})
		}},
		{"simulation: assumption", "no assumption funnel.afected_share to simulate", func() {
			withCase(toy(bad(OpValue, "funnel.afected_share"))).Simulate(MC{Seed: 1, Iterations: 10})
		}},
		{"sweep: assumption copied", "not a copy", func() {
			pointValues{assumptions: newAssumptions(sc)}.Value(&copied)
		}},
		{"sweep bands: assumption", "no assumption b.execution_sofft to simulate", func() {
			in, err := newInputSampler(sc)
			if err != nil {
				t.Fatal(err)
			}
			newCompiler(in).compile(Add(bad(OpValue, "b.execution_sofft"), Count(1)))
		}},
		{"sweep bands: moves with", "no assumption A.cws_avg_damage to simulate", func() {
			in, err := newInputSampler(sc)
			if err != nil {
				t.Fatal(err)
			}
			in.slotOf("A.cws_avg_damage")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, _ := r.(string); !strings.Contains(msg, tt.want) {
					t.Errorf("got panic %v, want one saying %q", r, tt.want)
				}
			}()
			tt.run()
		})
	}
}

// TestRoundingKeyIsChecked: a [rounding] key that names no quantity of the
// model is the scenario's error, with the key and the nearest name, with
// and without an extract.
func TestRoundingKeyIsChecked(t *testing.T) {
	sc := loadScenario(t, "deck")
	sc.Rounding["funnel.dammage"] = sc.Rounding[QuantityDamage]
	pop := &input.Population{Source: "test", Records: syntheticRecords(200, 1), RowsRead: 200}
	for _, p := range []*input.Population{nil, pop} {
		_, err := Estimate(sc, p)
		var se *scenario.Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "rounding.funnel.dammage") || !strings.Contains(err.Error(), "did you mean funnel.damage?") {
			t.Errorf("extract %v: got %v, want a scenario error naming rounding.funnel.dammage with the nearest name", p != nil, err)
		}
	}
	delete(sc.Rounding, "funnel.dammage")
	if _, err := Estimate(sc, nil); err != nil {
		t.Errorf("the deck's own roundings: %v", err)
	}
}
