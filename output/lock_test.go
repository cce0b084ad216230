package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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
	defer other.Close()
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 100 * time.Millisecond
	err = WriteFileAtomic(out, func(w io.Writer) error {
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
	check := func() {
		f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o666)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil { // waits
			t.Fatal(err)
		}
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
		err := WriteFilesAtomic([]OutputFile{
			{Path: filepath.Join(dir, "raming.xlsx"), Write: writeString(content)},
			{Path: filepath.Join(dir, "raming.json"), Write: writeString(content)},
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond) // the next night
	}
}
