package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"raming/raming"
	"raming/scenario"
)

// TestBaselineSizeLimit: ReadSummary stops at maxSummaryBytes: a file
// larger than the limit, or an endless one (/dev/zero), is refused as no
// summary, quickly and without reading it to the end.
func TestBaselineSizeLimit(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxSummaryBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	files := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		files = append(files, "/dev/zero")
	}
	for _, file := range files {
		start := time.Now()
		_, err := ReadSummary(file)
		var be *BaselineError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "larger than 64 MB") {
			t.Errorf("%s: got %v, want a *BaselineError: larger than 64 MB", file, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: refused after %v", file, d)
		}
	}
}

// TestLatestBaseline: LatestSummary takes the newest summary dated before
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
			prev, skipped, err := LatestSummary(dir, "2026-10-25")
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
	if _, _, err := LatestSummary(filepath.Join(t.TempDir(), "missing"), "2026-10-25"); err == nil {
		t.Error("a directory that cannot be read: no error")
	}
}

// A summary whose figures are damaged is refused, not read as zeros that
// would put the whole estimate down to the data.
func TestDamagedBaselineIsRefused(t *testing.T) {
	good, err := os.ReadFile("testdata/summary-deck-exact.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, damage := range map[string]func(string) string{
		"text":    func(s string) string { return strings.Replace(s, `"total": "74456250.00"`, `"total": "abc"`, 1) },
		"missing": func(s string) string { return strings.Replace(s, `"total": "74456250.00",`, ``, 1) },
		"huge":    func(s string) string { return strings.Replace(s, `"total": "74456250.00"`, `"total": "1e400"`, 1) },
		"number":  func(s string) string { return strings.Replace(s, `"total": "74456250.00"`, `"total": 74456250`, 1) },
	} {
		text := damage(string(good))
		if text == string(good) {
			t.Fatalf("%s: the golden summary no longer has A-15k's total", name)
		}
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadSummary(path)
		var be *BaselineError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "not a raming JSON summary") {
			t.Errorf("%s: got %v, want a BaselineError saying it is not a summary", name, err)
		}
	}
}

// A summary the tool wrote is read back, whatever its figures: totals of
// EUR 4,000 thousand billion (a lump sum at the scenario's limit) too.
func TestLargeBaselineIsRead(t *testing.T) {
	sc, err := scenario.Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Set("A-15k.lump_sum", "1000000000000"); err != nil {
		t.Fatal(err)
	}
	res, err := raming.Estimate(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "summary.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(f, NewSummary(res, Provenance{})); err != nil {
		t.Fatal(err)
	}
	f.Close()
	prev, err := ReadSummary(path)
	if err != nil {
		t.Fatalf("the tool's own summary is refused: %v", err)
	}
	if got, want := prev.Variants["A"].TotalHigh, res.Variant("A").TotalHigh; !got.Equal(want.Round(2)) {
		t.Errorf("A's total read back as %s, want %s", got, want)
	}
}
