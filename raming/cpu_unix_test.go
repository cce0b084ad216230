//go:build unix

package raming

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used (user and system, every
// thread): on a machine shared with other work, its difference is a truer
// cost of an operation than the wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
