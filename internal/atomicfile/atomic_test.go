package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeString is a File's Write that writes s.
func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// mustWrite writes a file for a test's setup.
func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// wantContent checks a file's content.
func wantContent(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("%s: got %q (%v), want %q", filepath.Base(path), got, err, want)
	}
}

// noTemporaryFiles checks that dir holds no temporary file or backup.
func noTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// TestFailedWriteLeavesOldFiles: a run that fails after writing began
// leaves the existing outputs as they were and no temporary files.
func TestFailedWriteLeavesOldFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "raming.xlsx"), filepath.Join(dir, "raming.json")
	for _, p := range []string{a, b} {
		mustWrite(t, p, "last night")
	}
	boom := errors.New("disk full")
	err := WriteAll([]File{
		{Path: a, Write: writeString("tonight")},
		{Path: b, Write: func(w io.Writer) error { io.WriteString(w, "half a summ"); return boom }},
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the write's error", err)
	}
	for _, p := range []string{a, b} {
		wantContent(t, p, "last night")
	}
	noTemporaryFiles(t, dir)
}

func TestWriteReplaces(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.json")
	mustWrite(t, p, "old")
	if err := Write(p, writeString("new")); err != nil {
		t.Fatal(err)
	}
	wantContent(t, p, "new")
}

// TestCheckPathsRefusesOutputOverInput: an output that is an input, by
// another spelling, a symlink or a hard link, is refused before any work.
func TestCheckPathsRefusesOutputOverInput(t *testing.T) {
	dir := t.TempDir()
	pop := filepath.Join(dir, "pop.csv")
	mustWrite(t, pop, "id\n1\n")
	symlink, hardlink := filepath.Join(dir, "link.json"), filepath.Join(dir, "hard.json")
	if err := os.Symlink("pop.csv", symlink); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(pop, hardlink); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{pop, filepath.Join(dir, "sub", "..", "pop.csv"), symlink, hardlink} {
		os.Mkdir(filepath.Join(dir, "sub"), 0o755)
		err := CheckPaths([]string{filepath.Join(dir, "x.xlsx"), out}, []string{"scenario.toml", pop})
		var pe *PathError
		if !errors.As(err, &pe) || !pe.Input || pe.Output != out || pe.Other != pop {
			t.Errorf("%s: got %#v, want a *PathError naming the output and the input", out, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, out) || !strings.Contains(msg, pop) || !strings.Contains(msg, "give the output another path") {
			t.Errorf("message %q should name both paths and say what to do", msg)
		}
	}
}

// TestCheckPathsRefusesTheSameOutputTwice: two outputs that are one file
// (also through a dangling symlink) are refused.
func TestCheckPathsRefusesTheSameOutputTwice(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "raming.json")
	link := filepath.Join(dir, "records.csv")
	if err := os.Symlink("raming.json", link); err != nil { // dangles: raming.json does not exist yet
		t.Fatal(err)
	}
	for _, second := range []string{out, dir + "/./raming.json", link} {
		err := CheckPaths([]string{out, second}, nil)
		var pe *PathError
		if !errors.As(err, &pe) || pe.Input || pe.Other != out {
			t.Errorf("%s: got %v, want a *PathError for two outputs", second, err)
		}
	}
	// WriteAll refuses them too, before writing anything.
	err := WriteAll([]File{{Path: out, Write: writeString("a")}, {Path: link, Write: writeString("b")}})
	var pe *PathError
	if !errors.As(err, &pe) {
		t.Errorf("WriteAll: got %v, want a *PathError", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output was written")
	}
}

// TestCheckPathsAcceptsDistinctFiles: distinct files, stdout ("-") and
// absent flags ("") pass.
func TestCheckPathsAcceptsDistinctFiles(t *testing.T) {
	dir := t.TempDir()
	pop := filepath.Join(dir, "pop.csv")
	mustWrite(t, pop, "id\n")
	mustWrite(t, filepath.Join(dir, "raming.json"), "last night")
	outs := []string{filepath.Join(dir, "raming.xlsx"), filepath.Join(dir, "raming.json"), "-", ""}
	if err := CheckPaths(outs, []string{pop, "-", "", "deck"}); err != nil {
		t.Error(err)
	}
}

// TestCheckPathsMissingDirectory: an output in a missing directory is a
// write error (exit 5), found before any work.
func TestCheckPathsMissingDirectory(t *testing.T) {
	err := CheckPaths([]string{filepath.Join(t.TempDir(), "nope", "x.json")}, nil)
	var we *WriteError
	if !errors.As(err, &we) {
		t.Errorf("got %v, want a *WriteError", err)
	}
}

// TestSymlinkedOutputIsWrittenThrough: an output that is a symlink keeps
// being a link; its target, in another directory, gets the new content.
func TestSymlinkedOutputIsWrittenThrough(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	target, dangling := filepath.Join(elsewhere, "raming.json"), filepath.Join(elsewhere, "new.json")
	mustWrite(t, target, "old")
	link, link2 := filepath.Join(dir, "latest.json"), filepath.Join(dir, "new.json")
	os.Symlink(target, link)
	os.Symlink(dangling, link2)
	if err := WriteAll([]File{{Path: link, Write: writeString("new")}, {Path: link2, Write: writeString("two")}}); err != nil {
		t.Fatal(err)
	}
	for l, want := range map[string]string{link: target, link2: dangling} {
		if got, err := os.Readlink(l); err != nil || got != want {
			t.Errorf("%s: no longer a link to %s (%q, %v)", l, want, got, err)
		}
	}
	wantContent(t, target, "new")
	wantContent(t, dangling, "two")
	noTemporaryFiles(t, dir)
	noTemporaryFiles(t, elsewhere)
	other, err := lockDir(elsewhere) // another run writing to the target's directory
	if err != nil {
		t.Fatal(err)
	}
	defer other.unlock()
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 50 * time.Millisecond
	if err := Write(link, writeString("three")); err == nil || !strings.Contains(err.Error(), "another raming run is writing to "+elsewhere) {
		t.Errorf("got %v; the lock should be the target's directory's", err)
	}
}

// TestCommitRefusesNonRegularTarget: a target that became a directory (or
// anything but a regular file) after preparation is not renamed over.
func TestCommitRefusesNonRegularTarget(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "raming.json")
	target, err := resolve(out)
	if err != nil {
		t.Fatal(err)
	}
	p, err := prepare(File{Path: out, Write: writeString("new")}, target)
	if err != nil {
		t.Fatal(err)
	}
	os.Mkdir(out, 0o755)
	err = commit([]*prepared{p})
	var we *WriteError
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("got %v, want a *WriteError: not a regular file", err)
	}
	if fi, err := os.Stat(out); err != nil || !fi.IsDir() {
		t.Errorf("the directory was replaced: %v", err)
	}
	noTemporaryFiles(t, dir)
}

// TestFailedRenameRestoresEarlierOutputs: when a later rename fails, the
// outputs already renamed get their previous content back (a new one is
// removed again): all outputs of a run, or none. With and without hard
// links for the backups.
func TestFailedRenameRestoresEarlierOutputs(t *testing.T) {
	defer func() { rename, link = os.Rename, os.Link }()
	for _, hardLinks := range []bool{true, false} {
		dir := t.TempDir()
		fresh, xlsx, json := filepath.Join(dir, "records.csv"), filepath.Join(dir, "raming.xlsx"), filepath.Join(dir, "raming.json")
		mustWrite(t, xlsx, "last night's workbook")
		mustWrite(t, json, "last night's summary")
		boom := errors.New("injected rename failure")
		rename = func(from, to string) error {
			if to == json && !strings.HasSuffix(from, ".old") { // the new file, not the restore
				return boom
			}
			return os.Rename(from, to)
		}
		if !hardLinks {
			link = func(string, string) error { return errors.ErrUnsupported }
		}
		err := WriteAll([]File{{Path: fresh, Write: writeString("new")},
			{Path: xlsx, Write: writeString("tonight")}, {Path: json, Write: writeString("tonight")}})
		rename, link = os.Rename, os.Link
		var we *WriteError
		if !errors.As(err, &we) || !errors.Is(err, boom) || we.Path != json {
			t.Fatalf("got %v, want a *WriteError for %s", err, json)
		}
		wantContent(t, xlsx, "last night's workbook")
		wantContent(t, json, "last night's summary")
		if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s did not exist before and should be gone: %v", fresh, err)
		}
		noTemporaryFiles(t, dir)
		if len(temps.files) > 0 {
			t.Errorf("registry not empty: %v", temps.files)
		}
	}
}

// TestRemoveTemporaryFiles: what a signal handler calls mid-write removes
// the temporary files alive, and no output changes afterwards.
func TestRemoveTemporaryFiles(t *testing.T) {
	defer func() { temps.closed = false }()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "raming.xlsx"), filepath.Join(dir, "raming.json")
	mustWrite(t, b, "last night")
	err := WriteAll([]File{{Path: a, Write: writeString("tonight")},
		{Path: b, Write: func(w io.Writer) error {
			io.WriteString(w, "half")
			RemoveTemporaryFiles() // the signal arrives
			_, err := io.WriteString(w, " a summary")
			return err
		}}})
	if err == nil {
		t.Error("the write went on after RemoveTemporaryFiles")
	}
	wantContent(t, b, "last night")
	if _, err := os.Stat(a); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s was written: %v", a, err)
	}
	noTemporaryFiles(t, dir)
	if err := Write(a, writeString("x")); err == nil {
		t.Error("no output may be written after RemoveTemporaryFiles")
	}
	noTemporaryFiles(t, dir)
}
