//go:build wine

// The Windows binary, run under Wine on a scripted set of commands (make
// test-windows). Needs Debian's wine (wine64) and the mingw-w64 C compiler
// (gcc-mingw-w64-x86-64), which builds two small helpers from tools/wine:
// a stand-in for bcryptprimitives.dll (Go's runtime loads it; Wine 8 lacks
// it) and holdopen.exe, which holds a file open without sharing, as Excel
// holds an open workbook. docs/windows.md says what Wine covers and what
// only a real Windows machine shows.
package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// wineEnv is a Wine prefix with the stand-in DLL, the Windows binary and
// the helpers, all in one temporary folder.
type wineEnv struct {
	wine, dir, exe, holdopen string
	env                      []string
}

func newWineEnv(t *testing.T) *wineEnv {
	t.Helper()
	wine, err := exec.LookPath("wine")
	if err != nil {
		if wine, err = exec.LookPath("wine64"); err != nil {
			t.Fatal("wine is not installed (Debian: apt-get install wine64)")
		}
	}
	cc, err := exec.LookPath("x86_64-w64-mingw32-gcc")
	if err != nil {
		t.Fatal("the mingw-w64 compiler is not installed (Debian: apt-get install gcc-mingw-w64-x86-64)")
	}
	dir := t.TempDir()
	w := &wineEnv{wine: wine, dir: dir, exe: filepath.Join(dir, "raming.exe"), holdopen: filepath.Join(dir, "holdopen.exe")}
	w.env = append(os.Environ(), "WINEPREFIX="+filepath.Join(dir, "prefix"), "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
	build := exec.Command("go", "build", "-tags", "urfave_cli_no_docs", "-o", w.exe, ".")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	mustRun(t, build)
	dll := filepath.Join(dir, "bcryptprimitives.dll")
	mustRun(t, exec.Command(cc, "-shared", "-O2", "-o", dll, "tools/wine/bcryptprimitives.c", "-ladvapi32"))
	mustRun(t, exec.Command(cc, "-municode", "-O2", "-o", w.holdopen, "tools/wine/holdopen.c"))
	boot := exec.Command(wine, "wineboot", "--init")
	boot.Env = w.env
	mustRun(t, boot)
	sys32 := filepath.Join(dir, "prefix", "drive_c", "windows", "system32")
	data, err := os.ReadFile(dll)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sys32, "bcryptprimitives.dll"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return w
}

func mustRun(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
}

// win returns the Windows path of a path in the test's folder, as Wine's
// drive Z: (the Unix root) shows it: Z:\tmp\...\out\raming.xlsx.
func win(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// raming runs raming.exe with args in the folder dir and returns its exit
// code, stdout and stderr.
func (w *wineEnv) raming(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(w.wine, append([]string{w.exe}, args...)...)
	cmd.Dir, cmd.Env = dir, w.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("wine raming.exe %s: %v", strings.Join(args, " "), err)
	}
	return code, stdout.String(), stderr.String()
}

// files lists a folder's names, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func TestWindows(t *testing.T) {
	w := newWineEnv(t)
	work := filepath.Join(w.dir, "werk")
	out := filepath.Join(work, "uitvoer")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	step := func(name string, wantCode int, args ...string) (string, string) {
		t.Helper()
		code, stdout, stderr := w.raming(t, work, args...)
		if code != wantCode {
			t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", name, code, wantCode, stdout, stderr)
		}
		return stdout, stderr
	}

	// A Dutch extract written by the Windows binary, read back by it.
	step("generate", 0, "generate", "--rows", "600", "--seed", "3", "--dialect", "nl", "--out", win(filepath.Join(work, "populatie.csv")))
	step("validate", 0, "validate", "--population", "populatie.csv")

	// A run with an extract, to a path with backslashes and a drive letter.
	xlsx := filepath.Join(out, "raming.xlsx")
	stdout, _ := step("run", 0, "run", "--population", `.\populatie.csv`, "--iterations", "500",
		"--out", win(xlsx), "--json", `uitvoer\raming.json`)
	if !strings.Contains(stdout, "B-opties") {
		t.Errorf("run's summary lacks B-opties:\n%s", stdout)
	}
	if got, want := files(t, out), []string{"raming.json", "raming.xlsx"}; !slices.Equal(got, want) {
		t.Errorf("the output folder holds %v, want exactly %v", got, want)
	}
	// The same run over the existing outputs.
	step("run again", 0, "run", "--population", `.\populatie.csv`, "--iterations", "500", "--out", win(xlsx), "--json", `uitvoer\raming.json`)

	// A nightly folder: --out-dir twice, the second against the first.
	nightly := filepath.Join(work, "nacht")
	if err := os.Mkdir(nightly, 0o755); err != nil {
		t.Fatal(err)
	}
	step("out-dir", 0, "run", "--population", "populatie.csv", "--iterations", "300", "--out-dir", win(nightly))
	step("out-dir with baseline", 0, "run", "--population", "populatie.csv", "--iterations", "300", "--out-dir", win(nightly), "--baseline", "latest")

	// A bad extract is refused with exit 3.
	bad := filepath.Join(work, "fout.csv")
	if err := os.WriteFile(bad, []byte("bsn;naam\r\n123456782;x\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	step("bad extract", 3, "run", "--population", "fout.csv", "--out", `uitvoer\fout.xlsx`)

	// An output held open as Excel holds it: exit 5, the previous file
	// intact, nothing else left in the folder.
	before, err := os.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	hold := exec.Command(w.wine, w.holdopen, win(xlsx))
	hold.Env = w.env
	release, err := hold.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	held, err := hold.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := hold.Start(); err != nil {
		t.Fatal(err)
	}
	line := make([]byte, 4)
	if _, err := held.Read(line); err != nil || string(line) != "held" {
		t.Fatalf("holdopen did not hold the workbook: %q %v", line, err)
	}
	_, stderr := step("locked output", 5, "run", "--population", "populatie.csv", "--iterations", "300", "--out", win(xlsx))
	release.Close()
	done := make(chan error, 1)
	go func() { done <- hold.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		hold.Process.Kill()
	}
	if !strings.Contains(stderr, "close raming.xlsx") {
		t.Errorf("the message does not tell the user to close the workbook:\n%s", stderr)
	}
	after, err := os.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the workbook held open was changed")
	}
	if got, want := files(t, out), []string{"raming.json", "raming.xlsx"}; !slices.Equal(got, want) {
		t.Errorf("after the refused run the output folder holds %v, want exactly %v", got, want)
	}
}
