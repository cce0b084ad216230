package raming

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"raming/input"
	"raming/scenario"
)

// Engine holds a scenario, a checked population extract (or none: the
// scenario's base population) and what the model derives from them that
// does not change from one run to the next, and answers runs: the
// deterministic estimate or a Monte Carlo simulation, each with its own
// changes to the scenario (--set KEY=VALUE) and its own seed. The command
// line makes one for its one run (Estimate, Simulate and the sweep go
// through an Engine); a server keeps one and answers many what-ifs.
//
// What a run reuses: the extract is read once (the engine never reads or
// changes it); variant B per record is evaluated once for each set of the
// values it reads (its options and their amounts, B's CWS damage, the
// funnel's shares that weigh its amounts), so a what-if of another
// variant's assumption reuses it.
//
// An Engine is safe for concurrent use: Run, Sweep and RecordsB may be
// called from several goroutines at once. Each run works on its own copy
// of the scenario and in its own buffers; the engine's caches are guarded.
// A Result shares the engine's scenario (without Sets) and cached parts
// (Case.PerRecord): treat a Result as read-only. Every run takes a
// context: when it is cancelled the run stops at its next block of
// iterations (or between stages) and returns context.Cause (Session
// cancels an older run of one client when a newer one starts).
type Engine struct {
	scenario *scenario.Scenario
	pop      *input.Population

	mu sync.Mutex
	// b caches variant B per record by what evaluateB reads (bKey).
	b map[string]*BOutcome
	// compiled is the model last compiled for simulation, by the
	// structure of its expressions (structureKey).
	compiled    *simulator
	compiledKey string
}

// maxCachedB bounds the engine's cache of B per record: a server sweeping
// B's options one by one keeps the latest few.
const maxCachedB = 16

// NewEngine returns an engine for a scenario (as loaded, with any --set
// applied) and a population extract (nil: the scenario's base
// population). The engine keeps both and never changes them.
func NewEngine(sc *scenario.Scenario, pop *input.Population) (*Engine, error) {
	if sc == nil {
		return nil, fmt.Errorf("no scenario given")
	}
	return &Engine{scenario: sc, pop: pop, b: map[string]*BOutcome{}}, nil
}

// Population returns the engine's extract (nil: the scenario's base
// population).
func (e *Engine) Population() *input.Population { return e.pop }

// Request is one run of an Engine.
type Request struct {
	// Sets change the engine's scenario for this run only, in order, as
	// --set KEY=VALUE does (scenario.Scenario.Set).
	Sets []string
	// MC configures the Monte Carlo simulation; Iterations 0 without Auto
	// runs the deterministic estimate only.
	MC MC
}

// SetError is a request's change to the scenario that cannot be made: an
// unknown key, a value that is not a number, or a scenario that fails
// validation with it.
type SetError struct {
	Err error
}

func (e *SetError) Error() string { return e.Err.Error() }
func (e *SetError) Unwrap() error { return e.Err }

// Scenario returns the engine's scenario with sets applied (KEY=VALUE, as
// --set), validated: a copy, unless sets is empty. A key of an option of
// B that acts record by record is refused without an extract.
func (e *Engine) Scenario(sets []string) (*scenario.Scenario, error) {
	return e.scenarioOf(e.scenario, sets)
}

// Run answers one request: the estimate of the engine's scenario with the
// request's Sets, and with MC.Iterations > 0 (or Auto) the simulation on
// it. The figures are those of Estimate and Simulate on the same scenario
// and extract, to the bit.
func (e *Engine) Run(ctx context.Context, req Request) (*Result, error) {
	sc, err := e.Scenario(req.Sets)
	if err != nil {
		return nil, err
	}
	m, err := NewModel(sc, e.pop)
	if err != nil {
		return nil, err
	}
	m.engine = e
	if req.MC.Iterations == 0 && !req.MC.Auto {
		return m.estimate(ctx)
	}
	return m.simulate(ctx, req.MC)
}

// RecordsB returns variant B per record under the scenario's options with
// sets applied, one BRecord per row of the extract, explained (--records).
func (e *Engine) RecordsB(sets []string) ([]BRecord, error) {
	sc, err := e.Scenario(sets)
	if err != nil {
		return nil, err
	}
	if e.pop == nil {
		return nil, &ModelError{Msg: "variant B is computed per record only on a population extract (--population)"}
	}
	if sc.B == nil {
		return nil, &ModelError{Msg: "the scenario has no variant B to compute per record"}
	}
	b, err := evaluateB(sc, sc.B, e.pop.Records, true)
	if err != nil {
		return nil, err
	}
	return b.Records, nil
}

// SweepRequest is one option sweep of an Engine.
type SweepRequest struct {
	// Sets change the engine's scenario, as Request.Sets; an option of B
	// set here is held at its value, the others vary.
	Sets []string
	// Workers evaluate blocks of combinations in parallel (at least 1).
	Workers int
	// MC, with Iterations > 0, adds each row's P5, P50 and P95 over a
	// simulation (SweepBands); its Workers are those of the bands.
	MC MC
}

// Sweep evaluates variant B under every combination of its options on the
// engine's extract (Sweep), with bands when req.MC.Iterations > 0
// (SweepBands).
func (e *Engine) Sweep(ctx context.Context, req SweepRequest) ([]SweepRow, error) {
	sc, err := e.Scenario(req.Sets)
	if err != nil {
		return nil, err
	}
	rows, err := sweep(ctx, sc, e.pop, req.Workers)
	if err != nil || req.MC.Iterations == 0 {
		return rows, err
	}
	return rows, sweepBands(ctx, sc, rows, req.MC)
}

// cachedB returns variant B per record under the scenario's options
// (evaluateB without the records), from the engine's cache when it has
// evaluated the same values before.
func (e *Engine) cachedB(sc *scenario.Scenario, v *scenario.VariantB, recs []input.Record) (*BOutcome, error) {
	key := bKey(sc, v)
	e.mu.Lock()
	out, ok := e.b[key]
	e.mu.Unlock()
	if ok {
		return out, nil
	}
	out, err := evaluateB(sc, v, recs, false)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.b) >= maxCachedB {
		clear(e.b)
	}
	e.b[key] = out
	return out, nil
}

// bKey is what evaluateB reads of the scenario: B's options and their
// amounts (the entries b.*), B's CWS damage and the funnel's shares that
// weigh the amounts (groupWeights).
func bKey(sc *scenario.Scenario, v *scenario.VariantB) string {
	var k strings.Builder
	for _, op := range scenario.Options {
		k.WriteString(op.Get(&v.Options) + "|")
	}
	k.WriteString(v.Options.PendingPeildatum.Value.String() + "|")
	for _, en := range sc.Entries() {
		if strings.HasPrefix(en.ID, "b.") {
			k.WriteString(en.ID + "=" + en.Value.String() + "|")
		}
	}
	fmt.Fprintf(&k, "%s|%v", v.CWSAverageDamage.Value, groupWeights(sc))
	// Who counts as having helped pay (refusals: the requests of those refused).
	if f := &sc.Funnel; f.RefusedHelpers() {
		fmt.Fprintf(&k, "|helped %s", f.HelpedPayMinimum.Value)
	}
	return k.String()
}

// simulator returns the model of res compiled for simulation with the
// sampler in and mc: the engine's compiled model when res has the same
// structure (only values changed: the compiled instructions read every
// value from the slots), else a new one, which the engine keeps. A nil
// engine compiles anew.
func (e *Engine) simulator(res *Result, in *inputSampler, mc MC) *simulator {
	if e == nil {
		return newSimulator(res, in, mc)
	}
	key := structureKey(res, in)
	e.mu.Lock()
	s := e.compiled
	if e.compiledKey != key {
		s = nil
	}
	e.mu.Unlock()
	if s == nil {
		s = newSimulator(res, in, mc)
		e.mu.Lock()
		e.compiled, e.compiledKey = s, key
		e.mu.Unlock()
	}
	return s.rebind(res, in, mc)
}

// Session runs one client's requests on an Engine, the newest first: Run
// cancels the session's run that is still going, if any (it returns
// ErrSuperseded), before the new one starts. A web page keeps a session
// per browser tab, so that dragging a slider computes only the last
// position. Safe for concurrent use.
type Session struct {
	engine *Engine
	mu     sync.Mutex
	cancel context.CancelCauseFunc
}

// ErrSuperseded is what a Session's run returns when a newer run of the
// same session cancelled it.
var ErrSuperseded = errors.New("superseded by a newer request")

// NewSession returns a session on the engine.
func (e *Engine) NewSession() *Session { return &Session{engine: e} }

// Run cancels the session's previous run, if still going, and runs req.
func (s *Session) Run(ctx context.Context, req Request) (*Result, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel(ErrSuperseded)
	}
	s.cancel = cancel
	s.mu.Unlock()
	defer cancel(nil)
	return s.engine.Run(ctx, req)
}

// cancelled returns the cause of ctx's end, or nil while it runs.
func cancelled(ctx context.Context) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}
