//go:build unix

package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// dirLock is a directory locked against other raming runs: flock(2) on
// its lock file, which this run removes again while it still holds it.
type dirLock struct {
	f    *os.File
	name string
}

// lockDir locks dir: an advisory lock (flock) on DIR/.raming.lock, created
// if need be and never through a symbolic link (O_NOFOLLOW), waiting up to
// lockWait. The holder removes the file before it lets go, so a run that
// got the lock on a file no longer at that name (its holder removed it)
// starts over on the one there now.
func lockDir(dir string) (*dirLock, error) {
	name := filepath.Join(dir, lockName)
	deadline := time.Now().Add(lockWait)
	for {
		f, err := openLock(name, dir)
		if err != nil {
			return nil, err
		}
		if err := flock(f, name, deadline); err != nil {
			f.Close()
			return nil, err
		}
		fi, err1 := f.Stat()
		now, err2 := os.Lstat(name)
		if err1 == nil && err2 == nil && os.SameFile(fi, now) {
			l := &dirLock{f: f, name: name}
			if err := temps.addLock(l); err != nil { // interrupted: let go at once
				l.remove()
				f.Close()
				return nil, err
			}
			return l, nil
		}
		f.Close() // its holder removed it: take the one there now
		if time.Now().After(deadline) {
			return nil, busy(dir)
		}
	}
}

// openLock opens (or creates) the lock file, refusing a symbolic link.
func openLock(name, dir string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW, 0o666)
	if errors.Is(err, fs.ErrPermission) { // another user's lock file, or a directory we cannot write
		if g, err2 := os.OpenFile(name, os.O_RDONLY|unix.O_NOFOLLOW, 0); err2 == nil {
			f, err = g, nil
		}
	}
	if err != nil {
		if fi, lerr := os.Lstat(name); lerr == nil && !fi.Mode().IsRegular() {
			return nil, notALockFile(name, Kind(fi))
		}
		if errors.Is(err, fs.ErrPermission) {
			return nil, explained("cannot write in %s (permission denied): choose a directory you may write to", dir)
		}
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() { // a FIFO or a device by that name
		f.Close()
		return nil, notALockFile(name, Kind(fi))
	}
	return f, nil
}

// flock takes an exclusive flock on f, polling until deadline.
func flock(f *os.File, name string, deadline time.Time) error {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case err == unix.EINTR:
			continue
		case err == unix.EWOULDBLOCK && time.Now().Before(deadline):
			time.Sleep(20 * time.Millisecond)
			continue
		case err == unix.EWOULDBLOCK:
			return busy(filepath.Dir(name))
		}
		return fmt.Errorf("cannot lock %s: %w", name, err)
	}
}

// unlock removes the lock file, while still holding it, and lets go.
func (l *dirLock) unlock() {
	temps.removeLock(l)
	l.f.Close() // releases the lock
}

// remove removes the lock file if it is still the one this run locked.
// Call it only while holding the lock.
func (l *dirLock) remove() {
	fi, err1 := l.f.Stat()
	now, err2 := os.Lstat(l.name)
	if err1 == nil && err2 == nil && os.SameFile(fi, now) {
		os.Remove(l.name)
	}
}

// checkWritable refuses a directory the process may not write in
// (permission denied or a read-only file system), before any work.
func checkWritable(dir string) error {
	if err := unix.Access(dir, unix.W_OK); errors.Is(err, unix.EACCES) || errors.Is(err, unix.EROFS) {
		return explained("cannot write in %s (permission denied or read-only): choose a directory you may write to", dir)
	}
	return nil
}

// hardLink is os.Link: a backup of the previous output that leaves it in
// place until the new one is renamed over it.
var hardLink = os.Link

// replaceError is the error of renaming an output into place.
func replaceError(path, _ string, err error) error { return &WriteError{path, err} }
