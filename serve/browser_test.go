package serve

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"raming/raming"
)

var screenshot = flag.String("screenshot", "", "write a screenshot of the page after the what-if to this PNG file (docs/serve.png)")

// chromium finds a Chromium or Chrome to drive: skipped without one,
// unless RAMING_REQUIRE_CHROMIUM=1 (CI installs Debian's chromium).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("RAMING_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("RAMING_REQUIRE_CHROMIUM=1 but no chromium in PATH: apt-get install --no-install-recommends chromium")
	}
	t.Skip("no chromium in PATH (set RAMING_REQUIRE_CHROMIUM=1 to make this test required)")
	return ""
}

// TestPageInABrowser: headless Chromium loads the page, a user types 70%
// as the affected share, the figures are marked as old at once, and B's
// raming and P50 become those of raming run --set
// funnel.affected_share=70% with the same seed and iterations, to the
// cent; the page raises no error (a Content-Security-Policy violation
// would be one).
func TestPageInABrowser(t *testing.T) {
	bin := chromium(t)
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	pop := population(t, extract(t, 11000))
	s := newTestServer(t, "deck", pop, func(c *Config) { c.Iterations = 10000 })
	b := startBrowser(t, bin)
	b.call(t, "Page.enable", nil)
	b.call(t, "Runtime.enable", nil)
	b.call(t, "Log.enable", nil)
	b.call(t, "Emulation.setDeviceMetricsOverride", map[string]any{"width": 1400, "height": 1900, "deviceScaleFactor": 1, "mobile": false})
	b.call(t, "Page.navigate", map[string]any{"url": s.ts.URL + "/?token=" + s.Token()})
	b.waitFor(t, `document.querySelector('#resultaten')?.dataset.state === 'current'`)
	if got := b.eval(t, `location.search`); got != "" {
		t.Errorf("the token stays in the address: %q", got)
	}
	before := b.eval(t, `document.querySelector('tr[data-variant="B"] .raming').dataset.value`)
	b.waitFor(t, `document.querySelector('#vergelijking').dataset.state === 'current'`)
	if b.eval(t, `document.getElementById('vergelijking-geen').hidden || !document.getElementById('vergelijk').hidden`) != "false" {
		t.Error(`before an edit the comparison does not say "Geen wijzigingen ten opzichte van het begin"`)
	}

	// Type 70% into the field, as a user does.
	b.eval(t, `(() => { const i = document.getElementById('aanname-funnel_affected_share'); i.focus(); i.select(); return i.labels[0].textContent; })()`)
	b.call(t, "Input.insertText", map[string]any{"text": "70%"})
	if state := b.eval(t, `document.querySelector('#resultaten').dataset.state`); state != "stale" {
		t.Errorf("right after the edit the figures are %q, want them marked stale", state)
	}
	if v := b.eval(t, `document.getElementById('verouderd').hidden`); v != "false" {
		t.Error("no notice that the figures on screen belong to the previous input")
	}
	if state := b.eval(t, `document.querySelector('#vergelijking').dataset.state`); state != "stale" {
		t.Errorf("right after the edit the comparison is %q, want it marked stale", state)
	}
	b.waitFor(t, `document.querySelector('#resultaten').dataset.state === 'current' && document.querySelector('#vergelijking').dataset.state === 'current'`)
	got := b.eval(t, `document.querySelector('tr[data-variant="B"] .raming').dataset.value`)
	gotP50 := b.eval(t, `document.querySelector('tr[data-variant="B"] td:nth-of-type(3)').dataset.value`)

	want := commandLine(t, s.cfg.Scenario, pop, []string{"funnel.affected_share=70%"}, raming.MC{Iterations: 10000, Seed: 1, Workers: 2})
	var summary struct {
		Variants []struct {
			ID          string
			CentralCase string `json:"central_case"`
			Cases       []struct{ ID, Total string }
			MonteCarlo  struct{ P50 string } `json:"monte_carlo"`
		}
	}
	if err := json.Unmarshal([]byte(want), &summary); err != nil {
		t.Fatal(err)
	}
	var wantTotal, wantP50 string
	for _, v := range summary.Variants {
		if v.ID == "B" {
			wantP50 = v.MonteCarlo.P50
			for _, c := range v.Cases {
				if c.ID == v.CentralCase {
					wantTotal = c.Total
				}
			}
		}
	}
	if got != wantTotal || gotP50 != wantP50 || got == before {
		t.Errorf("B after 70%%: raming %s and P50 %s on the page, want %s and %s (the command line's; before: %s)", got, gotP50, wantTotal, wantP50, before)
	}
	if shown := b.eval(t, `document.querySelector('tr[data-variant="B"] .raming').textContent`); shown == "" {
		t.Error("B's raming is not shown")
	}
	for _, sel := range []string{"#begroting tbody tr", "#band tbody tr", "#waaier svg", "#tornado svg rect"} {
		if n := b.eval(t, fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, sel)); n == "0" {
			t.Errorf("%s: nothing drawn", sel)
		}
	}
	// On an extract the base population is not used, and the page says so.
	if note := b.eval(t, `document.getElementById('aanname-funnel_base_population-info')?.querySelector('.niet-gebruikt')?.textContent || ''`); !strings.Contains(note, "Niet gebruikt met een extract") {
		t.Errorf("the base population's note: %q, want that an extract's rows are counted instead", note)
	}
	checkComparison(t, b, compareCommandLine(t, s.cfg.Scenario, pop, []string{"funnel.affected_share=70%"}, raming.MC{Iterations: 10000, Seed: 1, Workers: 2}))
	checkBudgetWindow(t, b, want)
	if *screenshot != "" {
		b.eval(t, `window.scrollTo(0, 0)`)
		res := b.call(t, "Page.captureScreenshot", map[string]any{"format": "png", "clip": map[string]any{"x": 0, "y": 0, "width": 1400, "height": 1900, "scale": 0.75}})
		var shot struct{ Data string }
		_ = json.Unmarshal(res, &shot)
		png, err := base64.StdEncoding.DecodeString(shot.Data)
		if err != nil || os.WriteFile(*screenshot, png, 0o644) != nil {
			t.Fatalf("screenshot: %v", err)
		}
	}
	if len(b.errors) > 0 {
		t.Errorf("the page raised errors:\n%s", strings.Join(b.errors, "\n"))
	}
}

// checkComparison checks the section "Vergeleken met het begin" against
// the comparison the command line writes (raming compare --json -): per
// case the difference to the cent, in Dutch figures, and the attribution
// to the affected share.
func checkComparison(t *testing.T, b *browser, want string) {
	t.Helper()
	var cmp struct {
		Cases []struct {
			ID          string
			Central     bool
			Difference  struct{ Point string }
			Attribution []struct{ Key, Contribution string }
		}
	}
	if err := json.Unmarshal([]byte(want), &cmp); err != nil {
		t.Fatal(err)
	}
	if n := b.eval(t, `String(document.querySelectorAll('#vergelijk tbody tr').length)`); n != fmt.Sprint(len(cmp.Cases)) {
		t.Errorf("the comparison shows %s cases, want %d", n, len(cmp.Cases))
	}
	dutch := regexp.MustCompile(`^[+-]?\d{1,3}(\.\d{3})*,\d{2}$`)
	for _, c := range cmp.Cases {
		row := fmt.Sprintf(`document.querySelector('#vergelijk tr[data-case=%q]')`, c.ID)
		if got := b.eval(t, row+`.querySelector('.verschil').dataset.value`); got != c.Difference.Point {
			t.Errorf("%s: difference %s on the page, want %s", c.ID, got, c.Difference.Point)
		}
		if shown := b.eval(t, row+`.querySelector('.verschil').textContent`); !dutch.MatchString(shown) {
			t.Errorf("%s: the difference reads %q, want a Dutch figure such as -2,85", c.ID, shown)
		}
		if p := b.eval(t, row+`.cells[5].textContent`); !strings.HasSuffix(p, "%") || !strings.Contains(p, ",") {
			t.Errorf("%s: P(goedkoper) reads %q, want a Dutch percentage", c.ID, p)
		}
		items := b.eval(t, row+`.querySelector('.toerekening').textContent`)
		if c.Difference.Point != "0.00" {
			li := b.eval(t, row+`.querySelector('.toerekening li')?.dataset.value ?? ''`)
			if li != c.Difference.Point || !strings.HasPrefix(items, "Aandeel gedupeerd: ") {
				t.Errorf("%s: attributed %q (%s), want all of %s to Aandeel gedupeerd", c.ID, items, li, c.Difference.Point)
			}
		}
	}
}

// checkBudgetWindow checks that the budget table has the budget JSON's
// columns (the workbook's: eerdere jaren, t−2 ... t+5, latere jaren) and
// its amounts for the case shown.
func checkBudgetWindow(t *testing.T, b *browser, summary string) {
	t.Helper()
	var s struct {
		Budget struct {
			Columns []string
			Cases   []struct {
				ID   string
				Cash struct{ Total []string }
				Band []struct {
					P    float64
					Cash []*string
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(summary), &s); err != nil {
		t.Fatal(err)
	}
	heads := b.eval(t, `[...document.querySelectorAll('#begroting thead th')].map((th) => th.textContent).join('|')`)
	wantHeads := "|eerdere jaren|" + strings.Join(s.Budget.Columns[1:len(s.Budget.Columns)-1], "|") + "|latere jaren|Struc.|Totaal"
	if heads != wantHeads {
		t.Errorf("budget table columns %q, want %q", heads, wantHeads)
	}
	id := b.eval(t, `document.getElementById('geval').value`)
	cells := b.eval(t, `JSON.stringify([...document.querySelectorAll('#begroting tbody tr:nth-child(2) td')].slice(0, -2).map((td) => td.dataset.value))`)
	var got []string
	_ = json.Unmarshal([]byte(cells), &got)
	for _, c := range s.Budget.Cases {
		if c.ID != id {
			continue
		}
		if len(got) != len(c.Cash.Total) {
			t.Fatalf("%s: Uitgaven has %d columns, want %d", id, len(got), len(c.Cash.Total))
		}
		for i := range got {
			g, _ := strconv.ParseFloat(got[i], 64)
			w, _ := strconv.ParseFloat(c.Cash.Total[i], 64)
			if math.Abs(g-w) > 0.005 {
				t.Errorf("%s: Uitgaven in %s: %s on the page, want %s", id, s.Budget.Columns[i], got[i], c.Cash.Total[i])
			}
		}
		// The band under it: the JSON's, row for row (the workbook's).
		if len(c.Band) == 0 {
			t.Fatalf("%s: no band in the JSON's budget", id)
		}
		for k, band := range c.Band {
			label := b.eval(t, fmt.Sprintf(`document.querySelector('#band tbody tr:nth-child(%d) th').textContent`, k+1))
			if want := fmt.Sprintf("Uitgaven P%g", band.P); label != want {
				t.Errorf("%s: band row %d is %q, want %q", id, k+1, label, want)
			}
			cells := b.eval(t, fmt.Sprintf(`JSON.stringify([...document.querySelectorAll('#band tbody tr:nth-child(%d) td')].slice(0, -2).map((td) => td.dataset.value))`, k+1))
			var got []string
			_ = json.Unmarshal([]byte(cells), &got)
			if len(got) != len(band.Cash) {
				t.Fatalf("%s: band P%g has %d columns, want %d", id, band.P, len(got), len(band.Cash))
			}
			for i, x := range band.Cash {
				if x == nil {
					if got[i] != "" {
						t.Errorf("%s: band P%g in %s: %q, want empty", id, band.P, s.Budget.Columns[i], got[i])
					}
					continue
				}
				g, _ := strconv.ParseFloat(got[i], 64)
				w, _ := strconv.ParseFloat(*x, 64)
				if math.Abs(g-w) > 0.005 {
					t.Errorf("%s: band P%g in %s: %s on the page, want %s", id, band.P, s.Budget.Columns[i], got[i], *x)
				}
			}
		}
		return
	}
	t.Errorf("the case shown, %q, has no budget table in the JSON", id)
}

// browser is a headless Chromium driven through the DevTools protocol
// over a WebSocket of its own (RFC 6455, client side: the few frames the
// protocol needs).
type browser struct {
	conn   net.Conn
	r      *bufio.Reader
	id     int
	errors []string // exceptions and console errors of the page
}

func startBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	profile := filepath.Join(t.TempDir(), "profile")
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--no-first-run", "--no-default-browser-check", "--user-data-dir="+profile, "--remote-debugging-address=127.0.0.1",
		"--remote-debugging-port=0", "--lang=nl-NL", "about:blank")
	inGroup(cmd)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Before the temporary directory goes: stop the browser and all its
	// children, wait until none is left, and remove the profile (trying
	// again while a last write of a child lands), so that nothing writes
	// into the directory as it is removed.
	t.Cleanup(func() {
		killGroup(cmd)
		_ = cmd.Wait()
		for deadline := time.Now().Add(10 * time.Second); !groupGone(cmd) && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		if err := removeAll(profile); err != nil {
			t.Errorf("the browser's profile: %v", err)
		}
	})
	sc := bufio.NewScanner(stderr)
	var endpoint string
	deadline := time.AfterFunc(30*time.Second, func() { killGroup(cmd) })
	for sc.Scan() {
		if _, ws, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
			endpoint = ws
			break
		}
	}
	deadline.Stop()
	if endpoint == "" {
		t.Fatal("chromium did not say where DevTools listens")
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + u.Host + "/json/list")
	if err != nil {
		t.Fatal(err)
	}
	var targets []struct{ Type, WebSocketDebuggerURL string }
	err = json.NewDecoder(resp.Body).Decode(&targets)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range targets {
		if tg.Type == "page" {
			b, err := dialWebSocket(tg.WebSocketDebuggerURL)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.conn.Close() })
			return b
		}
	}
	t.Fatal("chromium has no page")
	return nil
}

// removeAll removes a directory, trying again for a few seconds while
// something still writes into it.
func removeAll(dir string) error {
	var err error
	for range 50 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

func dialWebSocket(rawURL string) (*browser, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		u.RequestURI(), u.Host, base64.StdEncoding.EncodeToString(key))
	r := bufio.NewReader(conn)
	status, err := r.ReadString('\n')
	if err != nil || !strings.Contains(status, " 101 ") {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %q %v", status, err)
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == "\r\n" {
			break
		}
	}
	return &browser{conn: conn, r: r}, nil
}

// send writes one masked text frame.
func (b *browser) send(payload []byte) error {
	head := []byte{0x81}
	switch n := len(payload); {
	case n < 126:
		head = append(head, 0x80|byte(n))
	case n < 1<<16:
		head = append(head, 0x80|126, byte(n>>8), byte(n))
	default:
		head = binary.BigEndian.AppendUint64(append(head, 0x80|127), uint64(n))
	}
	mask := make([]byte, 4)
	_, _ = rand.Read(mask)
	masked := make([]byte, len(payload))
	for i := range payload {
		masked[i] = payload[i] ^ mask[i%4]
	}
	_, err := b.conn.Write(append(append(head, mask...), masked...))
	return err
}

// receive reads one message (answering pings).
func (b *browser) receive() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(b.r, h[:]); err != nil {
			return nil, err
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var l [2]byte
			if _, err := io.ReadFull(b.r, l[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(l[:]))
		case 127:
			var l [8]byte
			if _, err := io.ReadFull(b.r, l[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(l[:])
		}
		var mask []byte
		if h[1]&0x80 != 0 {
			mask = make([]byte, 4)
			if _, err := io.ReadFull(b.r, mask); err != nil {
				return nil, err
			}
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(b.r, p); err != nil {
			return nil, err
		}
		if mask != nil {
			for i := range p {
				p[i] ^= mask[i%4]
			}
		}
		switch h[0] & 0x0f {
		case 0x8:
			return nil, errors.New("the browser closed the connection")
		case 0x9:
			pong := append([]byte{0x8a, 0x80 | byte(len(p))}, 0, 0, 0, 0)
			_, _ = b.conn.Write(append(pong, p...))
			continue
		case 0xa:
			continue
		}
		msg = append(msg, p...)
		if h[0]&0x80 != 0 {
			return msg, nil
		}
	}
}

// call sends a command and returns its result; events that arrive in the
// meantime are kept when they tell of an error of the page.
func (b *browser) call(t *testing.T, method string, params any) json.RawMessage {
	t.Helper()
	b.id++
	req, _ := json.Marshal(map[string]any{"id": b.id, "method": method, "params": params})
	_ = b.conn.SetDeadline(time.Now().Add(60 * time.Second))
	if err := b.send(req); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	for {
		raw, err := b.receive()
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		var m struct {
			ID     int
			Method string
			Params json.RawMessage
			Result json.RawMessage
			Error  *struct{ Message string }
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		switch {
		case m.ID == b.id && m.Error != nil:
			t.Fatalf("%s: %s", method, m.Error.Message)
		case m.ID == b.id:
			return m.Result
		case m.Method == "Runtime.exceptionThrown":
			b.errors = append(b.errors, string(m.Params))
		case m.Method == "Log.entryAdded" && strings.Contains(string(m.Params), `"level":"error"`):
			b.errors = append(b.errors, string(m.Params))
		case m.Method == "Runtime.consoleAPICalled" && strings.Contains(string(m.Params), `"type":"error"`):
			b.errors = append(b.errors, string(m.Params))
		}
	}
}

// eval evaluates a JavaScript expression in the page and returns its
// value as text.
func (b *browser) eval(t *testing.T, expr string) string {
	t.Helper()
	res := b.call(t, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true})
	var r struct {
		Result           struct{ Value any }
		ExceptionDetails *struct{ Text string }
	}
	if err := json.Unmarshal(res, &r); err != nil {
		t.Fatal(err)
	}
	if r.ExceptionDetails != nil {
		t.Fatalf("%s: %s", expr, r.ExceptionDetails.Text)
	}
	switch v := r.Result.Value.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// waitFor waits until a JavaScript condition holds (at most 60 s).
func (b *browser) waitFor(t *testing.T, cond string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if b.eval(t, "Boolean("+cond+")") == "true" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waited 60 s for %s; the page says: %s", cond, b.eval(t, `document.getElementById('status').textContent + ' ' + document.getElementById('fout').textContent`))
}

// TestPageOnATinyExtract: on 12 rows most cases rest on fewer than 10
// people. The page shows them as "niet getoond" (no NaN, no empty
// overview, no error), the budget table says so for a hidden case, and
// after an edit the comparison marks the hidden cases too.
func TestPageOnATinyExtract(t *testing.T) {
	bin := chromium(t)
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	pop := population(t, extract(t, 12))
	s := newTestServer(t, "deck", pop, func(c *Config) { c.Iterations = 200 })
	b := startBrowser(t, bin)
	b.call(t, "Page.enable", nil)
	b.call(t, "Runtime.enable", nil)
	b.call(t, "Log.enable", nil)
	b.call(t, "Page.navigate", map[string]any{"url": s.ts.URL + "/?token=" + s.Token()})
	b.waitFor(t, `document.querySelector('#resultaten')?.dataset.state === 'current'`)
	text := func(sel string) string { return b.eval(t, fmt.Sprintf(`document.querySelector(%q).innerText`, sel)) }
	overview := text("#overzicht")
	if !strings.Contains(overview, "niet getoond") {
		t.Errorf("the overview does not say a case is not shown:\n%s", overview)
	}
	if n := b.eval(t, `String(document.querySelectorAll('#overzicht tbody tr').length)`); n != "5" {
		t.Errorf("%s variants in the overview, want 5", n)
	}
	b.eval(t, `(() => { const i = document.getElementById('aanname-funnel_affected_share'); i.focus(); i.select(); })()`)
	b.call(t, "Input.insertText", map[string]any{"text": "70%"})
	b.waitFor(t, `document.querySelector('#resultaten').dataset.state === 'current' && document.querySelector('#vergelijking').dataset.state === 'current'`)
	compared := text("#vergelijk")
	if !strings.Contains(compared, "niet getoond") {
		t.Errorf("the comparison does not say a case is not shown:\n%s", compared)
	}
	for _, where := range []string{"#overzicht", "#vergelijk", "#begroting", "#begroting-noot", "#band"} {
		if got := b.eval(t, fmt.Sprintf(`document.querySelector(%q)?.innerText ?? ''`, where)); strings.Contains(got, "NaN") || strings.Contains(got, "undefined") {
			t.Errorf("%s shows NaN or undefined:\n%s", where, got)
		}
	}
	if len(b.errors) > 0 {
		t.Errorf("the page raised errors:\n%s", strings.Join(b.errors, "\n"))
	}
}
