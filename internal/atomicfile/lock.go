package atomicfile

import (
	"path/filepath"
	"slices"
	"time"
)

// lockName is the lock file raming keeps in a directory while it writes
// outputs there. It is removed again when the outputs are written: a run
// leaves nothing in the directory but its outputs (after a crash or kill -9
// it may stay; the next run removes it).
const lockName = ".raming.lock"

// lockWait is how long a run waits for another run to finish writing to
// the same directory before it gives up.
var lockWait = 10 * time.Second

// lockDirs locks the directory of every target (lockDir), in one order for
// every run, and returns what releases them. It fails with a *WriteError
// naming the other run when a lock stays taken for lockWait. The operating
// system releases the locks when the process ends, however it ends.
func lockDirs(files []File, targets []string) (unlock func(), err error) {
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
	var held []*dirLock
	unlock = func() {
		for _, l := range slices.Backward(held) {
			l.unlock()
		}
	}
	for _, d := range dirs {
		l, err := lockDir(d)
		if err != nil {
			unlock()
			return nil, &WriteError{output[d], err}
		}
		held = append(held, l)
	}
	return unlock, nil
}

// busy is the error of a directory another run keeps locked.
func busy(dir string) error {
	return explained("another raming run is writing to %s (lock %s); try again when it has finished (waited %v)", dir, filepath.Join(dir, lockName), lockWait)
}

// notALockFile is the error of a lock file that is a symbolic link (or
// another kind of file): raming never follows it out of the directory.
func notALockFile(name, kind string) error {
	return explained("%s is %s, not raming's lock file; raming does not follow it: remove it and run again", name, kind)
}
