//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCheckPathsRefusesNonRegularOutputs: a directory, /dev/null, a FIFO,
// a socket, or a symlink to one of them, is not an output.
func TestCheckPathsRefusesNonRegularOutputs(t *testing.T) {
	dir := t.TempDir()
	fifo, sock, link := filepath.Join(dir, "fifo"), filepath.Join(dir, "sock"), filepath.Join(dir, "link.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	for out, kind := range map[string]string{dir: "a directory", "/dev/null": "a character device",
		fifo: "a named pipe (FIFO)", sock: "a socket", link: "a directory"} {
		err := CheckPaths([]string{out}, nil)
		var pe *PathError
		if !errors.As(err, &pe) || pe.Kind != kind {
			t.Errorf("%s: got %v, want a *PathError: %s", out, err, kind)
		}
	}
}

// TestFileModes: a private file is 0600 whatever the umask; others are
// 0666 minus the umask, so under umask 077 nothing is world-readable.
func TestFileModes(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	for _, c := range []struct {
		umask          int
		public, privat fs.FileMode
	}{{0o022, 0o644, 0o600}, {0o077, 0o600, 0o600}, {0o002, 0o664, 0o600}} {
		syscall.Umask(c.umask)
		dir := t.TempDir()
		pub, priv := filepath.Join(dir, "raming.json"), filepath.Join(dir, "records.csv")
		mustWrite(t, priv, "world-readable before") // an existing file's mode is not kept
		os.Chmod(priv, 0o644)
		if err := WriteAll([]File{{Path: pub, Write: writeString("{}")}, {Path: priv, Write: writeString("bsn"), Private: true}}); err != nil {
			t.Fatal(err)
		}
		for p, want := range map[string]fs.FileMode{pub: c.public, priv: c.privat} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != want {
				t.Errorf("umask %03o: %s has mode %v, want %v", c.umask, filepath.Base(p), fi.Mode().Perm(), want)
			}
		}
	}
}

// TestInterruptRemovesLockFile: RemoveTemporaryFiles (a signal) removes
// the lock file of a directory being written (on Windows, Windows does
// when the process ends); the run's own unlock
// afterwards leaves alone a lock file another run made meanwhile.
func TestInterruptRemovesLockFile(t *testing.T) {
	defer func() { temps.closed = false }()
	dir := t.TempDir()
	l, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	RemoveTemporaryFiles()
	name := filepath.Join(dir, lockName)
	if _, err := os.Lstat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the lock file is still there: %v", err)
	}
	mustWrite(t, name, "") // another run's
	l.unlock()
	if _, err := os.Lstat(name); err != nil {
		t.Errorf("another run's lock file was removed: %v", err)
	}
}
