// Package baseline finds and reads the JSON summary of an earlier run that
// `raming run --baseline` compares with: a file named on the command line,
// or the newest summary that `raming run --out-dir` left in a directory.
// The summary's format is output's (output.ReadSummary); this package
// knows where summaries are.
package baseline

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"raming/internal/atomicfile"
	"raming/internal/bsn"
	"raming/output"
	"raming/raming"
)

// Error is a --baseline that cannot be read as a summary: refused input,
// as an unreadable extract is.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return bsn.MaskText(fmt.Sprintf("baseline %s: %v", e.Path, e.Err)) }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Read reads the summary in the file at path (at most 64 MB). Previous.File
// names it with any number in its path that could be a BSN masked
// (bsn.MaskText), as the outputs show it.
func Read(path string) (*raming.Previous, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{path, err}
	}
	defer f.Close()
	p, err := output.ReadSummary(f)
	if err != nil {
		return nil, &Error{path, err}
	}
	p.File = bsn.MaskText(path)
	return p, nil
}

// datedSummary is the name of the summary `raming run --out-dir` writes:
// raming-YYYY-MM-DD.json.
var datedSummary = regexp.MustCompile(`^raming-(\d{4}-\d{2}-\d{2})\.json$`)

// Latest reads the newest summary an earlier `raming run --out-dir` left
// in dir: of the files named raming-YYYY-MM-DD.json dated before day
// (YYYY-MM-DD), the latest by that date that is a regular file Read
// accepts. The files it passed over (a failed night writes none, but a
// file may have been damaged or put there by hand) are in skipped, each
// an *Error, and in the summary's Previous.PassedOver, for the
// comparison's note. Without any such file it returns nil and no error:
// the first night. A directory that cannot be read is an *Error.
func Latest(dir, day string) (prev *raming.Previous, skipped []error, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, &Error{dir, err}
	}
	var names []string
	for _, e := range entries {
		m := datedSummary.FindStringSubmatch(e.Name())
		if m == nil || m[1] >= day {
			continue
		}
		if _, err := time.Parse(time.DateOnly, m[1]); err == nil {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names) // by date: the names differ in nothing else
	for _, name := range slices.Backward(names) {
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		switch {
		case err != nil:
			skipped = append(skipped, &Error{path, err})
		case !fi.Mode().IsRegular():
			skipped = append(skipped, &Error{path, fmt.Errorf("%s, not a regular file", atomicfile.Kind(fi))})
		default:
			if prev, err = Read(path); err == nil {
				prev.PassedOver = skipped
				return prev, skipped, nil
			}
			skipped = append(skipped, err)
		}
	}
	return nil, skipped, nil
}
