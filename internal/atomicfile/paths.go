package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// PathError is an output path refused before any work is done: the same
// file as an input or as another output, or not a regular file (a
// directory, a device such as /dev/null, a FIFO, a socket). It is a usage
// error: the command line must change.
type PathError struct {
	Output string // the output path as given
	Other  string // the input or other output that is the same file; "" if none
	Input  bool   // Other is an input
	Target string // what Output resolves to, when that is not Output itself
	Kind   string // what Output is when it is not a regular file ("a directory")
}

func (e *PathError) Error() string {
	out := e.Output
	if e.Target != "" {
		out = fmt.Sprintf("%s (which is %s)", e.Output, e.Target)
	}
	switch {
	case e.Other != "" && e.Input:
		return fmt.Sprintf("output %s is the same file as input %s: writing it would destroy the input; give the output another path", out, e.Other)
	case e.Other != "":
		return fmt.Sprintf("outputs %s and %s are the same file: give each output its own path", e.Other, out)
	case e.Kind == "a character device":
		return fmt.Sprintf("output %s is %s, not a regular file: give the path of a file to write (to skip an output, leave its flag out)", out, e.Kind)
	}
	return fmt.Sprintf("output %s is %s, not a regular file: give the path of a file to write", out, e.Kind)
}

// CheckPaths refuses, with a *PathError, outputs that would overwrite an
// input or another output, and outputs whose existing target (after
// symlinks) is not a regular file. Two paths are the same file when they
// resolve to the same absolute path (symlinks followed, also dangling
// ones) or, for files that exist, are the same inode (a hard link). Empty
// paths and "-" (stdin, stdout) are skipped. An output whose directory is
// missing is a *WriteError. Call it before any work, with every output and
// every file the command reads.
func CheckPaths(outputs []string, inputs []string) error {
	type file struct {
		path, target string
		info         fs.FileInfo // nil if it does not exist
	}
	describe := func(path string) (file, error) {
		f := file{path: path}
		f.info, _ = os.Stat(path)
		var err error
		if f.target, err = resolve(path); err != nil { // a missing directory
			f.target, _ = filepath.Abs(path)
		}
		return f, err
	}
	same := func(a, b file) bool {
		return a.target == b.target || a.info != nil && b.info != nil && os.SameFile(a.info, b.info)
	}
	var ins, outs []file
	for _, p := range inputs {
		if p != "" && p != "-" {
			in, _ := describe(p)
			ins = append(ins, in)
		}
	}
	for _, p := range outputs {
		if p == "" || p == "-" {
			continue
		}
		o, err := describe(p)
		if err != nil {
			return &WriteError{p, err}
		}
		// A directory we may not write in is refused before any work, not
		// after the estimate.
		if err := checkWritable(filepath.Dir(o.target)); err != nil {
			return &WriteError{p, err}
		}
		e := &PathError{Output: p}
		if abs, _ := filepath.Abs(p); abs != o.target {
			e.Target = o.target
		}
		if o.info != nil && !o.info.Mode().IsRegular() {
			e.Kind = Kind(o.info)
			return e
		}
		for _, in := range ins {
			if same(o, in) {
				e.Other, e.Input = in.path, true
				return e
			}
		}
		for _, prev := range outs {
			if same(o, prev) {
				e.Other = prev.path
				return e
			}
		}
		outs = append(outs, o)
	}
	return nil
}
