package main

import (
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"raming/internal/atomicfile"
)

// removeTempsOnSignal makes SIGINT and SIGTERM remove the temporary files
// of outputs being written and exit with 128 + the signal's number (130,
// 143), as a shell reports a process killed by it. A commit under way
// finishes first, so the outputs are all old or all new; a second signal
// exits at once. Call stop before exiting normally: it removes the
// temporary files still there (a panicking command leaves its own); if a
// signal is being handled by then, stop does not return and the process
// exits with the signal's code.
//
// SIGPIPE is ignored: a write to a closed pipe (raming run --json - |
// head) then fails with an error, and the run exits 5 as for any output it
// could not write, instead of being killed with 141.
func removeTempsOnSignal() (stop func()) {
	signal.Ignore(syscall.SIGPIPE)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	var handled atomic.Bool // by the signal handler or by stop, whichever first
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			if !handled.CompareAndSwap(false, true) {
				return
			}
			code := 128 + int(sig.(syscall.Signal))
			go func() { <-sigs; os.Exit(code) }()
			atomicfile.RemoveTemporaryFiles()
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		if !handled.CompareAndSwap(false, true) {
			select {} // the handler is exiting
		}
		signal.Stop(sigs)
		close(done)
		atomicfile.RemoveTemporaryFiles()
	}
}
