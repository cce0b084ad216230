package output

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"raming/raming"
	"raming/scenario"
)

// A summary whose figures are damaged is refused, not read as zeros that
// would put the whole estimate down to the data.
func TestDamagedBaselineIsRefused(t *testing.T) {
	good, err := os.ReadFile("testdata/summary-deck-exact.json")
	if err != nil {
		t.Fatal(err)
	}
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
		_, err := ReadSummary(strings.NewReader(text))
		if err == nil || !strings.Contains(err.Error(), "not a raming JSON summary") {
			t.Errorf("%s: got %v, want an error saying it is not a summary", name, err)
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
	var buf bytes.Buffer
	if err := WriteJSON(&buf, res, Provenance{}, Options{}); err != nil {
		t.Fatal(err)
	}
	prev, err := ReadSummary(&buf)
	if err != nil {
		t.Fatalf("the tool's own summary is refused: %v", err)
	}
	if got, want := prev.Variants["A"].TotalHigh, res.Variant("A").TotalHigh; !got.Equal(want.Round(2)) {
		t.Errorf("A's total read back as %s, want %s", got, want)
	}
}

// TestSummaryReadBackIsCapped: more than 64 MB is refused without reading
// on, also from an endless reader.
func TestSummaryReadBackIsCapped(t *testing.T) {
	_, err := ReadSummary(endless{})
	if err == nil || !strings.Contains(err.Error(), "larger than 64 MB") {
		t.Errorf("got %v, want: larger than 64 MB", err)
	}
}

// endless reads spaces for ever.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}
