package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFailedWriteLeavesOldFiles: a run that fails after writing began
// leaves the existing outputs as they were and no temporary files.
func TestFailedWriteLeavesOldFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "raming.xlsx"), filepath.Join(dir, "raming.json")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("last night"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("disk full")
	err := WriteFilesAtomic([]OutputFile{
		{a, func(w io.Writer) error { _, err := io.WriteString(w, "tonight"); return err }},
		{b, func(w io.Writer) error { io.WriteString(w, "half a summ"); return boom }},
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the write's error", err)
	}
	for _, p := range []string{a, b} {
		got, _ := os.ReadFile(p)
		if string(got) != "last night" {
			t.Errorf("%s: got %q, want last night's file untouched", filepath.Base(p), got)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestWriteFileAtomicReplaces(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(p, []byte("old"), 0o644)
	if err := WriteFileAtomic(p, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != "new" {
		t.Errorf("got %q, want new", got)
	}
}
