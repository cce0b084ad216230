package serve

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"raming/input"
	"raming/internal/bsn"
	"raming/output"
	"raming/raming"
	"raming/scenario"
)

// Config is what a Server serves: the scenario and the extract it starts
// with, and the limits of what a client may ask.
type Config struct {
	// Scenario is the scenario as loaded (without --set changes).
	Scenario *scenario.Scenario
	// ScenarioBase names the scenario in a derived scenario file's base =
	// ...: a built-in scenario's name, or its file's absolute path.
	ScenarioBase string
	// Population is the extract given at the start; nil: the scenario's
	// base population.
	Population *input.Population
	// Read is how an uploaded extract is read (its encoding, sheet,
	// unknown columns); Source and Today are set per upload.
	Read input.Options
	// ToolVersion and Now make each output's Provenance: Now is the run
	// time (SOURCE_DATE_EPOCH or the clock), as the command line takes it.
	ToolVersion string
	Now         func() (time.Time, error)
	// MC holds the simulation's Workers and MaxMemory; the seed and the
	// iterations come with each request.
	MC raming.MC
	// Iterations and Seed are the page's defaults.
	Iterations int
	Seed       uint64
	// MaxIterations caps the iterations of a request (0: DefaultMaxIterations).
	MaxIterations int
	// MaxUpload caps an uploaded extract in bytes (0: DefaultMaxUpload).
	MaxUpload int64
	// MaxRuns is how many runs compute at once; others wait their turn
	// (0: the number of cores, at least 2). It bounds the memory.
	MaxRuns int
	// Log gets a line per request: its route, status and duration, never
	// a value. nil: no log.
	Log *slog.Logger
}

// Limits of a request.
const (
	// DefaultMaxIterations caps a request's Monte Carlo iterations: a
	// what-if at 100,000 takes about half a second.
	DefaultMaxIterations = 100_000
	// DefaultMaxUpload caps an uploaded extract: an extract of about a
	// million rows as CSV.
	DefaultMaxUpload = 100 << 20
	// maxJSONBody caps a request's JSON body.
	maxJSONBody = 64 << 10
	// maxSessions is how many browser tabs keep a session; beyond it the
	// oldest are forgotten.
	maxSessions = 256
)

// Server answers the page and its API. Create it with New; it is safe for
// concurrent use.
type Server struct {
	cfg   Config
	token string
	runs  chan struct{} // a slot per run computing

	mu         sync.Mutex
	engine     *raming.Engine
	popVersion int
	sessions   map[string]*session
	order      []string // session ids, oldest first

	// trace, set only by tests, is told of each computing request's
	// stages: "wait" (for a slot), "compute" (with one; ctx is the run's,
	// which a newer request or the client cancels) and "done" (err is the
	// run's).
	trace func(ctx context.Context, session, stage string, err error)
}

// kind is what a tab's request computes; a newer request of a tab
// cancels the tab's older one of the same kind, so that the page's run
// and its comparison with the start go on side by side.
type kind int

const (
	kindRun kind = iota
	kindCompare
	numKinds
)

// session is one browser tab's requests: a newer request cancels the
// older one of its kind at once, before it waits for a slot to compute.
type session struct {
	engine *raming.Engine
	runs   *raming.Session
	mu     sync.Mutex
	cancel [numKinds]context.CancelCauseFunc
}

// New returns a server for cfg with a new random token.
func New(cfg Config) (*Server, error) {
	if cfg.Scenario == nil {
		return nil, errors.New("serve: no scenario")
	}
	if cfg.Now == nil {
		cfg.Now = func() (time.Time, error) { return time.Now().UTC(), nil }
	}
	if cfg.MaxIterations <= 0 {
		cfg.MaxIterations = DefaultMaxIterations
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.MaxRuns <= 0 {
		cfg.MaxRuns = max(2, runtime.NumCPU())
	}
	if cfg.MC.Workers < 1 {
		cfg.MC.Workers = runtime.NumCPU()
	}
	e, err := raming.NewEngine(cfg.Scenario, cfg.Population)
	if err != nil {
		return nil, err
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, token: token, runs: make(chan struct{}, cfg.MaxRuns), engine: e, sessions: map[string]*session{}}, nil
}

// newToken returns 128 random bits in hex.
func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("serve: no random token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Token is the secret every API call carries (Authorization: Bearer).
func (s *Server) Token() string { return s.token }

// URL is the page's address for a server listening on addr, with the
// token: the first line `raming serve` prints.
func (s *Server) URL(addr net.Addr) string {
	return "http://" + addr.String() + "/?token=" + s.token
}

// current returns the engine of the extract in use and its version.
func (s *Server) current() (*raming.Engine, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.engine, s.popVersion
}

// sessionFor returns the session of a browser tab on engine e ("" for a
// request outside any: a download), made anew when the extract changed.
func (s *Server) sessionFor(id string, e *raming.Engine) *session {
	if id == "" {
		return &session{engine: e, runs: e.NewSession()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[id]
	if ok && ss.engine == e {
		return ss
	}
	if !ok {
		if len(s.order) >= maxSessions {
			delete(s.sessions, s.order[0])
			s.order = s.order[1:]
		}
		s.order = append(s.order, id)
	}
	ss = &session{engine: e, runs: e.NewSession()}
	s.sessions[id] = ss
	return ss
}

// run answers one request on its tab's session.
func (s *Server) run(ctx context.Context, sessionID string, req raming.Request) (*raming.Result, error) {
	var res *raming.Result
	err := s.inSlot(ctx, sessionID, kindRun, func(ctx context.Context, ss *session) (err error) {
		res, err = ss.runs.Run(ctx, req)
		return err
	})
	return res, err
}

// compare compares the start (the server's scenario on the extract in
// use) with the start changed by sets, as `raming compare --other-set`
// does, on the tab's session.
func (s *Server) compare(ctx context.Context, sessionID string, sets []string, mc raming.MC) (*raming.ScenarioComparison, error) {
	var cmp *raming.ScenarioComparison
	err := s.inSlot(ctx, sessionID, kindCompare, func(ctx context.Context, ss *session) (err error) {
		cmp, err = ss.engine.Compare(ctx, raming.CompareRequest{OtherSets: sets, MC: mc})
		return err
	})
	return cmp, err
}

// inSlot runs f for a tab's request of a kind on the extract in use: it
// cancels the tab's older request of that kind, waits for a slot to
// compute, and runs f in it.
func (s *Server) inSlot(ctx context.Context, sessionID string, k kind, f func(context.Context, *session) error) error {
	e, _ := s.current()
	ss := s.sessionFor(sessionID, e)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ss.mu.Lock()
	if older := ss.cancel[k]; older != nil {
		older(raming.ErrSuperseded)
	}
	ss.cancel[k] = cancel
	ss.mu.Unlock()
	s.traced(ctx, sessionID, "wait", nil)
	select {
	case s.runs <- struct{}{}:
		defer func() { <-s.runs }()
	case <-ctx.Done():
		err := context.Cause(ctx)
		s.traced(ctx, sessionID, "done", err)
		return err
	}
	s.traced(ctx, sessionID, "compute", nil)
	err := f(ctx, ss)
	s.traced(ctx, sessionID, "done", err)
	return err
}

// traced tells the tests' trace of a request's stage.
func (s *Server) traced(ctx context.Context, sessionID, stage string, err error) {
	if s.trace != nil {
		s.trace(ctx, sessionID, stage, err)
	}
}

// Handler returns the server's routes for a server listening on addr
// (host:port): a request must name that host and port, or localhost and
// that port (a page of another site that a DNS rebinding points at the
// loopback address names its own host, and is refused).
func (s *Server) Handler(addr string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles()))
	mux.HandleFunc("GET /api/state", s.api(s.state))
	mux.HandleFunc("POST /api/run", s.api(s.postRun))
	mux.HandleFunc("POST /api/workbook", s.api(s.postWorkbook))
	mux.HandleFunc("POST /api/scenario", s.api(s.postScenario))
	mux.HandleFunc("POST /api/population", s.api(s.postPopulation))
	mux.HandleFunc("POST /api/compare", s.api(s.postCompare))
	hosts := allowedHosts(addr)
	return s.logged(secure(hosts, mux))
}

// allowedHosts are the Host headers a request may carry.
func allowedHosts(addr string) map[string]bool {
	hosts := map[string]bool{strings.ToLower(addr): true}
	if _, port, err := net.SplitHostPort(addr); err == nil {
		hosts["localhost:"+port] = true
	}
	return hosts
}

// contentSecurity is the page's Content-Security-Policy: its own scripts,
// styles and connections only, no inline script, no framing.
const contentSecurity = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// secure sets the security headers of every response, refuses a request
// whose Host is not the server's (no DNS rebinding), and a POST from
// another origin.
func secure(hosts map[string]bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurity)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if !hosts[strings.ToLower(r.Host)] {
			fail(w, http.StatusForbidden, "this server answers only at its own loopback address (Host %q refused)", r.Host)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if o := r.Header.Get("Origin"); o != "" && !hosts[strings.ToLower(strings.TrimPrefix(o, "http://"))] {
				fail(w, http.StatusForbidden, "a request from another site (Origin %q) is refused", o)
				return
			}
			if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
				fail(w, http.StatusForbidden, "a request from another site is refused")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// api wraps an API handler: the token is required.
func (s *Server) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorised(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="raming"`)
			fail(w, http.StatusUnauthorized, "the token is missing or wrong: open the address raming serve printed (with ?token=...)")
			return
		}
		h(w, r)
	}
}

// authorised reports whether the request carries the token, compared in
// constant time.
func (s *Server) authorised(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.token)) == 1
}

// cookieName is the cookie the page keeps the token in, by port: cookies
// do not tell ports apart, and two servers may run side by side.
func cookieName(r *http.Request) string {
	_, port, _ := net.SplitHostPort(r.Host)
	return "raming_token_" + port
}

// page serves the page. Opened with ?token=..., it puts the token in a
// cookie for the page's script and sends the browser to the address
// without it, so that the token leaves the address bar and the history.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	if t := r.URL.Query().Get("token"); t != "" {
		if subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) != 1 {
			fail(w, http.StatusUnauthorized, "the token is wrong: open the address raming serve printed last")
			return
		}
		http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: s.token, Path: "/", SameSite: http.SameSiteStrictMode})
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	serveStatic(w, r, "index.html")
}

// statusWriter remembers a response's status for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logged logs each request: method, route, status and duration; never a
// header, a query or a body.
func (s *Server) logged(next http.Handler) http.Handler {
	if s.cfg.Log == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		path := r.URL.Path
		if !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/static/") {
			path = "/"
		}
		s.cfg.Log.Info("request", "method", r.Method, "path", path, "status", sw.status, "duration_ms", time.Since(start).Milliseconds())
	})
}

// fail answers an error as JSON: {"error": message}.
func fail(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]string{"error": bsn.MaskText(fmt.Sprintf(format, args...))})
}

// readBody reads a request's body within limit bytes; a larger body is
// answered 413 with what the limit is (and false).
func readBody(w http.ResponseWriter, r *http.Request, limit int64, what string) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		fail(w, http.StatusRequestEntityTooLarge, "%s is larger than the %s this server accepts", what, size(limit))
		return nil, false
	case err != nil:
		fail(w, http.StatusBadRequest, "the request could not be read: %v", err)
		return nil, false
	}
	return b, true
}

// size writes a number of bytes in MB or KB.
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// provenance is the provenance of an output made now.
func (s *Server) provenance() (output.Provenance, error) {
	now, err := s.cfg.Now()
	return output.Provenance{ToolVersion: s.cfg.ToolVersion, RunTime: now}, err
}
