package goroutine

import (
	"runtime"
	"strings"
	"testing"
)

// A panic in a goroutine comes back on the caller's goroutine, where the
// command's handler can catch it, with where it happened in the goroutine,
// also from goroutines started by goroutines (the outputs written side by
// side compress their parts side by side).
func TestPanicReachesTheCaller(t *testing.T) {
	for name, run := range map[string]func(){
		"one level": func() { Parallel(2, 100, boomAt37) },
		"nested": func() {
			Parallel(2, 3, func(_, i int) {
				if i == 1 {
					Parallel(2, 100, boomAt37)
				}
			})
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				p, ok := recover().(*Panic)
				if !ok || p.Value != "boom" {
					t.Fatalf("recovered %v, want the goroutine's panic", p)
				}
				found := false
				frames := runtime.CallersFrames(p.PCs)
				for {
					f, more := frames.Next()
					found = found || strings.HasSuffix(f.Function, "goroutine.boomAt37")
					if !more {
						break
					}
				}
				if !found || len(p.Stack) == 0 {
					t.Errorf("the panicking function is not in the carried panic (stack %d bytes)", len(p.Stack))
				}
			}()
			run()
			t.Fatal("Parallel returned after a goroutine panicked")
		})
	}
}

func boomAt37(_, i int) {
	if i == 37 {
		panic("boom")
	}
}

// Every job runs once, each on a goroutine numbered below workers.
func TestParallelRunsEveryJobOnce(t *testing.T) {
	for _, workers := range []int{0, 1, 3, 100} {
		runs := make([]int, 50)
		bad := make([]bool, 50)
		Parallel(workers, len(runs), func(w, i int) {
			runs[i]++
			bad[i] = w < 0 || w >= max(1, workers)
		})
		for i := range runs {
			if runs[i] != 1 || bad[i] {
				t.Errorf("workers %d: job %d ran %d times (worker out of range: %v)", workers, i, runs[i], bad[i])
			}
		}
	}
}
