package raming

import "sync"

// panicked carries a panic out of the goroutines the model starts, so
// that the goroutine's starter panics again with it on its own
// goroutine, where the command's last-resort handler (one line, exit 1)
// sees it, instead of the process dying with a stack trace.
type panicked struct {
	once  sync.Once
	value any
	set   bool
}

// catch, deferred first in a goroutine, keeps the first panic.
func (p *panicked) catch() {
	if r := recover(); r != nil {
		p.once.Do(func() { p.value, p.set = r, true })
	}
}

// rethrow panics with the kept value, after the goroutines are done.
func (p *panicked) rethrow() {
	if p.set {
		panic(p.value)
	}
}
