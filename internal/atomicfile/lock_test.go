package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBusyDirectoryFailsClearly: a run that finds another run writing to
// its directory gives up after lockWait with a *WriteError that says so,
// before creating any temporary file.
func TestBusyDirectoryFailsClearly(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "raming.json")
	mustWrite(t, out, "last night")
	other, err := lockDir(dir) // the other run
	if err != nil {
		t.Fatal(err)
	}
	defer other.unlock()
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 100 * time.Millisecond
	err = Write(out, func(w io.Writer) error {
		t.Error("written while another run holds the lock")
		return nil
	})
	var we *WriteError
	want := fmt.Sprintf("another raming run is writing to %s (lock %s); try again when it has finished", dir, filepath.Join(dir, lockName))
	if !errors.As(err, &we) || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want a *WriteError: %s", err, want)
	}
	wantContent(t, out, "last night")
	noTemporaryFiles(t, dir)
}

// TestConcurrentRunsWriteWholePairs: processes writing the same pair of
// outputs many times at once never leave the workbook of one run beside
// the JSON of another. An observer holding the lock checks the pair all
// along, and the pair left at the end.
func TestConcurrentRunsWriteWholePairs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	var runs []*exec.Cmd
	for i := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RAMING_TEST_WRITER="+dir, "RAMING_TEST_WRITER_ID="+strconv.Itoa(i))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() }) // when the test fails early
		runs = append(runs, cmd)
	}
	done := make(chan error)
	go func() {
		var errs []error
		for _, cmd := range runs {
			errs = append(errs, cmd.Wait())
		}
		done <- errors.Join(errs...)
	}()
	checks := 0
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = time.Minute
	check := func() {
		l, err := lockDir(dir) // waits
		if err != nil {
			t.Fatal(err)
		}
		defer l.unlock()
		xlsx, err1 := os.ReadFile(filepath.Join(dir, "raming.xlsx"))
		json, err2 := os.ReadFile(filepath.Join(dir, "raming.json"))
		if err1 != nil || err2 != nil {
			return // not written yet
		}
		checks++
		if string(xlsx) != string(json) {
			t.Fatalf("workbook of %q beside the JSON of %q", xlsx[:20], json[:20])
		}
	}
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("a writer failed: %v", err)
			}
			check()
			t.Logf("%d pairs checked", checks)
			noTemporaryFiles(t, dir)
			onlyFiles(t, dir, "raming.json", "raming.xlsx")
			return
		default:
			check()
			time.Sleep(time.Millisecond)
		}
	}
}

// TestHelperWriter is one run of TestConcurrentRunsWriteWholePairs.
func TestHelperWriter(t *testing.T) {
	dir := os.Getenv("RAMING_TEST_WRITER")
	if dir == "" {
		t.Skip("a helper process of TestConcurrentRunsWriteWholePairs")
	}
	rename = func(from, to string) error { // widen the window between the two renames
		err := os.Rename(from, to)
		time.Sleep(time.Millisecond)
		return err
	}
	for i := range 100 {
		content := fmt.Sprintf("run %s, write %3d %s", os.Getenv("RAMING_TEST_WRITER_ID"), i, strings.Repeat(".", 4096))
		err := WriteAll([]File{
			{Path: filepath.Join(dir, "raming.xlsx"), Write: writeString(content)},
			{Path: filepath.Join(dir, "raming.json"), Write: writeString(content)},
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond) // the next night
	}
}

// onlyFiles checks that dir holds exactly the files named: no lock file,
// no temporary file.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want only %q", dir, got, names)
	}
}

// TestNoLockFileLeft: a run into an empty directory leaves exactly its
// outputs there; a lock file an earlier, killed run left is removed.
func TestNoLockFileLeft(t *testing.T) {
	dir := t.TempDir()
	files := []File{{Path: filepath.Join(dir, "raming.xlsx"), Write: writeString("x")}, {Path: filepath.Join(dir, "raming.json"), Write: writeString("j")}}
	if err := WriteAll(files); err != nil {
		t.Fatal(err)
	}
	onlyFiles(t, dir, "raming.xlsx", "raming.json")
	mustWrite(t, filepath.Join(dir, lockName), "") // left by a run killed with SIGKILL
	if err := WriteAll(files); err != nil {
		t.Fatal(err)
	}
	onlyFiles(t, dir, "raming.xlsx", "raming.json")
}

// TestLockSerialises: a second lock on a directory waits for the first
// to be let go of, and then holds the directory alone, on a lock file of
// its own (the first removed its file when it let go).
func TestLockSerialises(t *testing.T) {
	dir := t.TempDir()
	first, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *dirLock)
	go func() {
		l, err := lockDir(dir)
		if err != nil {
			t.Error(err)
		}
		got <- l
	}()
	select {
	case <-got:
		t.Fatal("two runs hold the lock of one directory at once")
	case <-time.After(200 * time.Millisecond):
	}
	first.unlock()
	second := <-got
	if second == nil {
		return
	}
	if _, err := os.Stat(filepath.Join(dir, lockName)); err != nil {
		t.Errorf("the second run holds no lock file: %v", err)
	}
	third := make(chan *dirLock, 1)
	go func() {
		l, err := lockDir(dir)
		if err != nil {
			t.Error(err)
		}
		third <- l
	}()
	select {
	case <-third:
		t.Fatal("a third run got the lock while the second held it")
	case <-time.After(100 * time.Millisecond):
	}
	second.unlock()
	if l := <-third; l != nil {
		l.unlock()
	}
	onlyFiles(t, dir)
}

// TestLockDoesNotFollowSymlinks: a lock file that is a symbolic link
// (dangling or not) is refused with a *WriteError and never followed: no
// file is created where it points, and nothing is written.
func TestLockDoesNotFollowSymlinks(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	for _, dangling := range []bool{true, false} {
		target := filepath.Join(elsewhere, "victim")
		os.Remove(target)
		if !dangling {
			mustWrite(t, target, "keep")
		}
		lock := filepath.Join(dir, lockName)
		os.Remove(lock)
		if err := os.Symlink(target, lock); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		out := filepath.Join(dir, "raming.json")
		err := Write(out, writeString("x"))
		var we *WriteError
		if !errors.As(err, &we) || !strings.Contains(err.Error(), "is a symbolic link, not raming's lock file") {
			t.Errorf("dangling %v: got %v, want a *WriteError: a symbolic link", dangling, err)
		}
		if dangling {
			if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the lock followed its link: %s exists (%v)", target, err)
			}
		} else {
			wantContent(t, target, "keep")
		}
		if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("an output was written: %v", err)
		}
	}
}
