package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteError is a failure to write an output file (a missing or
// unwritable directory, a full disk): the command's exit code for "cannot
// write outputs". A failure of what produces the content is not one.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("cannot write %s: %v (does the directory exist, is it writable, is the disk full?)", e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *WriteError) Unwrap() error { return e.Err }

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

// PreparedFile is an output written in full to a temporary file beside its
// target, waiting to be committed (renamed over the target) or discarded.
type PreparedFile struct {
	tmp, path string
}

// PrepareFile writes a file through write into a temporary file in the
// target's directory and flushes it to disk. Nothing at path changes until
// Commit. On failure the temporary file is removed.
func PrepareFile(path string, write func(io.Writer) error) (_ *PreparedFile, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, &WriteError{path, err}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := &ioWriter{w: tmp}
	if err = write(w); err != nil {
		if w.err != nil {
			return nil, &WriteError{path, w.err}
		}
		return nil, err
	}
	if err = tmp.Sync(); err != nil {
		return nil, &WriteError{path, err}
	}
	if err = tmp.Close(); err != nil {
		return nil, &WriteError{path, err}
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return nil, &WriteError{path, err}
	}
	return &PreparedFile{tmp: tmp.Name(), path: path}, nil
}

// Commit renames the prepared file over its target.
func (p *PreparedFile) Commit() error {
	if err := os.Rename(p.tmp, p.path); err != nil {
		os.Remove(p.tmp)
		return &WriteError{p.path, err}
	}
	return nil
}

// Discard removes the prepared file; the target stays as it was.
func (p *PreparedFile) Discard() { os.Remove(p.tmp) }

// WriteFileAtomic writes a file atomically: the data goes to a temporary
// file in the target's directory, which is renamed over the target only
// once write and the flush to disk succeed. On any failure the existing
// target is untouched and the temporary file is removed, so a failed
// nightly run never leaves a half-written workbook.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	p, err := PrepareFile(path, write)
	if err != nil {
		return err
	}
	return p.Commit()
}

// OutputFile is one file of a run: its path and what writes it.
type OutputFile struct {
	Path  string
	Write func(io.Writer) error
}

// WriteFilesAtomic prepares every file first, in order, and renames them
// only when all were written, so a run that fails while writing any of them
// leaves every existing output untouched.
func WriteFilesAtomic(files []OutputFile) error {
	var prepared []*PreparedFile
	for _, f := range files {
		p, err := PrepareFile(f.Path, f.Write)
		if err != nil {
			for _, q := range prepared {
				q.Discard()
			}
			return err
		}
		prepared = append(prepared, p)
	}
	var errs []error
	for _, p := range prepared {
		errs = append(errs, p.Commit())
	}
	return errors.Join(errs...)
}
