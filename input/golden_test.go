package input

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files (make golden)")

// dump writes a read extract as text, one line per record and rejected
// row (with its RowError.ID), for golden files.
func dump(pop *Population) string {
	var b strings.Builder
	fmt.Fprintf(&b, "encoding %s, delimiter %q, read %d, used %d, rejected %d\n", pop.Encoding, pop.Delimiter, pop.RowsRead, len(pop.Records), len(pop.Rejected))
	for _, w := range pop.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	or := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	money := func(m Money) string {
		if !m.Known {
			return "-"
		}
		return m.Decimal().StringFixed(2)
	}
	for _, r := range pop.Records {
		fmt.Fprintf(&b, "line %d: id %s dossier %s restored %v affected %s start %s end %s paid %s reported %s recovery %s contributed %s received %s assessed %s hardship %s\n",
			r.Line, r.ID, r.DossierID, r.RestoredAsApplicant, r.Affected, r.ProblemStart, or(r.EndTogether.String()), or(r.FirstPayment.String()),
			or(r.ReportDate.String()), money(r.Recovery), money(r.Contributed), money(r.Received30k), money(r.IntegralAssessment), r.Hardship)
	}
	for _, r := range pop.Rejected {
		fmt.Fprintf(&b, "rejected: %s (id %q)\n", r, r.ID)
	}
	return b.String()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs (review, then accept with `make golden`):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestDutchDialectGolden: testdata/nl-dialect.csv, written by Generate in
// the nl dialect (Windows-1252, ;, DD-MM-YYYY, € 12.345,67, CRLF), is still
// what Generate writes, and reads to the golden dump.
func TestDutchDialectGolden(t *testing.T) {
	path := filepath.Join("testdata", "nl-dialect.csv")
	var buf bytes.Buffer
	if err := Generate(&buf, GenerateOptions{Rows: 12, Seed: 2026, Dialect: "nl"}); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(file, buf.Bytes()) {
		t.Errorf("Generate no longer writes %s for seed 2026: the synthetic data changed (accept with `make golden`)", path)
	}
	if !bytes.Contains(file, []byte("\x80 ")) || !bytes.Contains(file, []byte(";\r\n")) {
		t.Errorf("%s: want € as the Windows-1252 byte 0x80, semicolons and CRLF", path)
	}
	pop, err := Read(bytes.NewReader(file), Options{Source: path, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(pop); !strings.Contains(got, "recovery ") || len(pop.Rejected) != 0 {
		t.Errorf("got %s", got)
	}
	golden(t, "nl-dialect.golden", dump(pop))
}

// TestWindows1252Golden: a hand-made Dutch Excel export with é and € in
// Windows-1252, a quoted ; in a value, a row whose einde_samen lies before
// its start_problematiek (valid: left before the problems began) and a bad
// row, reads to the golden dump.
func TestWindows1252Golden(t *testing.T) {
	path := filepath.Join("testdata", "cp1252.csv")
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(file, []byte("caf\xe9")) || !bytes.Contains(file, []byte("\x80 12.345,67")) {
		t.Fatalf("%s: want é and € in Windows-1252", path)
	}
	pop, err := Read(bytes.NewReader(file), Options{Source: path, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	got := dump(pop)
	for _, want := range []string{"id EXP-café-1 dossier DOS-é1", "recovery 12345.67", "DOS;3"} {
		if !strings.Contains(got, want) {
			t.Errorf("got\n%s\nwant it to contain %q", got, want)
		}
	}
	golden(t, "cp1252.golden", got)
}

// TestUnicodeTextGolden: Excel's "Unicode text" (UTF-16 little-endian with
// a byte order mark, tab-separated, CRLF, values as Dutch Excel shows
// them: dates with a time, amounts with a decimal comma, a quoted tab)
// reads like a CSV export, to the golden dump. An amount with one
// separator and three digits after it (1.500, 12.345) is refused as
// ambiguous, since a tab-separated file does not tell the decimal mark.
func TestUnicodeTextGolden(t *testing.T) {
	path := filepath.Join("testdata", "unicode-text.txt")
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(file, []byte{0xFF, 0xFE, 'i', 0}) {
		t.Fatalf("%s: want UTF-16 little-endian with a byte order mark", path)
	}
	pop, err := Read(bytes.NewReader(file), Options{Source: path, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	got := dump(pop)
	for _, want := range []string{`encoding utf-16le, delimiter '\t'`, `(id "EXP-Zoë")`, "end 2016-04-22", "recovery 12345.67", "assessed 45000.50",
		"recovery 1234567.89", "recovery 2500.00", `amount "1.500" is ambiguous`, `amount "12.345" is ambiguous`, `amount "tekst met\ttab"`, "recovery 1.50"} {
		if !strings.Contains(got, want) {
			t.Errorf("got\n%s\nwant it to contain %q", got, want)
		}
	}
	golden(t, "unicode-text.golden", got)

	// The same extract as UTF-16 big-endian, and the comma-separated UTF-16
	// file that used to be refused.
	be := make([]byte, len(file))
	for i := 0; i+1 < len(file); i += 2 {
		be[i], be[i+1] = file[i+1], file[i]
	}
	if pop, err := Read(bytes.NewReader(be), Options{Source: path, Today: today}); err != nil || dump(pop) != strings.Replace(got, "utf-16le", "utf-16be", 1) {
		t.Errorf("big-endian: got %v, want the same rows", err)
	}
	comma, err := os.ReadFile(filepath.Join("testdata", "utf16-comma.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if pop, err := Read(bytes.NewReader(comma), Options{Source: "utf16-comma.csv"}); err != nil || pop.Delimiter != ',' || len(pop.Records) != 1 {
		t.Errorf("comma-separated UTF-16: got %v, want one record", err)
	}
	if _, err := Read(bytes.NewReader(file), Options{Source: path, Encoding: "windows-1252"}); !errors.Is(err, ErrEncoding) ||
		!strings.Contains(err.Error(), `"windows-1252": the file is UTF-16 text`) {
		t.Errorf("--encoding windows-1252 on UTF-16 text: got %v, want ErrEncoding", err)
	}
}
