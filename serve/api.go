package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"

	"raming/input"
	"raming/internal/bsn"
	"raming/internal/clock"
	"raming/output"
	"raming/raming"
	"raming/scenario"
)

// runBody is the body of POST /api/run, /api/workbook, /api/scenario and
// /api/compare: the changes, written as on the command line, in order;
// the iterations and the seed; the case of a variant's budget table in
// the workbook; and for the scenario file its name and a reason per
// change.
type runBody struct {
	Set        sets              `json:"set"`
	Iterations *int              `json:"iterations"`
	Seed       *uint64           `json:"seed"`
	BudgetCase string            `json:"budget_case"`
	Name       string            `json:"name"`
	Why        map[string]string `json:"why"`
}

// sets are changes KEY=VALUE in the order the JSON object gives them
// (the order of --set flags); a value is a string or a number, written
// as on the command line.
type sets []string

func (s *sets) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New(`"set" is an object of KEY: VALUE, e.g. {"funnel.affected_share": "0.7"}`)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		v, err := dec.Token()
		if err != nil {
			return err
		}
		var value string
		switch v := v.(type) {
		case string:
			value = v
		case json.Number:
			value = v.String()
		case bool:
			value = fmt.Sprint(v)
		default:
			return fmt.Errorf(`"set": the value of %q is a string or a number`, k)
		}
		*s = append(*s, k.(string)+"="+value)
	}
	return nil
}

// sessionHeader names a browser tab's session: a newer request of the
// same tab cancels its older one.
const sessionHeader = "X-Raming-Session"

var sessionID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// requireType refuses a body whose Content-Type is not one of types (415).
func requireType(w http.ResponseWriter, r *http.Request, types ...string) (string, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err == nil {
		for _, t := range types {
			if mt == t {
				return mt, true
			}
		}
	}
	fail(w, http.StatusUnsupportedMediaType, "Content-Type %q: send %s", r.Header.Get("Content-Type"), strings.Join(types, " or "))
	return "", false
}

// decodeRun reads a run's body; false when it answered an error.
func (s *Server) decodeRun(w http.ResponseWriter, r *http.Request) (runBody, raming.MC, bool) {
	var body runBody
	if _, ok := requireType(w, r, "application/json"); !ok {
		return body, raming.MC{}, false
	}
	b, ok := readBody(w, r, maxJSONBody, "the request")
	if !ok {
		return body, raming.MC{}, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "the request is not the JSON this route takes: %v", err)
		return body, raming.MC{}, false
	}
	if _, err := dec.Token(); err != io.EOF {
		fail(w, http.StatusBadRequest, "the request holds more than one JSON object: send one")
		return body, raming.MC{}, false
	}
	mc := s.cfg.MC
	mc.Iterations, mc.Seed = s.cfg.Iterations, s.cfg.Seed
	if body.Iterations != nil {
		mc.Iterations = *body.Iterations
	}
	if body.Seed != nil {
		mc.Seed = *body.Seed
	}
	if mc.Iterations < 0 || mc.Iterations > s.cfg.MaxIterations {
		fail(w, http.StatusBadRequest, "iterations %d: give 0 (the deterministic estimate only) to %d", mc.Iterations, s.cfg.MaxIterations)
		return body, mc, false
	}
	return body, mc, true
}

// compute runs a request's body and answers its errors; nil when it
// answered one.
func (s *Server) compute(w http.ResponseWriter, r *http.Request, session string) (*raming.Result, output.Provenance, output.Options, bool) {
	body, mc, ok := s.decodeRun(w, r)
	if !ok {
		return nil, output.Provenance{}, output.Options{}, false
	}
	prov, err := s.provenance()
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return nil, prov, output.Options{}, false
	}
	res, err := s.run(r.Context(), session, raming.Request{Sets: body.Set, MC: mc})
	if err != nil {
		s.runError(w, r, body.Set, err)
		return nil, prov, output.Options{}, false
	}
	raming.AddRunWarnings(res, mc, prov.RunTime.Year())
	opts := output.Options{}
	if body.BudgetCase != "" {
		v := res.VariantOf(body.BudgetCase)
		if v == nil {
			fail(w, http.StatusBadRequest, "budget_case %q: no such case; cases: %s", body.BudgetCase, strings.Join(res.CaseIDs(), ", "))
			return nil, prov, opts, false
		}
		opts.BudgetCases = map[string]string{v.ID: body.BudgetCase}
	}
	return res, prov, opts, true
}

// runError answers a run's error: a change that cannot be made (400, with
// the key at fault), a run too large (400), a scenario that cannot be
// computed on the extract (422), a run a newer one of the same tab
// replaced (409), a request the client gave up; anything else is ours.
func (s *Server) runError(w http.ResponseWriter, r *http.Request, set []string, err error) {
	var setErr *raming.SetError
	var memErr *raming.MemoryError
	var modelErr *raming.ModelError
	switch {
	case errors.As(err, &setErr):
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": bsn.MaskText(err.Error()), "key": bsn.MaskText(s.culprit(set))})
	case errors.As(err, &memErr):
		fail(w, http.StatusBadRequest, "%v", err)
	case errors.As(err, &modelErr):
		fail(w, http.StatusUnprocessableEntity, "%v", err)
	case errors.Is(err, raming.ErrSuperseded):
		fail(w, http.StatusConflict, "superseded by a newer request of this page")
	case r.Context().Err() != nil:
		// The client is gone: nobody reads the answer.
	default:
		if s.cfg.Log != nil {
			s.cfg.Log.Error("run failed", "error", err.Error())
		}
		fail(w, http.StatusInternalServerError, "the run failed: %v", err)
	}
}

// culprit returns the key of the first change that cannot be made on its
// own ("" when each can, and only their combination fails).
func (s *Server) culprit(set []string) string {
	e, _ := s.current()
	for _, kv := range set {
		if _, err := e.Scenario([]string{kv}); err != nil {
			k, _, _ := strings.Cut(kv, "=")
			return strings.TrimSpace(k)
		}
	}
	return ""
}

// tabSession returns the request's X-Raming-Session ("" without one);
// false when it answered an id that is not one.
func tabSession(w http.ResponseWriter, r *http.Request) (string, bool) {
	session := r.Header.Get(sessionHeader)
	if session != "" && !sessionID.MatchString(session) {
		fail(w, http.StatusBadRequest, "%s: letters, digits, - and _, at most 64", sessionHeader)
		return "", false
	}
	return session, true
}

// postRun answers the JSON summary `raming run --json -` writes for the
// same --set, --seed and --iterations.
func (s *Server) postRun(w http.ResponseWriter, r *http.Request) {
	session, ok := tabSession(w, r)
	if !ok {
		return
	}
	res, prov, opts, ok := s.compute(w, r, session)
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := output.WriteJSON(&b, res, prov, opts); err != nil {
		fail(w, http.StatusInternalServerError, "the summary could not be written: %v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// postCompare answers the JSON `raming compare --json -` writes for the
// start (the server's scenario on the extract in use) as the base and the
// same scenario changed by the body's set as the other (--other-set), on
// the same iterations and seed: the page's comparison with where it
// started.
func (s *Server) postCompare(w http.ResponseWriter, r *http.Request) {
	session, ok := tabSession(w, r)
	if !ok {
		return
	}
	body, mc, ok := s.decodeRun(w, r)
	if !ok {
		return
	}
	prov, err := s.provenance()
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	cmp, err := s.compare(r.Context(), session, body.Set, mc)
	if err != nil {
		s.runError(w, r, body.Set, err)
		return
	}
	var b bytes.Buffer
	if err := output.WriteCompareJSON(&b, cmp, prov, output.Options{}); err != nil {
		fail(w, http.StatusInternalServerError, "the comparison could not be written: %v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// postWorkbook answers the workbook `raming run --out` writes for the
// same flags.
func (s *Server) postWorkbook(w http.ResponseWriter, r *http.Request) {
	res, prov, opts, ok := s.compute(w, r, "")
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := output.WriteWorkbook(&b, res, prov, opts); err != nil {
		fail(w, http.StatusInternalServerError, "the workbook could not be written: %v", err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="raming.xlsx"`)
	_, _ = w.Write(b.Bytes())
}

// postScenario answers the what-if as a scenario file that derives from
// the server's scenario (scenario.Derive).
func (s *Server) postScenario(w http.ResponseWriter, r *http.Request) {
	body, _, ok := s.decodeRun(w, r)
	if !ok {
		return
	}
	e, _ := s.current()
	if _, err := e.Scenario(body.Set); err != nil {
		s.runError(w, r, body.Set, err)
		return
	}
	if body.Name != "" && (len(body.Name) > 100 || strings.ContainsAny(body.Name, "\r\n")) {
		fail(w, http.StatusBadRequest, "name: one line of at most 100 characters")
		return
	}
	now, err := s.cfg.Now()
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	text, err := scenario.Derive(s.cfg.Scenario, scenario.Derivation{Base: s.cfg.ScenarioBase, Name: body.Name, Sets: body.Set, Why: body.Why,
		Remove: droppedRoundings(r.Context(), s.cfg.Scenario, body.Set),
		Note:   fmt.Sprintf("Written by raming serve (%s) on %s.", s.cfg.ToolVersion, clock.Date(now))})
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/toml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="scenario.toml"`)
	_, _ = w.Write(text)
}

// droppedRoundings are the deck's roundings (the scenario's [rounding])
// that the changes make inapplicable on the scenario's base population,
// as keys for a derived file's remove = [...]: --set drops the rounding
// of a figure whose assumption it changed, and a file with the changed
// value keeps it unless removed. Options of B that act record by record
// touch no rounded figure and are left out of the check.
func droppedRoundings(ctx context.Context, sc *scenario.Scenario, set []string) []string {
	if len(sc.Rounding) == 0 {
		return nil
	}
	var aggregate []string
	for _, kv := range set {
		k, _, _ := strings.Cut(kv, "=")
		if op, ok := scenario.OptionByKey(strings.TrimPrefix(strings.TrimSpace(k), "b.")); ok && !op.Aggregate {
			continue
		}
		aggregate = append(aggregate, kv)
	}
	e, err := raming.NewEngine(sc, nil)
	if err != nil {
		return nil
	}
	res, err := e.Run(ctx, raming.Request{Sets: aggregate})
	if err != nil {
		return nil // not computable on the base population: no rounding applies anyway
	}
	var keys []string
	for _, q := range res.Quantities {
		if _, rounded := sc.Rounding[q.ID]; rounded && q.Rounded == nil {
			keys = append(keys, "rounding."+q.ID)
		}
	}
	return keys
}

// Types of an uploaded extract: CSV or Unicode text, or a workbook; the
// reader tells them by their content, these say the client sends a file.
var extractTypes = []string{"text/csv", "text/plain", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"}

// fileNameHeader carries an uploaded extract's file name (URL-encoded), to
// name it in the outputs; only its last element is kept, and never used
// as a path.
const fileNameHeader = "X-Raming-Filename"

// postPopulation reads an uploaded extract, in memory, through the same
// reader and guard as --population, and makes it the extract of every
// later run. Its summary names no value of the file.
func (s *Server) postPopulation(w http.ResponseWriter, r *http.Request) {
	if _, ok := requireType(w, r, extractTypes...); !ok {
		return
	}
	b, ok := readBody(w, r, s.cfg.MaxUpload, "the extract")
	if !ok {
		return
	}
	now, err := s.cfg.Now()
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	opts := s.cfg.Read
	opts.Source, opts.Today = uploadName(r.Header.Get(fileNameHeader)), clock.Today(now)
	pop, err := input.Read(bytes.NewReader(b), opts)
	if err != nil {
		fail(w, http.StatusUnprocessableEntity, "%v", err)
		return
	}
	if len(pop.Records) == 0 {
		fail(w, http.StatusUnprocessableEntity, "%s: every one of its %d rows was rejected (first: %v)", pop.Source, pop.RowsRead, pop.Rejected[0])
		return
	}
	e, err := raming.NewEngine(s.cfg.Scenario, pop)
	if err == nil {
		_, err = e.Run(r.Context(), raming.Request{}) // the scenario computes on it
	}
	if err != nil {
		fail(w, http.StatusUnprocessableEntity, "%s: %v", pop.Source, err)
		return
	}
	s.mu.Lock()
	s.engine = e
	s.popVersion++
	version := s.popVersion
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, populationSummary(pop, version))
}

// uploadName is the name an uploaded extract goes by: the last element of
// the name the client gives, without control characters, any number that
// could be a BSN masked, at most 100 characters; "upload" without one.
func uploadName(escaped string) string {
	name := escaped
	if u, err := url.PathUnescape(escaped); err == nil {
		name = u
	}
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	name = input.MaskBSN(strings.TrimSpace(name))
	if len([]rune(name)) > 100 {
		name = string([]rune(name)[:100])
	}
	if name == "" || name == "." || name == ".." || name == "/" {
		return "upload"
	}
	return name
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
