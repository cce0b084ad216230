package serve

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"raming/input"
	"raming/output"
	"raming/raming"
	"raming/scenario"
)

// runTime is the fixed run time of the tests' outputs.
var runTime = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

// testServer is a Server behind an httptest server, and a client that
// carries its token.
type testServer struct {
	*Server
	ts  *httptest.Server
	log *bytes.Buffer
}

func newTestServer(t testing.TB, scenarioName string, pop *input.Population, change func(*Config)) *testServer {
	t.Helper()
	sc, err := scenario.Load(scenarioName)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	var mu sync.Mutex
	cfg := Config{Scenario: sc, ScenarioBase: scenarioName, Population: pop, ToolVersion: "test",
		Now: func() (time.Time, error) { return runTime, nil }, MC: raming.MC{Workers: 2}, Iterations: 1000, Seed: 1,
		Log: slog.New(slog.NewTextHandler(lockedWriter{&mu, &log}, nil))}
	if change != nil {
		change(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	ts.Config.Handler = srv.Handler(ts.Listener.Addr().String())
	ts.Start()
	t.Cleanup(ts.Close)
	return &testServer{Server: srv, ts: ts, log: &log}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// do sends a request with the token; header pairs change or add headers
// ("Authorization", "" removes it).
func (s *testServer) do(t testing.TB, method, path, contentType string, body []byte, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, s.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token())
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		if header[i+1] == "" {
			req.Header.Del(header[i])
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (s *testServer) post(t testing.TB, path, body string, header ...string) *http.Response {
	return s.do(t, http.MethodPost, path, "application/json", []byte(body), header...)
}

func read(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantStatus(t testing.TB, resp *http.Response, want int) string {
	t.Helper()
	body := read(t, resp)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, body)
	}
	return body
}

// extract generates a synthetic extract of n rows.
func extract(t testing.TB, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := input.Generate(&b, input.GenerateOptions{Rows: n, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func population(t testing.TB, csvText []byte) *input.Population {
	t.Helper()
	pop, err := input.Read(bytes.NewReader(csvText), input.Options{Source: "p.csv"})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

// commandLine is what `raming run --json -` writes for the same changes,
// seed and iterations: raming.Run and output.WriteJSON, as run.go calls
// them (the command's own equality is tested in the main package).
func commandLine(t testing.TB, sc *scenario.Scenario, pop *input.Population, sets []string, mc raming.MC) string {
	t.Helper()
	sc, err := scenario.Parse(sc.Text, sc.Origin)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.SetAll(sets); err != nil {
		t.Fatal(err)
	}
	res, err := raming.Run(sc, pop, mc, runTime.Year())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := output.WriteJSON(&b, res, output.Provenance{ToolVersion: "test", RunTime: runTime}, output.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRunIsTheCommandLines(t *testing.T) {
	pop := population(t, extract(t, 600))
	s := newTestServer(t, "deck", pop, nil)
	for _, tc := range []struct {
		name string
		body string
		sets []string
		mc   raming.MC
	}{
		{"the start", `{"iterations": 0}`, nil, raming.MC{}},
		{"a share, Dutch", `{"set": {"funnel.affected_share": "0,7"}, "iterations": 2000, "seed": 1}`, []string{"funnel.affected_share=0,7"}, raming.MC{Iterations: 2000, Seed: 1}},
		{"options and a number", `{"set": {"b.threshold": "soft", "A.cws_average_damage": 40000, "b.minimum_one_year": true}, "iterations": 1500, "seed": 7}`,
			[]string{"b.threshold=soft", "A.cws_average_damage=40000", "b.minimum_one_year=true"}, raming.MC{Iterations: 1500, Seed: 7}},
		{"few iterations warn", `{"set": {"phasing.cws_capacity": "800", "funnel.affected_share.low": "0.6"}, "iterations": 500, "seed": 3}`,
			[]string{"phasing.cws_capacity=800", "funnel.affected_share.low=0.6"}, raming.MC{Iterations: 500, Seed: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wantStatus(t, s.post(t, "/api/run", tc.body), http.StatusOK)
			tc.mc.Workers = 2
			if want := commandLine(t, s.cfg.Scenario, pop, tc.sets, tc.mc); got != want {
				t.Errorf("the JSON differs from the command line's:\n%s", firstDifference(got, want))
			}
		})
	}
}

// firstDifference shows where two texts part.
func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d: got %s\nwant %s", i+1, la[i], lb[i])
		}
	}
	return "lengths differ"
}

func TestWorkbookIsTheCommandLines(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	resp := s.post(t, "/api/workbook", `{"set": {"funnel.affected_share": "70%"}, "iterations": 1000, "seed": 2, "budget_case": "A-30k"}`)
	got := wantStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	sc, _ := scenario.Load("deck")
	_ = sc.SetAll([]string{"funnel.affected_share=70%"})
	res, err := raming.Run(sc, nil, raming.MC{Iterations: 1000, Seed: 2, Workers: 2}, runTime.Year())
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := output.WriteWorkbook(&want, res, output.Provenance{ToolVersion: "test", RunTime: runTime}, output.Options{BudgetCases: map[string]string{"A": "A-30k"}}); err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		t.Errorf("the workbook differs from the one raming run writes (%d and %d bytes)", len(got), want.Len())
	}
	wantStatus(t, s.post(t, "/api/workbook", `{"budget_case": "Z-1"}`), http.StatusBadRequest)
}

func TestState(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	var st pageState
	if err := json.Unmarshal([]byte(wantStatus(t, s.do(t, http.MethodGet, "/api/state", "", nil), http.StatusOK)), &st); err != nil {
		t.Fatal(err)
	}
	if st.Population.Extract || st.Population.BasePopulation != "11000" {
		t.Errorf("population %+v, want the base population of 11000", st.Population)
	}
	var groups []string
	found := false
	for _, g := range st.Groups {
		groups = append(groups, g.ID)
		for _, a := range g.Assumptions {
			if a.ID == "funnel.affected_share" {
				found = true
				if a.Text != "75%" || a.UnitLabel != "aandeel" || a.Uncertainty == nil || a.Uncertainty.Range != "65% – 85% (90%-interval)" || !strings.Contains(a.Source, "75%") {
					t.Errorf("affected share %+v", a)
				}
			}
		}
	}
	if want := "funnel phasing A B b C D E"; strings.Join(groups, " ") != want {
		t.Errorf("groups %v, want %s", groups, want)
	}
	if !found {
		t.Error("no funnel.affected_share")
	}
	if len(st.Options) != len(scenario.Options) || st.Options[1].Key != "threshold" || st.Options[1].Record || !st.Options[0].Record {
		t.Errorf("options %+v", st.Options)
	}
	if st.Defaults.Iterations != 1000 || st.Defaults.MaxIterations != DefaultMaxIterations {
		t.Errorf("defaults %+v", st.Defaults)
	}
}

func TestValueText(t *testing.T) {
	for _, tc := range []struct {
		value string
		unit  scenario.Unit
		want  string
	}{
		{"0.75", scenario.Share, "75%"}, {"0.125", scenario.Share, "12,5%"}, {"35000", scenario.EUR, "35000"},
		{"2.5", scenario.Years, "2,5"}, {"1.1250", scenario.Years, "1,1250"}, {"0.125", scenario.Years, "0,125"},
		{"0.33333", scenario.Share, "33,3330%"}, {"0.5", scenario.Share, "50%"}, {"1234.5", scenario.EUR, "1234,5"},
	} {
		d, err := scenario.ParseNumber(tc.value, tc.unit)
		if err != nil {
			t.Fatal(err)
		}
		got := valueText(d, tc.unit)
		if got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.value, tc.unit, got, tc.want)
		}
		back, err := scenario.ParseNumber(got, tc.unit)
		if err != nil || !back.Equal(d) {
			t.Errorf("%q reads back as %s (%v), want %s", got, back, err, d)
		}
	}
}

func TestToken(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	if len(s.Token()) != 32 {
		t.Errorf("token %q: want 128 bits in hex", s.Token())
	}
	if other := newTestServer(t, "deck", nil, nil); other.Token() == s.Token() {
		t.Error("two servers have the same token")
	}
	for _, auth := range []string{"", "Bearer", "Bearer " + s.Token()[:31], "Bearer " + s.Token() + "0", "Basic " + s.Token(), "bearer x"} {
		for _, route := range []struct{ method, path string }{{"GET", "/api/state"}, {"POST", "/api/run"}, {"POST", "/api/workbook"}, {"POST", "/api/scenario"}, {"POST", "/api/population"}, {"POST", "/api/compare"}} {
			resp := s.do(t, route.method, route.path, "application/json", []byte(`{}`), "Authorization", auth)
			wantStatus(t, resp, http.StatusUnauthorized)
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: no WWW-Authenticate", route.method, route.path)
			}
		}
	}
	// The page: with the token it sets the cookie and leaves the token out of the address.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(s.ts.URL + "/?token=" + s.Token())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("with the token: %d to %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
	}
	c := resp.Cookies()
	if len(c) != 1 || c[0].Value != s.Token() || c[0].SameSite != http.SameSiteStrictMode || !strings.HasPrefix(c[0].Name, "raming_token_") {
		t.Errorf("cookies %v", c)
	}
	resp, _ = client.Get(s.ts.URL + "/?token=0123")
	wantStatus(t, resp, http.StatusUnauthorized)
	resp, _ = client.Get(s.ts.URL + "/")
	if body := wantStatus(t, resp, http.StatusOK); !strings.Contains(body, `<html lang="nl">`) {
		t.Error("the page is not served")
	}
}

func TestHost(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	port := s.ts.URL[strings.LastIndex(s.ts.URL, ":")+1:]
	for _, host := range []string{"evil.example", "evil.example:" + port, "127.0.0.1", "127.0.0.2:" + port, "localhost.evil.example:" + port, "[::1]:" + port} {
		for _, path := range []string{"/", "/static/app.js", "/api/state"} {
			wantStatus(t, s.do(t, http.MethodGet, path, "", nil, "Host", host), http.StatusForbidden)
		}
	}
	for _, host := range []string{"localhost:" + port, "LOCALHOST:" + port, "127.0.0.1:" + port} {
		wantStatus(t, s.do(t, http.MethodGet, "/api/state", "", nil, "Host", host), http.StatusOK)
	}
}

func TestOrigin(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	body := `{"iterations": 0}`
	for _, h := range [][]string{{"Origin", "http://evil.example"}, {"Origin", "null"}, {"Origin", "https://" + strings.TrimPrefix(s.ts.URL, "http://")},
		{"Origin", "http://127.0.0.1:1"}, {"Sec-Fetch-Site", "cross-site"}} {
		for _, path := range []string{"/api/run", "/api/workbook", "/api/scenario", "/api/population", "/api/compare"} {
			if got := s.post(t, path, body, h...); got.StatusCode != http.StatusForbidden {
				t.Errorf("%s with %s: %s: status %d, want 403", path, h[0], h[1], got.StatusCode)
			}
		}
	}
	wantStatus(t, s.post(t, "/api/run", body, "Origin", s.ts.URL, "Sec-Fetch-Site", "same-origin"), http.StatusOK)
	wantStatus(t, s.post(t, "/api/run", body), http.StatusOK) // no Origin: not a browser
}

func TestHeaders(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	for _, path := range []string{"/", "/static/app.js", "/static/style.css", "/api/state", "/nothing"} {
		resp := s.do(t, http.MethodGet, path, "", nil)
		read(t, resp)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", path, h.Get("X-Content-Type-Options"))
		}
	}
	for path, want := range map[string]string{"/static/app.js": "text/javascript", "/static/charts.js": "text/javascript", "/static/style.css": "text/css", "/": "text/html"} {
		resp := s.do(t, http.MethodGet, path, "", nil)
		wantStatus(t, resp, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
			t.Errorf("%s: Content-Type %q, want %s", path, ct, want)
		}
	}
	for _, path := range []string{"/static/", "/static/index.html", "/static/../server.go", "/static/nothing.js", "/api/nothing"} {
		if resp := s.do(t, http.MethodGet, path, "", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
	// The page has no inline script: every script is a file of its own.
	page := read(t, s.do(t, http.MethodGet, "/", "", nil))
	if strings.Count(page, "<script") != strings.Count(page, `<script type="module" src="/static/`) {
		t.Error("the page has an inline script")
	}
	for _, path := range []string{"/api/run", "/api/workbook", "/api/scenario", "/api/population", "/api/compare"} {
		wantStatus(t, s.do(t, http.MethodGet, path, "", nil), http.StatusMethodNotAllowed)
		wantStatus(t, s.do(t, http.MethodPut, path, "application/json", []byte("{}")), http.StatusMethodNotAllowed)
	}
	wantStatus(t, s.do(t, http.MethodPost, "/api/state", "application/json", []byte("{}")), http.StatusMethodNotAllowed)
}

func TestContentTypesAndLimits(t *testing.T) {
	s := newTestServer(t, "deck", nil, func(c *Config) { c.MaxUpload = 4 << 10; c.MaxIterations = 20000 })
	for _, path := range []string{"/api/run", "/api/workbook", "/api/scenario", "/api/compare"} {
		for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/csv"} {
			wantStatus(t, s.do(t, http.MethodPost, path, ct, []byte(`{}`)), http.StatusUnsupportedMediaType)
		}
		big := `{"set": {"x": "` + strings.Repeat("a", maxJSONBody) + `"}}`
		if body := wantStatus(t, s.post(t, path, big), http.StatusRequestEntityTooLarge); !strings.Contains(body, "64 KB") {
			t.Errorf("%s: %s", path, body)
		}
		for _, body := range []string{`{"iterations": 20001}`, `{"iterations": -1}`, `{"unknown": 1}`, `[]`, `{"set": ["a=1"]}`, `{"seed": -1}`, `{`, `{} {}`, `{}]`, `{} x`} {
			wantStatus(t, s.post(t, path, body), http.StatusBadRequest)
		}
	}
	for _, ct := range []string{"", "application/json", "application/x-www-form-urlencoded", "image/png"} {
		wantStatus(t, s.do(t, http.MethodPost, "/api/population", ct, extract(t, 10)), http.StatusUnsupportedMediaType)
	}
	body := wantStatus(t, s.do(t, http.MethodPost, "/api/population", "text/csv", extract(t, 200)), http.StatusRequestEntityTooLarge)
	if !strings.Contains(body, "the extract is larger than the 4 KB this server accepts") {
		t.Errorf("upload over the limit: %s", body)
	}
}

func TestSetErrors(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	for _, tc := range []struct{ body, key, msg string }{
		{`{"set": {"funnel.afected_share": "0.7"}}`, "funnel.afected_share", "did you mean funnel.affected_share"},
		{`{"set": {"funnel.affected_share": "1,5"}}`, "", "funnel.affected_share"},
		{`{"set": {"funnel.together_share": "0.5", "funnel.affected_share": "zeventig"}}`, "funnel.affected_share", "not a number"},
		{`{"set": {"b.threshold": "strict"}}`, "b.threshold", "b.threshold"},
		{`{"set": {"b.percentage": "fixed"}}`, "b.percentage", "needs an extract"},
	} {
		for _, path := range []string{"/api/run", "/api/workbook", "/api/scenario", "/api/compare"} {
			var got struct{ Error, Key string }
			if err := json.Unmarshal([]byte(wantStatus(t, s.post(t, path, tc.body), http.StatusBadRequest)), &got); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got.Error, tc.msg) || tc.key != "" && got.Key != tc.key {
				t.Errorf("%s %s: %+v, want key %q and %q in the message", path, tc.body, got, tc.key, tc.msg)
			}
		}
	}
}

// TestNoBSNInAnswers: a number that could be a BSN (111222333 passes the
// eleven-test) in a value, a key, a name or a reason is never echoed in an
// answer, and the page hands out no scenario file that the loader would
// refuse for it.
func TestNoBSNInAnswers(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	for _, tc := range []struct{ path, body string }{
		{"/api/run", `{"set": {"funnel.affected_share": "111222333"}}`},
		{"/api/compare", `{"set": {"funnel.affected_share": "111222333"}}`},
		{"/api/run", `{"set": {"funnel.111222333": "0.5"}}`},
		{"/api/scenario", `{"set": {"funnel.affected_share": "0.7"}, "name": "nacht 111222333"}`},
		{"/api/scenario", `{"set": {"funnel.affected_share": "0.7"}, "why": {"funnel.affected_share": "zie 111222333"}}`},
		{"/api/scenario", `{"set": {"funnel.base_population": "111222333"}}`},
	} {
		body := wantStatus(t, s.post(t, tc.path, tc.body), http.StatusBadRequest)
		if strings.Contains(body, "111222333") || !strings.Contains(body, "•") {
			t.Errorf("%s %s: %s, want the number masked", tc.path, tc.body, body)
		}
	}
}

// tracer records the stages of a server's requests (Server.trace), so
// that a test waits for a stage instead of sleeping.
type tracer struct {
	mu     sync.Mutex
	cond   *sync.Cond
	events []traceEvent
}

type traceEvent struct {
	ctx            context.Context
	session, stage string
	err            error
}

func newTracer(s *Server) *tracer {
	tr := &tracer{}
	tr.cond = sync.NewCond(&tr.mu)
	s.trace = func(ctx context.Context, session, stage string, err error) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		tr.events = append(tr.events, traceEvent{ctx, session, stage, err})
		tr.cond.Broadcast()
	}
	return tr
}

// await waits for the nth stage (1: the first) of a session's requests;
// a minute without it is a failure (the stage never comes).
func (tr *tracer) await(t *testing.T, session, stage string, nth int) traceEvent {
	t.Helper()
	expired := false
	timer := time.AfterFunc(time.Minute, func() {
		tr.mu.Lock()
		expired = true
		tr.cond.Broadcast()
		tr.mu.Unlock()
	})
	defer timer.Stop()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for !expired {
		n := 0
		for _, e := range tr.events {
			if e.session == session && e.stage == stage {
				if n++; n == nth {
					return e
				}
			}
		}
		tr.cond.Wait()
	}
	t.Fatalf("%s never reached stage %q (%d)", session, stage, nth)
	return traceEvent{}
}

// cancelled waits for a request's context to end (a minute at most).
func cancelled(t *testing.T, e traceEvent) {
	t.Helper()
	select {
	case <-e.ctx.Done():
	case <-time.After(time.Minute):
		t.Fatalf("%s: its %s was never cancelled", e.session, e.stage)
	}
}

// gate holds every run of gatedIterations at its first block of
// iterations (MC.Progress) while it is shut, so that a test knows such a
// run is still going when it cancels it.
type gate struct {
	mu sync.Mutex
	ch chan struct{}
}

const gatedIterations = 99_999

func (g *gate) progress(_, total int) {
	if total != gatedIterations {
		return
	}
	g.mu.Lock()
	ch := g.ch
	g.mu.Unlock()
	<-ch
}

func (g *gate) shut() {
	g.mu.Lock()
	g.ch = make(chan struct{})
	g.mu.Unlock()
}

func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.ch:
	default:
		close(g.ch)
	}
}

// answer is the status of a request sent in the background (0 and the
// error when it got none).
type answer struct {
	name   string
	status int
	err    error
}

// send posts a body to path in the background, for a tab, with the
// client's ctx; its answer goes to answers.
func (s *testServer) send(ctx context.Context, answers chan<- answer, name, path, body, tab string) {
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.Token())
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(sessionHeader, tab)
		resp, err := s.ts.Client().Do(req)
		if err != nil {
			answers <- answer{name: name, err: err}
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answers <- answer{name: name, status: resp.StatusCode}
	}()
}

// wantAnswers collects n answers and checks each one's status.
func wantAnswers(t *testing.T, answers <-chan answer, want map[string]int) {
	t.Helper()
	for range want {
		a := <-answers
		if a.err != nil || a.status != want[a.name] {
			t.Errorf("%s: status %d (%v), want %d", a.name, a.status, a.err, want[a.name])
		}
	}
}

// TestNewerRequestCancelsOlder: a tab's newer request cancels its older
// one of the same kind (409), in the engine or while it waits for a slot;
// another tab's request goes on, and so does the tab's request of the
// other kind (its run beside its comparison); a request whose client
// gives up stops. No sleep: the test waits for the server's stages
// (Server.trace), and a gate holds the long runs at their first block.
func TestNewerRequestCancelsOlder(t *testing.T) {
	g := &gate{}
	g.shut()
	s := newTestServer(t, "deck", nil, func(c *Config) { c.MaxRuns = 1; c.MC.Progress = g.progress })
	t.Cleanup(g.open) // before the server closes: no run stays held
	tr := newTracer(s.Server)
	long := fmt.Sprintf(`{"iterations": %d, "seed": 1}`, gatedIterations)
	short := `{"iterations": 0}`
	answers := make(chan answer, 8)
	bg := context.Background()

	// Tab 1 computes (held at the gate, in the only slot); tab 2's long
	// run waits for the slot.
	s.send(bg, answers, "tab-1 long", "/api/run", long, "tab-1")
	first := tr.await(t, "tab-1", "compute", 1)
	s.send(bg, answers, "tab-2 long", "/api/run", long, "tab-2")
	tr.await(t, "tab-2", "wait", 1)
	// Tab 2's newer run cancels its older one while it waits.
	s.send(bg, answers, "tab-2 short", "/api/run", short, "tab-2")
	if e := tr.await(t, "tab-2", "done", 1); !errors.Is(e.err, raming.ErrSuperseded) {
		t.Errorf("tab 2's older run ended with %v, want it superseded", e.err)
	}
	// Tab 1's newer run cancels its older one in the engine.
	s.send(bg, answers, "tab-1 short", "/api/run", short, "tab-1")
	cancelled(t, first)
	if cause := context.Cause(first.ctx); !errors.Is(cause, raming.ErrSuperseded) {
		t.Errorf("tab 1's older run was cancelled by %v, want a newer request", cause)
	}
	g.open()
	if e := tr.await(t, "tab-1", "done", 1); !errors.Is(e.err, raming.ErrSuperseded) {
		t.Errorf("tab 1's older run ended with %v, want it superseded", e.err)
	}
	wantAnswers(t, answers, map[string]int{"tab-1 long": http.StatusConflict, "tab-2 long": http.StatusConflict, "tab-1 short": http.StatusOK, "tab-2 short": http.StatusOK})

	// A tab's run does not cancel its comparison; a newer comparison does.
	g.shut()
	s.send(bg, answers, "compare long", "/api/compare", long, "tab-3")
	cmp := tr.await(t, "tab-3", "compute", 1)
	s.send(bg, answers, "run", "/api/run", short, "tab-3")
	tr.await(t, "tab-3", "wait", 2)
	if err := cmp.ctx.Err(); err != nil {
		t.Errorf("the tab's run cancelled its comparison: %v", err)
	}
	s.send(bg, answers, "compare short", "/api/compare", short, "tab-3")
	cancelled(t, cmp)
	g.open()
	wantAnswers(t, answers, map[string]int{"compare long": http.StatusConflict, "run": http.StatusOK, "compare short": http.StatusOK})

	// A client that gives up: its run stops, and the slot is free for the next.
	g.shut()
	ctx, cancel := context.WithCancel(bg)
	s.send(ctx, answers, "given up", "/api/run", long, "tab-4")
	run := tr.await(t, "tab-4", "compute", 1)
	cancel()
	cancelled(t, run) // the server saw the client go
	g.open()
	if e := tr.await(t, "tab-4", "done", 1); !errors.Is(e.err, context.Canceled) {
		t.Errorf("the run of a client that gave up ended with %v, want it cancelled", e.err)
	}
	if a := <-answers; !errors.Is(a.err, context.Canceled) {
		t.Errorf("a request given up: %+v", a)
	}
	wantStatus(t, s.post(t, "/api/run", short), http.StatusOK)
	for _, path := range []string{"/api/run", "/api/compare"} {
		wantStatus(t, s.post(t, path, `{}`, sessionHeader, "not a session id!"), http.StatusBadRequest)
	}
}

func TestUpload(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	// Without an extract, B's per-record options are refused.
	wantStatus(t, s.post(t, "/api/run", `{"set": {"b.percentage": "fixed"}, "iterations": 0}`), http.StatusBadRequest)
	text := extract(t, 400)
	var sum popSummary
	body := wantStatus(t, s.do(t, http.MethodPost, "/api/population", "text/csv", text, "X-Raming-Filename", "C%3A%5CUsers%5Cik%5Cpopulatie.csv"), http.StatusOK)
	if err := json.Unmarshal([]byte(body), &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Extract || sum.Source != "populatie.csv" || sum.RowsRead != 400 || sum.RowsUsed != 400 || sum.Version != 1 {
		t.Errorf("summary %+v", sum)
	}
	got := wantStatus(t, s.post(t, "/api/run", `{"set": {"b.percentage": "fixed"}, "iterations": 1000, "seed": 4}`), http.StatusOK)
	pop, err := input.Read(bytes.NewReader(text), input.Options{Source: "populatie.csv", Today: runTime})
	if err != nil {
		t.Fatal(err)
	}
	if want := commandLine(t, s.cfg.Scenario, pop, []string{"b.percentage=fixed"}, raming.MC{Iterations: 1000, Seed: 4, Workers: 2}); got != want {
		t.Errorf("after the upload the JSON differs from the command line's on the extract:\n%s", firstDifference(got, want))
	}
	var st pageState
	_ = json.Unmarshal([]byte(wantStatus(t, s.do(t, http.MethodGet, "/api/state", "", nil), http.StatusOK)), &st)
	if st.Population.Source != "populatie.csv" || st.Population.Version != 1 {
		t.Errorf("the state's population %+v", st.Population)
	}

	// A workbook reads the same.
	xlsx := toWorkbook(t, text)
	wantStatus(t, s.do(t, http.MethodPost, "/api/population", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx, "X-Raming-Filename", "p.xlsx"), http.StatusOK)
	if got2 := wantStatus(t, s.post(t, "/api/run", `{"set": {"b.percentage": "fixed"}, "iterations": 1000, "seed": 4}`), http.StatusOK); figures(t, got2) != figures(t, got) {
		t.Error("the workbook extract gives other figures than the same rows as CSV")
	}
}

// figures are a summary's variants, as JSON.
func figures(t testing.TB, summary string) string {
	var s struct{ Variants json.RawMessage }
	if err := json.Unmarshal([]byte(summary), &s); err != nil {
		t.Fatal(err)
	}
	return string(s.Variants)
}

// toWorkbook writes a CSV text as a workbook of text cells.
func toWorkbook(t testing.TB, text []byte) []byte {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cells := make([]any, len(r))
		for j := range r {
			cells[j] = r[j]
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestUploadEchoesNoValue: a refused extract and rejected rows are told
// without a value of the file, and nothing of it reaches the log.
func TestUploadEchoesNoValue(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	lines := strings.Split(strings.TrimSpace(string(extract(t, 50))), "\n")
	// A BSN (passes the eleven-test) in a free column: the file is refused.
	bsn := "111222333"
	withBSN := strings.Join(append(copyOf(lines), strings.Replace(lines[5], "EXP-0000005", bsn, 1)), "\n")
	body := wantStatus(t, s.do(t, http.MethodPost, "/api/population", "text/csv", []byte(withBSN)), http.StatusUnprocessableEntity)
	if strings.Contains(body, bsn) || !strings.Contains(body, "pseudonymised") {
		t.Errorf("refused extract: %s", body)
	}
	// A rejected row: its column and reason, not its value or id.
	bad := strings.Replace(lines[7], "EXP-0000007", "EXP-SECRET-ID", 1)
	fields := strings.Split(bad, ",")
	fields[4] = "31-02-1799"
	bad = strings.Join(fields, ",")
	text := strings.Join(append(copyOf(lines[:7]), append([]string{bad}, lines[8:]...)...), "\n")
	body = wantStatus(t, s.do(t, http.MethodPost, "/api/population", "text/csv", []byte(text), "X-Raming-Filename", "uitvoer-EXP.csv"), http.StatusOK)
	var sum popSummary
	if err := json.Unmarshal([]byte(body), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.RowsRejected != 1 || len(sum.Rejected) != 1 || sum.Rejected[0].Count != 1 || sum.Rejected[0].Lines[0] != 8 || sum.Rejected[0].Reason != "geen geldige datum" {
		t.Errorf("summary of the rejected rows %+v", sum)
	}
	for _, secret := range []string{"EXP-SECRET-ID", "1799", bsn} {
		if strings.Contains(body, secret) || strings.Contains(s.log.String(), secret) {
			t.Errorf("%q is echoed (answer %s; log %s)", secret, body, s.log.String())
		}
	}
	wantStatus(t, s.post(t, "/api/run", `{"set": {"funnel.affected_share": "0,7123"}, "iterations": 0}`), http.StatusOK)
	if strings.Contains(s.log.String(), "7123") || strings.Contains(s.log.String(), s.Token()) {
		t.Errorf("the log carries a value: %s", s.log.String())
	}
	if !strings.Contains(s.log.String(), "path=/api/run status=200") {
		t.Errorf("the log has no line for the run: %s", s.log.String())
	}
	// Every row rejected: refused.
	wantStatus(t, s.do(t, http.MethodPost, "/api/population", "text/csv", []byte(lines[0]+"\n"+bad)), http.StatusUnprocessableEntity)
}

func copyOf(s []string) []string { return append([]string(nil), s...) }

func TestUploadName(t *testing.T) {
	for in, want := range map[string]string{
		"populatie.csv": "populatie.csv", "C%3A%5CUsers%5Cx%5Cp.csv": "p.csv", "..%2F..%2Fetc%2Fpasswd": "passwd", "": "upload",
		"a%0Ab.csv": "ab.csv", "111222333.csv": "•••••••••.csv", "%2F": "upload", "..": "upload",
	} {
		if got := uploadName(in); got != want {
			t.Errorf("uploadName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestScenarioFileComputesTheWhatIf: the scenario file of a what-if,
// run as a scenario, gives the figures of the what-if to the cent (the
// Monte Carlo too), with the reasons in it.
func TestScenarioFileComputesTheWhatIf(t *testing.T) {
	pop := population(t, extract(t, 500))
	for _, tc := range []struct {
		name, base string
		pop        *input.Population
		set        string
		sets       []string
	}{
		{"a rounded figure's share", "deck", nil, `{"funnel.affected_share": "70%"}`, []string{"funnel.affected_share=70%"}},
		{"a triangular value and a case", "deck", nil, `{"phasing.cws_capacity": "800", "A-15k.lump_sum": "12000", "E.dispute_hours": "30"}`,
			[]string{"phasing.cws_capacity=800", "A-15k.lump_sum=12000", "E.dispute_hours=30"}},
		{"B's options on an extract", "deck-exact", pop, `{"b.threshold": "soft", "b.percentage": "fixed", "b.percentage_fixed": "0,4", "B.cws_average_damage": "30000"}`,
			[]string{"b.threshold=soft", "b.percentage=fixed", "b.percentage_fixed=0,4", "B.cws_average_damage=30000"}},
		{"a range", "wet-2023", nil, `{"funnel.affected_share.high": "0.9", "funnel.together_share": "0.55"}`,
			[]string{"funnel.affected_share.high=0.9", "funnel.together_share=0.55"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.base, tc.pop, nil)
			resp := s.post(t, "/api/scenario", `{"set": `+tc.set+`, "name": "wat-als", "why": {"`+strings.Split(tc.sets[0], "=")[0]+`": "UHT meldt het"}}`)
			text := wantStatus(t, resp, http.StatusOK)
			if resp.Header.Get("Content-Disposition") != `attachment; filename="scenario.toml"` || !strings.Contains(text, "UHT meldt het") || !strings.Contains(text, `base = "`+tc.base+`"`) {
				t.Errorf("the file:\n%s", text)
			}
			derived, err := scenario.Parse([]byte(text), "scenario.toml")
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			mc := raming.MC{Iterations: 1000, Seed: 3, Workers: 2}
			want := commandLine(t, s.cfg.Scenario, tc.pop, tc.sets, mc)
			got := commandLine(t, derived, tc.pop, nil, mc)
			if figures(t, got) != figures(t, want) {
				t.Errorf("the scenario file computes other figures than the what-if:\n%s\n%s", firstDifference(figures(t, got), figures(t, want)), text)
			}
		})
	}
}

// compareCommandLine is what `raming compare --json -` writes for the
// same --other-set, seed and iterations (base and other the server's
// scenario): raming.Engine.Compare and output.WriteCompareJSON, as
// compare.go calls them (the command's own equality is tested in the
// main package).
func compareCommandLine(t testing.TB, sc *scenario.Scenario, pop *input.Population, otherSets []string, mc raming.MC) string {
	t.Helper()
	e, err := raming.NewEngine(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := e.Compare(context.Background(), raming.CompareRequest{Other: sc, OtherSets: otherSets, MC: mc})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := output.WriteCompareJSON(&b, cmp, output.Provenance{ToolVersion: "test", RunTime: runTime}, output.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCompareIsTheCommandLines(t *testing.T) {
	pop := population(t, extract(t, 600))
	s := newTestServer(t, "deck", pop, nil)
	for _, tc := range []struct {
		name string
		body string
		sets []string
		mc   raming.MC
	}{
		{"nothing changed", `{"iterations": 1000, "seed": 2}`, nil, raming.MC{Iterations: 1000, Seed: 2}},
		{"a share, deterministic", `{"set": {"funnel.affected_share": "0,7"}, "iterations": 0}`, []string{"funnel.affected_share=0,7"}, raming.MC{}},
		{"an option, an amount and a range", `{"set": {"b.threshold": "soft", "A.cws_average_damage": 40000, "funnel.affected_share.low": "0.6"}, "iterations": 1500, "seed": 7}`,
			[]string{"b.threshold=soft", "A.cws_average_damage=40000", "funnel.affected_share.low=0.6"}, raming.MC{Iterations: 1500, Seed: 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wantStatus(t, s.post(t, "/api/compare", tc.body, sessionHeader, "tab"), http.StatusOK)
			tc.mc.Workers = 2
			if want := compareCommandLine(t, s.cfg.Scenario, pop, tc.sets, tc.mc); got != want {
				t.Errorf("the JSON differs from the command line's:\n%s", firstDifference(got, want))
			}
		})
	}
}

// comparison is what the tests read of /api/compare's answer.
type comparison struct {
	Differences []struct{ Key string }
	Cases       []struct {
		ID          string
		Difference  struct{ Point, P5, P95 string }
		PCheaper    *string `json:"p_other_cheaper"`
		Attribution []struct{ Key, Contribution string }
	}
}

// TestCompareWithTheStart: one changed assumption gets the whole
// difference of every case, to the cent; unchanged, nothing differs; after
// an upload the start is the uploaded extract.
func TestCompareWithTheStart(t *testing.T) {
	s := newTestServer(t, "deck", nil, nil)
	read := func(body string) comparison {
		t.Helper()
		var c comparison
		if err := json.Unmarshal([]byte(wantStatus(t, s.post(t, "/api/compare", body), http.StatusOK)), &c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := read(`{"set": {"funnel.affected_share": "70%"}, "iterations": 1000, "seed": 1}`)
	if len(c.Differences) != 1 || c.Differences[0].Key != "funnel.affected_share" || len(c.Cases) == 0 {
		t.Fatalf("differences %+v, cases %d", c.Differences, len(c.Cases))
	}
	moved := 0
	for _, cs := range c.Cases {
		if cs.Difference.Point != "0.00" {
			moved++
		}
		if len(cs.Attribution) != 1 || cs.Attribution[0].Key != "funnel.affected_share" || cs.Attribution[0].Contribution != cs.Difference.Point {
			t.Errorf("%s: attribution %+v, want funnel.affected_share with the whole difference %s", cs.ID, cs.Attribution, cs.Difference.Point)
		}
		if cs.PCheaper == nil || cs.Difference.P5 == "" {
			t.Errorf("%s: no band or P(cheaper) with a simulation", cs.ID)
		}
	}
	if moved == 0 {
		t.Error("a lower affected share moves no case")
	}
	for _, body := range []string{`{"iterations": 1000}`, `{"set": {"funnel.affected_share": "0,75"}, "iterations": 0}`} {
		c = read(body)
		if len(c.Differences) != 0 {
			t.Errorf("%s: differences %+v, want none", body, c.Differences)
		}
		for _, cs := range c.Cases {
			if cs.Difference.Point != "0.00" || len(cs.Attribution) != 0 || cs.PCheaper != nil && *cs.PCheaper != "0.5000" {
				t.Errorf("%s: %s differs from itself: %+v", body, cs.ID, cs)
			}
		}
	}
	// After an upload the start is the extract: B's per-record options compare on it.
	text := extract(t, 300)
	wantStatus(t, s.do(t, http.MethodPost, "/api/population", "text/csv", text), http.StatusOK)
	got := wantStatus(t, s.post(t, "/api/compare", `{"set": {"b.percentage": "fixed"}, "iterations": 500, "seed": 3}`), http.StatusOK)
	pop, err := input.Read(bytes.NewReader(text), input.Options{Source: "upload", Today: runTime})
	if err != nil {
		t.Fatal(err)
	}
	if want := compareCommandLine(t, s.cfg.Scenario, pop, []string{"b.percentage=fixed"}, raming.MC{Iterations: 500, Seed: 3, Workers: 2}); got != want {
		t.Errorf("after the upload the comparison differs from the command line's on the extract:\n%s", firstDifference(got, want))
	}
}

// TestPopulationSummaryInDutch: the page's summary of an extract gives the
// reader's warnings and the rejected rows' reasons in the workbook's Dutch
// words, and quotes no value of the file.
func TestPopulationSummaryInDutch(t *testing.T) {
	csv := "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,einde_samen,terugvordering_totaal\n" +
		"X-1,D-1,nee,ja,2014-01-01,2016-01-01,1000\n" +
		"X-2,D-2,nee,ja,2014-13-45,2016-01-01,1000\n" +
		",,,,,,\n"
	pop, err := input.Read(strings.NewReader(csv), input.Options{Source: "klein.csv"})
	if err != nil {
		t.Fatal(err)
	}
	p := populationSummary(pop, 1)
	if len(p.WarningsNL) != len(p.Warnings) || len(p.Warnings) == 0 || !strings.Contains(p.WarningsNL[0], "lege rijen") {
		t.Errorf("warnings %q, in Dutch %q", p.Warnings, p.WarningsNL)
	}
	if len(p.Rejected) != 1 || p.Rejected[0].Reason != "geen geldige datum" || p.Rejected[0].Column != "start_problematiek" {
		t.Errorf("rejected %+v, want one row of start_problematiek: geen geldige datum", p.Rejected)
	}
	if b, _ := json.Marshal(p); strings.Contains(string(b), "2014-13-45") {
		t.Errorf("the summary quotes a value of the file: %s", b)
	}
}
