package raming

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// panicked carries a panic out of the goroutines the model starts, so
// that the goroutine's starter panics again with it on its own
// goroutine, where the command's last-resort handler (one line, exit 1)
// sees it, instead of the process dying with a stack trace.
type panicked struct {
	once sync.Once
	p    *WorkerPanic
}

// WorkerPanic is a panic in one of the model's worker goroutines, carried
// to the goroutine that started it: the value, the call stack where it
// happened (PCs, as runtime.Callers gives it, from the deferred recover)
// and that goroutine's stack as text.
type WorkerPanic struct {
	Value any
	PCs   []uintptr
	Stack []byte
}

func (w *WorkerPanic) String() string { return fmt.Sprint(w.Value) }

// catch, deferred first in a goroutine, keeps the first panic.
func (p *panicked) catch() {
	if r := recover(); r != nil {
		pcs := make([]uintptr, 64)
		pcs = pcs[:runtime.Callers(1, pcs)]
		p.once.Do(func() { p.p = &WorkerPanic{Value: r, PCs: pcs, Stack: debug.Stack()} })
	}
}

// rethrow panics with the kept panic, after the goroutines are done.
func (p *panicked) rethrow() {
	if p.p != nil {
		panic(p.p)
	}
}
