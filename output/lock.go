package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// lockName is the lock file raming keeps in every directory it writes
// outputs to. It stays there, empty; removing it while no run is writing
// is harmless.
const lockName = ".raming.lock"

// lockWait is how long a run waits for another run to finish writing to
// the same directory before it gives up.
var lockWait = 10 * time.Second

// lockDirs takes an advisory lock (flock(2)) on the directory of every
// target, in one order for every run, and returns what releases them. It
// fails with a *WriteError naming the other run when a lock stays taken
// for lockWait. The kernel releases the locks when the process ends,
// however it ends.
func lockDirs(files []OutputFile, targets []string) (unlock func(), err error) {
	output := map[string]string{} // directory → an output in it, for messages
	var dirs []string
	for i, t := range targets {
		d := filepath.Dir(t)
		if _, ok := output[d]; !ok {
			output[d] = files[i].Path
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs) // the same order in every run: no deadlock
	var held []*os.File
	unlock = func() {
		for _, f := range held {
			f.Close() // releases the lock
		}
	}
	for _, d := range dirs {
		f, err := lockDir(d)
		if err != nil {
			unlock()
			return nil, &WriteError{output[d], err}
		}
		held = append(held, f)
	}
	return unlock, nil
}

// lockDir locks dir/.raming.lock, waiting up to lockWait.
func lockDir(dir string) (*os.File, error) {
	name := filepath.Join(dir, lockName)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o666)
	if errors.Is(err, fs.ErrPermission) { // another user's lock file, or a directory we cannot write
		if g, err2 := os.Open(name); err2 == nil {
			f, err = g, nil
		}
	}
	if errors.Is(err, fs.ErrPermission) {
		return nil, explained("cannot write in %s (permission denied): choose a directory you may write to", dir)
	}
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return f, nil
		case err == syscall.EINTR:
			continue
		case err == syscall.EWOULDBLOCK && time.Now().Before(deadline):
			time.Sleep(20 * time.Millisecond)
			continue
		}
		f.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, explained("another raming run is writing to %s (lock %s); try again when it has finished (waited %v)", dir, name, lockWait)
		}
		return nil, fmt.Errorf("cannot lock %s: %w", name, err)
	}
}
