// Package goroutine carries a panic out of the goroutines a function
// starts, so that the function panics again with it on its own goroutine,
// where the command's last-resort handler (one line, exit 1) sees it,
// instead of the process dying with a stack trace.
package goroutine

import (
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Panic is a panic in a goroutine, carried to the goroutine that started
// it: the value, the call stack where it happened (PCs, as runtime.Callers
// gives it, from the deferred recover) and that goroutine's stack as text.
type Panic struct {
	Value any
	PCs   []uintptr
	Stack []byte
}

func (p *Panic) String() string { return fmt.Sprint(p.Value) }

// Recovered is a value v recovered from a panic, with where it happened:
// call it in the deferred function that recovered v. A panic carried out
// of goroutines (a *Panic) is kept as it is, with where it happened there.
func Recovered(v any) *Panic {
	if p, ok := v.(*Panic); ok {
		return p
	}
	pcs := make([]uintptr, 64)
	return &Panic{Value: v, PCs: pcs[:runtime.Callers(1, pcs)], Stack: debug.Stack()}
}

// Site is the function, file and line that panicked: the first frame
// outside the runtime below runtime.gopanic.
func (p *Panic) Site() string {
	frames := runtime.CallersFrames(p.PCs)
	panicking := false
	for {
		f, more := frames.Next()
		if panicking && !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf("%s, %s:%d", f.Function, filepath.Base(f.File), f.Line)
		}
		panicking = panicking || f.Function == "runtime.gopanic"
		if !more {
			return "unknown"
		}
	}
}

// Carrier keeps the first panic of a group of goroutines. The zero value
// is ready; each goroutine defers Catch first, and the starter calls
// Rethrow after they are done.
type Carrier struct {
	once sync.Once
	p    *Panic
}

// Catch, deferred first in a goroutine, keeps the first panic. A panic
// carried out of goroutines this one started is kept as it is, with where
// it happened there.
func (c *Carrier) Catch() {
	if r := recover(); r != nil {
		p := Recovered(r)
		c.once.Do(func() { c.p = p })
	}
}

// Rethrow panics with the kept panic, if any, after the goroutines are
// done.
func (c *Carrier) Rethrow() {
	if c.p != nil {
		panic(c.p)
	}
}

// Parallel runs job(w, i) for every i in [0, n) on at most workers
// goroutines and waits for them; w (0 ≤ w < workers) numbers the
// goroutine, for its own buffers. A panic in a job comes back as a
// *Panic, after the other goroutines are done.
func Parallel(workers, n int, job func(w, i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	var c Carrier
	for w := 0; w < max(1, min(workers, n)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				for range next { // after a panic: drain, so that the sender never blocks
				}
			}()
			defer c.Catch()
			for i := range next {
				job(w, i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	c.Rethrow()
}
