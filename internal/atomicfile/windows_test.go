//go:build windows

package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestFileOpenInExcel: a workbook that another program holds open without
// sharing deletion, as Excel does, is not replaced: the run fails with a
// *WriteError that says to close it in Excel, the previous file is intact
// and no temporary file is left. Windows only (Excel's lock is Windows').
func TestFileOpenInExcel(t *testing.T) {
	dir := t.TempDir()
	xlsx, json := filepath.Join(dir, "raming.xlsx"), filepath.Join(dir, "raming.json")
	mustWrite(t, xlsx, "last night's workbook")
	mustWrite(t, json, "last night's summary")
	p, err := windows.UTF16PtrFromString(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, windows.FILE_SHARE_READ, nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatal(err)
	}
	excel := os.NewFile(uintptr(h), xlsx)
	defer excel.Close()
	err = WriteAll([]File{{Path: json, Write: writeString("tonight")}, {Path: xlsx, Write: writeString("tonight")}})
	var we *WriteError
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "close raming.xlsx in Excel and run again") {
		t.Errorf("got %v, want a *WriteError: close raming.xlsx in Excel and run again", err)
	}
	excel.Close()
	wantContent(t, xlsx, "last night's workbook")
	wantContent(t, json, "last night's summary")
	noTemporaryFiles(t, dir)
	onlyFiles(t, dir, "raming.json", "raming.xlsx")
}

// TestReplaceErrorNamesExcel: a sharing violation or access denied on the
// rename is said in so many words, and keeps the system's error.
func TestReplaceErrorNamesExcel(t *testing.T) {
	for _, errno := range []error{windows.ERROR_SHARING_VIOLATION, windows.ERROR_ACCESS_DENIED, windows.ERROR_LOCK_VIOLATION} {
		err := replaceError(`C:\out\raming.xlsx`, `C:\out\raming.xlsx`, &os.LinkError{Op: "rename", Err: errno})
		if !strings.Contains(err.Error(), "close raming.xlsx in Excel and run again") || !errors.Is(err, errno) {
			t.Errorf("%v: got %v", errno, err)
		}
	}
}
