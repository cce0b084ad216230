// Command dist builds raming's release archives: one per platform
// (raming_VERSION_OS_ARCH.zip for Windows, .tar.gz otherwise) with the
// binary, README.md and docs/ (for Windows also raming-serve.cmd, which
// starts the page of raming serve on a double-click), plus SHA256SUMS. The same commit gives the
// same bytes: binaries are built with -trimpath and without a build ID,
// archive entries are sorted and dated by the commit time (or
// SOURCE_DATE_EPOCH), and owners, modes and compression are fixed.
//
// Usage (from the repository's top folder; make dist runs it):
//
//	go run ./tools/dist [-out dist] [-targets windows/amd64,linux/amd64,...]
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Targets are the platforms a release is built for.
var Targets = []string{"windows/amd64", "windows/arm64", "darwin/arm64", "darwin/amd64", "linux/amd64", "linux/arm64"}

// buildTags leave out urfave/cli's documentation generators (as make build).
const buildTags = "urfave_cli_no_docs"

func main() {
	out := flag.String("out", "dist", "the folder the archives and SHA256SUMS are written to")
	targets := flag.String("targets", strings.Join(Targets, ","), "comma-separated OS/ARCH pairs")
	flag.Parse()
	if err := run(*out, strings.Split(*targets, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

func run(out string, targets []string) error {
	when, err := releaseTime()
	if err != nil {
		return err
	}
	version, err := releaseVersion()
	if err != nil {
		return err
	}
	files, err := payload()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "raming-dist-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var sums []string
	for _, t := range targets {
		goos, goarch, ok := strings.Cut(t, "/")
		if !ok {
			return fmt.Errorf("target %q: write OS/ARCH, e.g. windows/amd64", t)
		}
		exe := "raming"
		if goos == "windows" {
			exe += ".exe"
		}
		bin := filepath.Join(tmp, goos+"_"+goarch, exe)
		if err := build(goos, goarch, bin); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		name := fmt.Sprintf("raming_%s_%s_%s", version, goos, goarch)
		entries := append([]entry{{name: exe, src: bin, mode: 0o755}}, files...)
		if goos == "windows" { // a double-click starts the page: raming serve --open
			entries = append(entries, entry{name: "raming-serve.cmd", src: filepath.Join("tools", "dist", "raming-serve.cmd"), mode: 0o755})
		}
		var archive []byte
		if goos == "windows" {
			name += ".zip"
			archive, err = zipArchive(strings.TrimSuffix(name, ".zip"), entries, when)
		} else {
			name += ".tar.gz"
			archive, err = tarArchive(strings.TrimSuffix(name, ".tar.gz"), entries, when)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, name), archive, 0o644); err != nil {
			return err
		}
		sum := sha256.Sum256(archive)
		sums = append(sums, hex.EncodeToString(sum[:])+"  "+name)
		fmt.Println(name)
	}
	slices.Sort(sums)
	return os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(strings.Join(sums, "\n")+"\n"), 0o644)
}

// releaseTime is SOURCE_DATE_EPOCH if set, else the time of the checked-out
// commit: the date every archive entry carries.
func releaseTime() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		b, err := exec.Command("git", "log", "-1", "--format=%ct").Output()
		if err != nil {
			return time.Time{}, fmt.Errorf("the commit time (git log): %w; set SOURCE_DATE_EPOCH outside a checkout", err)
		}
		s = strings.TrimSpace(string(b))
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: not a number of seconds", s)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// releaseVersion asks a build for this machine what version it is
// ("raming version 0.2.0+abc123" → "0.2.0"), so that the version is
// written in one place, the command's source.
func releaseVersion() (string, error) {
	tmp, err := os.MkdirTemp("", "raming-version-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "raming")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if err := build(runtime.GOOS, runtime.GOARCH, bin); err != nil {
		return "", err
	}
	b, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("raming --version: %w", err)
	}
	f := strings.Fields(string(b)) // raming version 0.2.0+rev ...
	if len(f) < 3 {
		return "", fmt.Errorf("raming --version printed %q", b)
	}
	v, _, _ := strings.Cut(f[2], "+")
	return v, nil
}

// build compiles the command for one platform: static (no cgo), without
// paths of this machine (-trimpath) and without a build ID, so that the
// same commit and Go version give the same bytes.
func build(goos, goarch, out string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=auto", "-tags", buildTags,
		"-ldflags", "-s -w -buildid=", "-o", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

// entry is a file of an archive: its name inside the archive's folder,
// where to read it, and its mode.
type entry struct {
	name, src string
	mode      fs.FileMode
}

// payload lists what every archive holds besides the binary: README.md
// and docs/, in name order.
func payload() ([]entry, error) {
	out := []entry{{name: "README.md", src: "README.md", mode: 0o644}}
	err := filepath.WalkDir("docs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		out = append(out, entry{name: filepath.ToSlash(p), src: p, mode: 0o644})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("docs/: %w (run dist from the repository's top folder)", err)
	}
	slices.SortFunc(out[1:], func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// zipArchive writes the entries under the folder dir, deflated, dated when.
func zipArchive(dir string, entries []entry, when time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, e := range entries {
		data, err := os.ReadFile(e.src)
		if err != nil {
			return nil, err
		}
		h := &zip.FileHeader{Name: path.Join(dir, e.name), Method: zip.Deflate, Modified: when}
		h.SetMode(e.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// tarArchive writes the entries under the folder dir as a gzipped tar,
// owned by root, dated when.
func tarArchive(dir string, entries []entry, when time.Time) ([]byte, error) {
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	gz.ModTime = when
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		data, err := os.ReadFile(e.src)
		if err != nil {
			return nil, err
		}
		h := &tar.Header{Name: path.Join(dir, e.name), Mode: int64(e.mode), Size: int64(len(data)),
			ModTime: when, Typeflag: tar.TypeReg, Uname: "root", Gname: "root", Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
	}
	if err := errors.Join(tw.Close(), gz.Close()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
