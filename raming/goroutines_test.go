package raming

import (
	"runtime"
	"strings"
	"testing"
)

// A panic in a worker comes back on the caller's goroutine, where the
// command's handler can catch it, with where it happened in the worker.
func TestWorkerPanicReachesTheCaller(t *testing.T) {
	defer func() {
		w, ok := recover().(*WorkerPanic)
		if !ok || w.Value != "boom" {
			t.Fatalf("recovered %v, want the worker's panic", w)
		}
		found := false
		frames := runtime.CallersFrames(w.PCs)
		for {
			f, more := frames.Next()
			found = found || strings.Contains(f.Function, "TestWorkerPanicReachesTheCaller.func")
			if !more {
				break
			}
		}
		if !found || len(w.Stack) == 0 {
			t.Errorf("the worker's frames are not in the carried panic (stack %d bytes)", len(w.Stack))
		}
	}()
	parallel(2, 100, func(_, i int) {
		if i == 37 {
			panic("boom")
		}
	})
	t.Fatal("parallel returned after a worker panicked")
}
