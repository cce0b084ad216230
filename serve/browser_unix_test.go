//go:build unix

package serve

import (
	"errors"
	"os/exec"
	"syscall"
)

// inGroup makes the browser start a process group of its own, so that
// its children (zygote, renderer, GPU) stop with it.
func inGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killGroup kills every process of the browser's group.
func killGroup(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }

// groupGone reports whether no process of the browser's group is left.
func groupGone(cmd *exec.Cmd) bool {
	return errors.Is(syscall.Kill(-cmd.Process.Pid, 0), syscall.ESRCH)
}
