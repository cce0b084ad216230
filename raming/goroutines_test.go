package raming

import "testing"

// A panic in a worker comes back on the caller's goroutine, where the
// command's handler can catch it, instead of killing the process.
func TestWorkerPanicReachesTheCaller(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want the worker's panic", r)
		}
	}()
	parallel(2, 100, func(_, i int) {
		if i == 37 {
			panic("boom")
		}
	})
	t.Fatal("parallel returned after a worker panicked")
}
