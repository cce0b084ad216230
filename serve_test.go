package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestServeRefusesOtherAddresses(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.10:8080", "example.com:80", "[::]:0", "127.0.0.1", ":8080", "127.0.0.1:http", "127.0.0.1:70000"} {
		code, _, stderr := runCLI(t, "serve", "--addr", addr)
		if code != exitUsage || !strings.Contains(stderr, "--addr") {
			t.Errorf("--addr %s: exit %d, %q; want 2 and a message", addr, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "serve", "--iterations", "2000000"); code != exitUsage {
		t.Errorf("--iterations 2000000: exit %d, %q", code, stderr)
	}
}

// startServe runs `raming serve ARGS` in this process until the test
// ends, and returns the address it printed first.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- newApp(pw, io.Discard).RunContext(ctx, append([]string{"raming", "serve"}, args...))
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve ended with %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("serve did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v", err)
	}
	go io.Copy(io.Discard, pr)
	if !strings.HasPrefix(line, "http://127.0.0.1:") || !strings.Contains(line, "/?token=") {
		t.Fatalf("first line %q", line)
	}
	return strings.TrimSpace(line)
}

func apiPost(t *testing.T, url, path, body string) []byte {
	t.Helper()
	base, token, _ := strings.Cut(url, "/?token=")
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
	}
	return b
}

// TestServeAnswersTheCommandLinesFigures: the JSON of /api/run and the
// workbook of /api/workbook are what raming run writes for the same --set,
// --seed and --iterations, to the byte.
func TestServeAnswersTheCommandLinesFigures(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1796000000")
	pop := writeExtract(t, 2000, "nl")
	url := startServe(t, "--population", pop, "--workers", "2")
	for _, tc := range []struct {
		body string
		args []string
	}{
		{`{"set": {"funnel.affected_share": "0,7"}, "iterations": 10000, "seed": 1}`, []string{"--set", "funnel.affected_share=0,7", "--iterations", "10000", "--seed", "1"}},
		{`{"set": {"b.threshold": "soft", "b.base": "15000", "A-15k.lump_sum": "20000"}, "iterations": 3000, "seed": 42}`,
			[]string{"--set", "b.threshold=soft", "--set", "b.base=15000", "--set", "A-15k.lump_sum=20000", "--iterations", "3000", "--seed", "42"}},
		{`{"set": {"phasing.cws_capacity": "750"}, "iterations": 0}`, []string{"--set", "phasing.cws_capacity=750", "--iterations", "0"}},
		{`{"iterations": 500, "seed": 9}`, []string{"--iterations", "500", "--seed", "9"}},
	} {
		got := apiPost(t, url, "/api/run", tc.body)
		code, want, stderr := runCLI(t, append([]string{"run", "--population", pop, "--json", "-", "--quiet", "--workers", "2"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("raming run: %d %s", code, stderr)
		}
		if string(got) != want {
			t.Errorf("%s: /api/run differs from raming run --json -", tc.body)
		}
	}
	out := filepath.Join(t.TempDir(), "r.xlsx")
	if code, _, stderr := runCLI(t, "run", "--population", pop, "--out", out, "--quiet", "--set", "funnel.together_share=45%", "--iterations", "2000", "--seed", "5", "--budget-case", "A-30k"); code != 0 {
		t.Fatal(stderr)
	}
	want, _ := os.ReadFile(out)
	if got := apiPost(t, url, "/api/workbook", `{"set": {"funnel.together_share": "45%"}, "iterations": 2000, "seed": 5, "budget_case": "A-30k"}`); !bytes.Equal(got, want) {
		t.Errorf("/api/workbook differs from raming run --out (%d and %d bytes)", len(got), len(want))
	}
}

// TestServeComparesAsTheCommandLine: /api/compare answers what raming
// compare --json - writes with the page's changes as --other-set, the same
// --seed and --iterations, to the byte.
func TestServeComparesAsTheCommandLine(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1796000000")
	pop := writeExtract(t, 2000, "nl")
	url := startServe(t, "--population", pop, "--workers", "2")
	for _, tc := range []struct {
		body string
		args []string
	}{
		{`{"set": {"funnel.affected_share": "0,7"}, "iterations": 10000, "seed": 1}`, []string{"--other-set", "funnel.affected_share=0,7", "--iterations", "10000", "--seed", "1"}},
		{`{"set": {"b.threshold": "soft", "b.percentage": "fixed", "A-15k.lump_sum": "20000"}, "iterations": 3000, "seed": 42}`,
			[]string{"--other-set", "b.threshold=soft", "--other-set", "b.percentage=fixed", "--other-set", "A-15k.lump_sum=20000", "--iterations", "3000", "--seed", "42"}},
		{`{"set": {"phasing.cws_capacity": "750"}, "iterations": 0}`, []string{"--other-set", "phasing.cws_capacity=750", "--iterations", "0"}},
		{`{"iterations": 500, "seed": 9}`, []string{"--iterations", "500", "--seed", "9"}},
	} {
		got := apiPost(t, url, "/api/compare", tc.body)
		code, want, stderr := runCLI(t, append([]string{"compare", "--population", pop, "--json", "-", "--quiet", "--workers", "2"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("raming compare: %d %s", code, stderr)
		}
		if string(got) != want {
			t.Errorf("%s: /api/compare differs from raming compare --json -:\n%.2000s\n%.2000s", tc.body, got, want)
		}
	}
}

// TestServeStopsOnInterrupt: Ctrl-C stops the server as it stops every
// command (exit 130), with nothing printed but the address and the log.
func TestServeStopsOnInterrupt(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RAMING_TEST_SERVE=1")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "/?token=") {
		t.Fatalf("helper: %q, %v", line, err)
	}
	apiPost(t, strings.TrimSpace(line), "/api/run", `{"iterations": 0}`)
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("got %v, want exit code 130", err)
	}
	if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "internal error") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// TestHelperServe is the server TestServeStopsOnInterrupt interrupts.
func TestHelperServe(t *testing.T) {
	if os.Getenv("RAMING_TEST_SERVE") == "" {
		t.Skip("a helper process of TestServeStopsOnInterrupt")
	}
	stop := removeTempsOnSignal()
	defer stop()
	os.Exit(run([]string{"raming", "serve", "--workers", "1"}, os.Stdout, os.Stderr))
}
