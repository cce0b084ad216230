package serve

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

var loadIterations = flag.Int("load.iterations", 0, "Monte Carlo iterations of each what-if of TestLoad (0: deterministic what-ifs)")

// TestLoad: 20 clients, each a tab of its own, send 50 what-ifs one after
// the other on loopback to a server on an 11,000-row extract: every one
// is answered, within a bounded time, and the heap stays bounded (runs
// wait for a slot: Config.MaxRuns). With -v it prints the latencies
// (docs/performance.md; -load.iterations 10000 for the Monte Carlo ones).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	const clients, whatIfs = 20, 50
	s := newTestServer(t, "deck", population(t, extract(t, 11000)), func(c *Config) { c.Log = nil })
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	var mu sync.Mutex
	var latencies []time.Duration
	var failures []string
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 2 * time.Minute}
			for i := range whatIfs {
				share := 60 + (c*whatIfs+i)%30
				body := fmt.Sprintf(`{"set": {"funnel.affected_share": "%d%%", "A.cws_average_damage": "%d"}, "iterations": %d, "seed": %d}`,
					share, 30000+1000*(i%10), *loadIterations, 1+c)
				req, _ := http.NewRequest(http.MethodPost, s.ts.URL+"/api/run", bytes.NewReader([]byte(body)))
				req.Header.Set("Authorization", "Bearer "+s.Token())
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(sessionHeader, fmt.Sprintf("client-%d", c))
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				d := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, d)
				if err != nil {
					failures = append(failures, err.Error())
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	total := time.Since(start)
	close(stop)
	<-sampled
	if len(failures) > 0 {
		t.Errorf("%d of %d what-ifs failed, first: %s", len(failures), clients*whatIfs, failures[0])
	}
	slices.Sort(latencies)
	at := func(p float64) time.Duration { return latencies[int(p*float64(len(latencies)-1))] }
	t.Logf("%d clients × %d what-ifs (%d iterations) in %v: latency p50 %v, p95 %v, max %v; peak heap in use %d MB",
		clients, whatIfs, *loadIterations, total.Round(time.Millisecond), at(0.5).Round(100*time.Microsecond), at(0.95).Round(100*time.Microsecond),
		latencies[len(latencies)-1].Round(time.Millisecond), peak>>20)
	// Bounds far above what the machine needs (a deterministic what-if
	// takes a few ms), so that a loaded machine passes and a server that
	// hangs or piles up runs does not.
	if limit := time.Duration(clients*whatIfs) * (200*time.Millisecond + time.Duration(*loadIterations)*50*time.Microsecond); total > limit {
		t.Errorf("the load took %v, more than %v", total, limit)
	}
	if limit := uint64(1 << 30); peak > limit {
		t.Errorf("peak heap in use %d MB, more than %d MB", peak>>20, limit>>20)
	}
}

// benchmarkWhatIf measures a what-if's round trip on loopback, on the
// 11,000-row extract: POST /api/run, the answer read in full; each
// what-if sets another value (set formats one from i).
func benchmarkWhatIf(b *testing.B, iterations int, set func(i int) string) {
	s := newTestServer(b, "deck", population(b, extract(b, 11000)), func(c *Config) { c.Log = nil; c.MC.Workers = runtime.NumCPU() })
	client := s.ts.Client()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf(`{"set": {%s}, "iterations": %d, "seed": 1}`, set(i), iterations)
		req, _ := http.NewRequest(http.MethodPost, s.ts.URL+"/api/run", bytes.NewReader([]byte(body)))
		req.Header.Set("Authorization", "Bearer "+s.Token())
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(resp.StatusCode, err)
		}
		resp.Body.Close()
	}
}

// damage changes A's CWS damage: variant B per record is the engine's
// cached one.
func damage(i int) string { return fmt.Sprintf(`"A.cws_average_damage": "%d"`, 30000+i%1000) }

// share changes the affected share, which weighs B's amounts: B per
// record is evaluated anew (its cache keeps 16).
func share(i int) string { return fmt.Sprintf(`"funnel.affected_share": "0.%03d"`, 600+i%300) }

// BenchmarkWhatIfDeterministic: the goal is at most 20 ms a round trip.
func BenchmarkWhatIfDeterministic(b *testing.B) { benchmarkWhatIf(b, 0, damage) }

// BenchmarkWhatIfDeterministicB: the same, with variant B per record anew.
func BenchmarkWhatIfDeterministicB(b *testing.B) { benchmarkWhatIf(b, 0, share) }

// BenchmarkWhatIf10k: the goal is at most 60% of the same run as a
// process (raming run --iterations 10000 --json FILE).
func BenchmarkWhatIf10k(b *testing.B) { benchmarkWhatIf(b, 10000, damage) }
