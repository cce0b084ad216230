//go:build windows

package atomicfile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/windows"
)

// dirLock is a directory locked against other raming runs: its lock file
// held open without sharing, which Windows deletes when it is closed.
type dirLock struct {
	f    *os.File
	name string
}

// lockDir locks dir: DIR\.raming.lock opened with no sharing at all, so
// another run's open fails until this run closes it, and with
// FILE_FLAG_DELETE_ON_CLOSE, so Windows removes the file when this run
// closes it or ends, however it ends. A symbolic link by that name is
// refused and never followed (FILE_FLAG_OPEN_REPARSE_POINT). It waits up
// to lockWait.
func lockDir(dir string) (*dirLock, error) {
	name := filepath.Join(dir, lockName)
	if fi, err := os.Lstat(name); err == nil && !fi.Mode().IsRegular() {
		return nil, notALockFile(name, Kind(fi))
	}
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockWait)
	for {
		h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE|windows.DELETE, 0, nil, windows.OPEN_ALWAYS,
			windows.FILE_ATTRIBUTE_HIDDEN|windows.FILE_ATTRIBUTE_TEMPORARY|windows.FILE_FLAG_DELETE_ON_CLOSE|windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
		if err == nil {
			l := &dirLock{f: os.NewFile(uintptr(h), name), name: name}
			if err := temps.addLock(l); err != nil { // interrupted: let go at once
				l.f.Close()
				return nil, err
			}
			return l, nil
		}
		// Held by another run; or, with access denied, being deleted by
		// the run that just let go of it, or a directory we may not write in.
		_, exists := os.Lstat(name)
		held := errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_ACCESS_DENIED) && exists == nil
		switch {
		case held && time.Now().Before(deadline):
			time.Sleep(20 * time.Millisecond)
		case held:
			return nil, busy(dir)
		case errors.Is(err, windows.ERROR_ACCESS_DENIED):
			return nil, explained("cannot write in %s (permission denied): choose a directory you may write to", dir)
		default:
			return nil, fmt.Errorf("cannot lock %s: %w", name, err)
		}
	}
}

// unlock lets go of the lock; Windows removes the lock file.
func (l *dirLock) unlock() {
	temps.removeLock(l)
	l.f.Close()
}

// remove does nothing: Windows removes the lock file when it is closed.
func (l *dirLock) remove() {}

// checkWritable refuses a directory the process may not write in
// (permission denied or write-protected), before any work. Windows has no
// access(2): it creates a hidden file there that Windows deletes as soon
// as it is closed.
func checkWritable(dir string) error {
	name := filepath.Join(dir, fmt.Sprintf(".raming-check-%08x", rand.Uint32()))
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil
	}
	h, err := windows.CreateFile(p, windows.GENERIC_WRITE|windows.DELETE, 0, nil, windows.CREATE_NEW,
		windows.FILE_ATTRIBUTE_HIDDEN|windows.FILE_ATTRIBUTE_TEMPORARY|windows.FILE_FLAG_DELETE_ON_CLOSE, 0)
	if err == nil {
		windows.CloseHandle(h)
		return nil
	}
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_WRITE_PROTECT) {
		return explained("cannot write in %s (permission denied or read-only): choose a directory you may write to", dir)
	}
	return nil // anything else shows when the outputs are written
}

// hardLink makes no hard links on Windows: a link to a workbook open in
// Excel could be made but not removed again (Excel does not share
// deletion), so the previous output is moved aside instead, which fails
// at once, with nothing changed, when a program holds it open.
func hardLink(string, string) error { return errors.ErrUnsupported }

// replaceError is the error of renaming an output into place. Windows
// refuses to replace (or move aside) a file another program holds open,
// as Excel does with a workbook it shows: that is said in so many words.
// The output's previous version is kept as it was (replace and commit put
// it back and remove the temporary file).
func replaceError(path, target string, err error) error {
	if errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		base := filepath.Base(target)
		return &WriteError{path, &selfExplained{err: err,
			msg: fmt.Sprintf("%s is open in another program or read-only: close %s in Excel and run again (nothing was changed)", base, base)}}
	}
	return &WriteError{path, err}
}
