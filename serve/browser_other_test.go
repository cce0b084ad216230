//go:build !unix

package serve

import "os/exec"

// inGroup: without process groups the browser's children are left to it.
func inGroup(*exec.Cmd) {}

// killGroup kills the browser.
func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// groupGone: once the browser is waited for.
func groupGone(*exec.Cmd) bool { return true }
