package atomicfile

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"

	"raming/internal/goroutine"
)

// WriteError is a failure to write an output file (a missing or
// unwritable directory, a full disk, another run writing to the same
// directory): the command's exit code for "cannot write outputs". A failure
// of what produces the content is not one.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string {
	var s *selfExplained
	if errors.As(e.Err, &s) {
		return fmt.Sprintf("cannot write %s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("cannot write %s: %v (does the directory exist, is it writable, is the disk full?)", e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *WriteError) Unwrap() error { return e.Err }

// selfExplained is an error whose message already says what to do, so
// WriteError adds no hint about directories and disks; err is the error
// of the system it explains, if any.
type selfExplained struct {
	msg string
	err error
}

func (e *selfExplained) Error() string { return e.msg }
func (e *selfExplained) Unwrap() error { return e.err }

func explained(format string, args ...any) error {
	return &selfExplained{msg: fmt.Sprintf(format, args...)}
}

// ioWriter remembers the first error of the writer it wraps, so a failing
// content writer can be told apart from a failing disk.
type ioWriter struct {
	w   io.Writer
	err error
}

func (w *ioWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err != nil && w.err == nil {
		w.err = err
	}
	return n, err
}

// File is one output of a run: its path, what writes it, and whether it
// holds data on persons.
type File struct {
	Path  string
	Write func(io.Writer) error
	// Private files (person-level data such as --records) get mode 0600;
	// others 0666 minus the process umask.
	Private bool
}

// prepared is an output written in full to a temporary file beside its
// target, waiting to be committed (renamed over the target) or discarded.
type prepared struct {
	path   string // as given
	target string // path with its symlinks resolved: what is replaced
	tmp    string
	backup string // the target's previous content while committing
	moved  bool   // backup was renamed from the target, not hard-linked
}

// prepare writes f through its Write into a temporary file in the
// target's directory and flushes it to disk. Nothing at the target changes
// until commit. On failure the temporary file is removed. It takes no
// lock: WriteAll does.
func prepare(f File, target string) (_ *prepared, err error) {
	if fi, err := os.Stat(target); err == nil && !fi.Mode().IsRegular() {
		return nil, &WriteError{f.Path, explained("%s is %s, not a regular file; give the path of a file", target, Kind(fi))}
	}
	perm := fs.FileMode(0o666) // minus the umask, applied by the kernel
	if f.Private {
		perm = 0o600
	}
	tmp, err := createTemp(target, perm)
	if err != nil {
		return nil, &WriteError{f.Path, err}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			temps.remove(tmp.Name())
		}
	}()
	w := &ioWriter{w: tmp}
	if err = f.Write(w); err != nil {
		if w.err != nil {
			return nil, &WriteError{f.Path, w.err}
		}
		return nil, err
	}
	if err = tmp.Sync(); err != nil {
		return nil, &WriteError{f.Path, err}
	}
	if err = tmp.Close(); err != nil {
		return nil, &WriteError{f.Path, err}
	}
	return &prepared{path: f.Path, target: target, tmp: tmp.Name()}, nil
}

// createTemp creates a new file .NAME.tmp-RANDOM beside target, with perm
// (the kernel applies the umask), and registers it as temporary.
func createTemp(target string, perm fs.FileMode) (*os.File, error) {
	for range 1000 {
		name := filepath.Join(filepath.Dir(target), fmt.Sprintf(".%s.tmp-%08x", filepath.Base(target), rand.Uint32()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := temps.add(name); err != nil {
			f.Close()
			os.Remove(name)
			return nil, err
		}
		return f, nil
	}
	return nil, fmt.Errorf("no unused temporary name beside %s", target)
}

// discard removes the prepared file; the target stays as it was.
func (p *prepared) discard() { temps.remove(p.tmp) }

// Write writes one file as WriteAll does.
func Write(path string, write func(io.Writer) error) error {
	return WriteAll([]File{{Path: path, Write: write}})
}

// WriteAll writes a run's outputs all or none. It locks every
// output directory against other raming runs (DIR/.raming.lock, removed
// again at the end; waiting up to 10 seconds for another run to finish,
// then failing with a *WriteError), prepares every file in full, side by side (a temporary
// file beside its target, flushed to disk), then renames them over their
// targets. When a rename fails, the targets already replaced get their
// previous content back. A symlinked output is written through: its final
// target is replaced and the link stays. On any failure the existing
// outputs are as they were and no temporary file is left.
func WriteAll(files []File) error {
	targets := make([]string, len(files))
	for i, f := range files {
		t, err := resolve(f.Path)
		if err != nil {
			return &WriteError{f.Path, err}
		}
		for j := range i {
			if targets[j] == t {
				return &PathError{Output: f.Path, Other: files[j].Path}
			}
		}
		targets[i] = t
	}
	unlock, err := lockDirs(files, targets)
	if err != nil {
		return err
	}
	defer unlock()
	ready, errs := make([]*prepared, len(files)), make([]error, len(files))
	goroutine.Parallel(len(files), len(files), func(_, i int) { ready[i], errs[i] = prepare(files[i], targets[i]) })
	if err := cmp.Or(errs...); err != nil {
		for _, p := range ready {
			if p != nil {
				p.discard()
			}
		}
		return err
	}
	return commit(ready)
}

// rename and link are os.Rename and hardLink; tests replace them.
var rename, link = os.Rename, hardLink

// commit renames every prepared file over its target, keeping each
// target's previous content under a temporary name until all succeeded,
// and puts it back if one fails. It holds the registry of temporary files
// throughout, so RemoveTemporaryFiles waits for it to end.
func commit(files []*prepared) error {
	if len(files) == 0 {
		return nil
	}
	temps.mu.Lock()
	defer temps.mu.Unlock()
	if temps.closed {
		for _, p := range files {
			temps.removeLocked(p.tmp)
		}
		return &WriteError{files[0].path, explained("interrupted before the outputs were renamed into place; nothing was changed")}
	}
	for i, p := range files {
		if err := p.replace(); err != nil {
			for j := i - 1; j >= 0; j-- {
				if rerr := files[j].restore(); rerr != nil {
					err = errors.Join(err, rerr)
				}
			}
			for _, q := range files[i:] {
				temps.removeLocked(q.tmp)
			}
			return err
		}
	}
	for _, p := range files {
		if p.backup != "" {
			temps.removeLocked(p.backup)
		}
	}
	syncDirs(files)
	return nil
}

// replace renames the temporary file over the target, first keeping the
// target (a regular file, or none) as backup. On failure the target is as
// it was.
func (p *prepared) replace() error {
	fi, err := os.Lstat(p.target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return &WriteError{p.path, err}
	case !fi.Mode().IsRegular():
		return &WriteError{p.path, explained("%s is now %s, not a regular file: it changed during the run; nothing was changed, remove or rename it and run again", p.target, Kind(fi))}
	default:
		p.backup = p.tmp + ".old"
		if err := link(p.target, p.backup); err != nil { // no hard links here: move it aside
			if err := rename(p.target, p.backup); err != nil {
				p.backup = ""
				return replaceError(p.path, p.target, err)
			}
			p.moved = true
		}
		temps.files[p.backup] = true
	}
	if err := rename(p.tmp, p.target); err != nil {
		werr := replaceError(p.path, p.target, err)
		switch {
		case p.moved:
			if rerr := p.restore(); rerr != nil {
				return errors.Join(werr, rerr)
			}
		case p.backup != "":
			temps.removeLocked(p.backup)
		}
		p.backup = ""
		return werr
	}
	delete(temps.files, p.tmp)
	return nil
}

// restore puts back the target's previous content (or removes a target
// that did not exist before).
func (p *prepared) restore() error {
	if p.backup == "" {
		if err := os.Remove(p.target); err != nil {
			return &WriteError{p.path, explained("could not remove it again after a later output failed: %v; remove it by hand", err)}
		}
		return nil
	}
	if err := rename(p.backup, p.target); err != nil {
		delete(temps.files, p.backup) // keep it: it is the only copy
		return &WriteError{p.path, explained("could not restore the previous version after a later output failed: %v; it is kept as %s", err, p.backup)}
	}
	delete(temps.files, p.backup)
	return nil
}

// syncDirs flushes the renames to disk (best effort: not every file
// system syncs directories).
func syncDirs(files []*prepared) {
	done := map[string]bool{}
	for _, p := range files {
		dir := filepath.Dir(p.target)
		if done[dir] {
			continue
		}
		done[dir] = true
		if d, err := os.Open(dir); err == nil {
			d.Sync()
			d.Close()
		}
	}
}

// temps is the registry of this process's temporary files, backups and
// locks.
var temps = registry{files: map[string]bool{}, locks: map[*dirLock]bool{}}

type registry struct {
	mu     sync.Mutex
	files  map[string]bool
	locks  map[*dirLock]bool
	closed bool // RemoveTemporaryFiles ran: no new temporary files or locks
}

// addLock registers a lock just taken, so that RemoveTemporaryFiles
// removes its file too.
func (r *registry) addLock(l *dirLock) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return explained("interrupted")
	}
	r.locks[l] = true
	return nil
}

// removeLock removes a lock's file, unless RemoveTemporaryFiles did
// already (after which another run may have made a new one by that name).
func (r *registry) removeLock(l *dirLock) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.locks[l] {
		l.remove()
		delete(r.locks, l)
	}
}

func (r *registry) add(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return explained("interrupted")
	}
	r.files[name] = true
	return nil
}

func (r *registry) remove(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removeLocked(name)
}

func (r *registry) removeLocked(name string) {
	os.Remove(name)
	delete(r.files, name)
}

// RemoveTemporaryFiles removes every temporary file, backup and lock
// file this process has alive, after waiting for a commit under way to
// finish (so the outputs are all old or all new). Call it only on the way
// out, from a signal handler: afterwards no output can be written. The
// locks themselves end with the process.
func RemoveTemporaryFiles() {
	temps.mu.Lock()
	defer temps.mu.Unlock()
	temps.closed = true
	for name := range temps.files {
		temps.removeLocked(name)
	}
	for l := range temps.locks {
		l.remove()
		delete(temps.locks, l)
	}
}

// resolve returns the file a write through path replaces: path made
// absolute, with its directory's symlinks resolved and a symlink at its
// end followed (also when it dangles), so a link stays a link and its
// target gets the new content. The directory must exist.
func resolve(path string) (string, error) {
	p, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	for range 255 {
		dir, err := filepath.EvalSymlinks(filepath.Dir(p))
		if err != nil {
			return "", err
		}
		p = filepath.Join(dir, filepath.Base(p))
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(dir, link)
		}
		p = link
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// Kind names what a file that is not a regular file is ("a directory").
func Kind(fi fs.FileInfo) string {
	m := fi.Mode()
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}
