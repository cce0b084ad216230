package baseline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBaselineSizeLimit: Read stops at 64 MB: a file larger than the
// limit, or an endless one (/dev/zero), is refused as no summary, quickly
// and without reading it to the end.
func TestBaselineSizeLimit(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64<<20 + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	files := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		files = append(files, "/dev/zero")
	}
	for _, file := range files {
		start := time.Now()
		_, err := Read(file)
		var be *Error
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "larger than 64 MB") {
			t.Errorf("%s: got %v, want an *Error: larger than 64 MB", file, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: refused after %v", file, d)
		}
	}
}

// TestLatestBaseline: Latest takes the newest summary dated before
// the day, passing over tonight's and later files, files that are no
// summary, and names that are not raming-YYYY-MM-DD.json.
func TestLatestBaseline(t *testing.T) {
	const summary = `{"variants": [{"id": "A", "total_low": "1.00", "total_high": "2.00", "cases": []}]}`
	tests := []struct {
		name    string
		files   map[string]string // name → content; "/" makes a directory
		want    string            // the file chosen; "" for none
		skipped int
	}{
		{"first night", nil, "", 0},
		{"the night before", map[string]string{"raming-2026-10-24.json": summary}, "raming-2026-10-24.json", 0},
		{"newest before tonight", map[string]string{
			"raming-2026-10-20.json": summary,
			"raming-2026-10-24.json": summary,
			"raming-2026-10-23.json": summary,
			"raming-2026-10-25.json": summary, // tonight's, of an earlier run
			"raming-2026-10-26.json": summary, // later: not before tonight
		}, "raming-2026-10-24.json", 0},
		{"damaged and foreign files passed over", map[string]string{
			"raming-2026-10-22.json":      summary,
			"raming-2026-10-23.json":      `{"variants": [`,                   // cut off
			"raming-2026-10-24.json":      "/",                                // a directory
			"raming-2026-10-21.json":      `{"population": {"rows_read": 3}}`, // raming validate --json
			"raming-2026-10-24.json.old":  summary,
			"raming-2026-13-01.json":      summary, // no date
			".raming-2026-10-24.json.tmp": summary,
			"raming-latest.json":          summary,
		}, "raming-2026-10-22.json", 2},
		{"nothing readable", map[string]string{"raming-2026-10-24.json": "not json"}, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				var err error
				if content == "/" {
					err = os.Mkdir(filepath.Join(dir, name), 0o755)
				} else {
					err = os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			prev, skipped, err := Latest(dir, "2026-10-25")
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if prev != nil {
				got = filepath.Base(prev.File)
			}
			if got != tt.want || len(skipped) != tt.skipped {
				t.Errorf("got %q, passing over %v; want %q, passing over %d", got, skipped, tt.want, tt.skipped)
			}
		})
	}
	if _, _, err := Latest(filepath.Join(t.TempDir(), "missing"), "2026-10-25"); err == nil {
		t.Error("a directory that cannot be read: no error")
	}
}
