package raming

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"raming/input"
	"raming/scenario"
)

// withSets loads a built-in scenario and applies sets as the command line
// does (Set, then Revalidate).
func withSets(t testing.TB, name string, sets ...string) *scenario.Scenario {
	t.Helper()
	sc := loadScenario(t, name)
	for _, kv := range sets {
		k, v, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := sc.Revalidate(); err != nil {
		t.Fatal(err)
	}
	return sc
}

// sameFigures fails unless two results have the same figures: every
// case's exact figures and profile, B per record, and the simulation.
func sameFigures(t *testing.T, what string, got, want *Result) {
	t.Helper()
	for i, v := range want.Variants {
		for j, c := range v.Cases {
			g := got.Variants[i].Cases[j]
			for k, pair := range [][2]*Expr{{g.Population, c.Population}, {g.Scheme, c.Scheme}, {g.CWS, c.CWS}, {g.Total, c.Total}} {
				if !pair[0].Value.Equal(pair[1].Value) {
					t.Errorf("%s: case %s, figure %d: %s, want %s", what, c.ID, k, pair[0].Value, pair[1].Value)
				}
			}
			if !reflect.DeepEqual(g.Profile, c.Profile) {
				t.Errorf("%s: case %s: the profiles differ", what, c.ID)
			}
			if (g.PerRecord == nil) != (c.PerRecord == nil) || g.PerRecord != nil && !reflect.DeepEqual(*g.PerRecord, *c.PerRecord) {
				t.Errorf("%s: case %s: B per record differs", what, c.ID)
			}
		}
	}
	if !reflect.DeepEqual(got.MonteCarlo, want.MonteCarlo) {
		t.Errorf("%s: the simulations differ", what)
	}
	if !reflect.DeepEqual(got.Warnings, want.Warnings) {
		t.Errorf("%s: warnings %q, want %q", what, got.Warnings, want.Warnings)
	}
}

// TestEngineSameAsOneRun: an engine's what-ifs give the figures of a run of
// the scenario loaded with the same --set values, to the bit: estimates and
// simulations, in any order, with B per record reused where its values
// did not change.
func TestEngineSameAsOneRun(t *testing.T) {
	pop := generated(t, 3000, 7)
	e, err := NewEngine(loadScenario(t, "deck"), pop)
	if err != nil {
		t.Fatal(err)
	}
	mc := MC{Seed: 3, Iterations: 2000, Workers: 2}
	requests := []Request{
		{},
		{Sets: []string{"A.cws_average_damage=40000"}},
		{Sets: []string{"A.cws_average_damage=40000"}, MC: mc},
		{Sets: []string{"b.threshold=soft", "funnel.affected_share=0.7"}, MC: mc},
		{MC: mc},
		{Sets: []string{"funnel.affected_share.low=0.6"}, MC: mc},
		{Sets: []string{"b.percentage=fixed"}},
		{Sets: []string{"funnel.helped_pay_minimum=3000"}}, // who helped pay: B's refusals change
		{Sets: []string{"funnel.helped_pay_minimum=3000"}, MC: mc},
	}
	for _, req := range requests {
		got, err := e.Run(context.Background(), req)
		if err != nil {
			t.Fatalf("%v: %v", req.Sets, err)
		}
		sc := withSets(t, "deck", req.Sets...)
		var want *Result
		if req.MC.Iterations > 0 {
			want, err = Simulate(sc, pop, req.MC)
		} else {
			want, err = Estimate(sc, pop)
		}
		if err != nil {
			t.Fatal(err)
		}
		sameFigures(t, strings.Join(req.Sets, " "), got, want)
		if !reflect.DeepEqual(got.Scenario.Changed, sc.Changed) {
			t.Errorf("%v: changed %q, want %q", req.Sets, got.Scenario.Changed, sc.Changed)
		}
	}
	// A value's change reuses the compiled model; a change of B's options
	// changes the sums B's case is made of, and compiles anew.
	mcRun := func(sets ...string) *simulator {
		t.Helper()
		if _, err := e.Run(context.Background(), Request{Sets: sets, MC: MC{Seed: 1, Iterations: 100, Workers: 2}}); err != nil {
			t.Fatal(err)
		}
		return e.compiled
	}
	first := mcRun("A.cws_average_damage=38000")
	if mcRun("A.cws_average_damage=39000", "funnel.affected_share=0.7", "E.mediation_rate=160") != first {
		t.Error("a change of values compiled the model anew")
	}
	if mcRun("b.threshold=soft") == first {
		t.Error("a change of B's threshold reused the model compiled for the other threshold")
	}
	// B per record is evaluated once for the values it reads.
	a, _ := e.Run(context.Background(), Request{Sets: []string{"A.cws_average_damage=41000"}})
	b, _ := e.Run(context.Background(), Request{Sets: []string{"D.cws_average_damage=21000"}})
	c, _ := e.Run(context.Background(), Request{Sets: []string{"b.threshold=soft"}})
	if a.Case("B-opties").PerRecord != b.Case("B-opties").PerRecord {
		t.Error("a change outside B evaluated B per record again")
	}
	if a.Case("B-opties").PerRecord == c.Case("B-opties").PerRecord {
		t.Error("a change of B's threshold reused B per record under the other threshold")
	}
}

// TestEngineKeepsItsSets: an engine made from a scenario with --set
// applied keeps those changes under a request's own.
func TestEngineKeepsItsSets(t *testing.T) {
	sc := withSets(t, "deck-exact", "A-15k.lump_sum=12000")
	e, err := NewEngine(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Run(context.Background(), Request{Sets: []string{"D.cws_average_damage=25000"}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Estimate(withSets(t, "deck-exact", "A-15k.lump_sum=12000", "D.cws_average_damage=25000"), nil)
	if err != nil {
		t.Fatal(err)
	}
	sameFigures(t, "both sets", got, want)
	if sc.IsChanged("D.cws_average_damage") {
		t.Error("a request's set changed the engine's scenario")
	}
}

// TestEngineRefusesBadSets: a request's set that the scenario refuses is
// a SetError, and the engine is unchanged by it.
func TestEngineRefusesBadSets(t *testing.T) {
	e, _ := NewEngine(loadScenario(t, "deck"), nil)
	for _, sets := range [][]string{
		{"A.cws_avrage_damage=1"},
		{"funnel.affected_share=seventy"},
		{"funnel.affected_share=1.5"},
		{"b.percentage=fixed"}, // acts record by record: needs an extract
		{"no equals sign"},
	} {
		_, err := e.Run(context.Background(), Request{Sets: sets})
		var se *SetError
		if !errors.As(err, &se) {
			t.Errorf("%q: %v, want a SetError", sets, err)
		}
	}
	if _, err := e.Run(context.Background(), Request{}); err != nil {
		t.Errorf("after refused sets: %v", err)
	}
}

// TestEngineConcurrent: runs from several goroutines at once give the
// figures each gives alone (run with -race).
func TestEngineConcurrent(t *testing.T) {
	pop := generated(t, 2000, 5)
	e, _ := NewEngine(loadScenario(t, "deck"), pop)
	requests := []Request{
		{MC: MC{Seed: 1, Iterations: 1000, Workers: 2}},
		{Sets: []string{"E.settled_share=0.6"}, MC: MC{Seed: 2, Iterations: 1000, Workers: 1}},
		{Sets: []string{"b.threshold=soft"}},
		{Sets: []string{"funnel.together_share=0.45"}, MC: MC{Seed: 1, Iterations: 500, Workers: 3}},
	}
	alone := make([]*Result, len(requests))
	for i, req := range requests {
		var err error
		if alone[i], err = e.Run(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	got := make([][]*Result, 3)
	for k := range got {
		got[k] = make([]*Result, len(requests))
		for i, req := range requests {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := e.Run(context.Background(), req)
				if err != nil {
					t.Error(err)
				}
				got[k][i] = res
			}()
		}
	}
	wg.Wait()
	for k := range got {
		for i := range requests {
			if got[k][i] != nil {
				sameFigures(t, strings.Join(requests[i].Sets, " "), got[k][i], alone[i])
			}
		}
	}
}

// TestEngineCancel: a cancelled context stops a run with its cause, and a
// session's newer run supersedes its older one, which returns
// ErrSuperseded; the newer run completes.
func TestEngineCancel(t *testing.T) {
	pop := &input.Population{Source: "test", Records: syntheticRecords(1000, 1), RowsRead: 1000}
	e, _ := NewEngine(loadScenario(t, "deck"), pop)
	long := Request{MC: MC{Seed: 1, Iterations: 20_000_000, Workers: 2}}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	if _, err := e.Run(ctx, long); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the cancelled run took %v to stop", d)
	}

	s := e.NewSession()
	older := make(chan error)
	started := make(chan struct{}) // the older run has drawn: it is computing
	var once sync.Once
	longer := long
	longer.MC.Progress = func(int, int) { once.Do(func() { close(started) }) }
	go func() {
		_, err := s.Run(context.Background(), longer)
		older <- err
	}()
	<-started
	res, err := s.Run(context.Background(), Request{Sets: []string{"A.cws_average_damage=40000"}})
	if err != nil || res == nil {
		t.Fatalf("newer run: %v", err)
	}
	if err := <-older; !errors.Is(err, ErrSuperseded) {
		t.Errorf("older run: %v, want ErrSuperseded", err)
	}
}
