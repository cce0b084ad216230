package input_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"raming/input"
	"raming/raming"
	"raming/scenario"
)

// cell is one value of an extract as a workbook holds it (xlsx: a number,
// a date number, a boolean or text) and as the sheet's CSV export shows it
// (csv, as Excel writes it with the cell's format).
type cell struct {
	xlsx any
	csv  string
}

// sum returns a+b computed at run time: a double with a binary artefact,
// as a spreadsheet's arithmetic leaves one (0.1 + 0.2 = 0.30000000000000004).
func sum(a, b float64) float64 { return a + b }

// extract is a test extract as a workbook (.xlsx, made with excelize:
// dates as Excel date numbers, formatted as dates, with and without a time,
// and as text; amounts as numbers, with binary artefacts, and as text; a
// year as a number; an unknown value, a bad date, a year where a date
// belongs) and as its CSV export, written as Excel writes it.
func extract(t *testing.T) (xlsx []byte, csv string) {
	t.Helper()
	var hundred float64 = 100
	rows := [][]cell{
		{{"EXP-0000001", "EXP-0000001"}, {"DOS-000001", "DOS-000001"}, {"nee", "nee"}, {"ja", "ja"}, {2014, "2014"},
			{42482.0, "22-4-2016"}, {"1-3-2021", "1-3-2021"}, {44727.5, "15-6-2022 12:00"},
			{12345.67, "12345.67"}, {sum(0.1, 0.2) * 1000, "300"}, {1500, "1500"}, {45000.5, "45000.5"}, {"nee", "nee"}},
		{{"EXP-0000002", "EXP-0000002"}, {"DOS-000001", "DOS-000001"}, {"nee", "nee"}, {"onbekend", "onbekend"}, {"2015", "2015"},
			{"2016-01-01T00:00:00", "2016-01-01T00:00:00"}, {nil, ""}, {nil, ""},
			{"€ 1.234,56", `"€ 1.234,56"`}, {sum(1.1, 2.2), "3.3"}, {nil, ""}, {4.35 * hundred, "435"}, {nil, ""}},
		{{"EXP-0000003", "EXP-0000003"}, {"DOS-000002", "DOS-000002"}, {"nee", "nee"}, {"misschien", "misschien"}, {2016, "2016"},
			{nil, ""}, {nil, ""}, {nil, ""}, {75000, "75000"}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}},
		{{"EXP-0000004", "EXP-0000004"}, {"DOS-000003", "DOS-000003"}, {"ja", "ja"}, {"ja", "ja"}, {41751.0, "22-4-2014"},
			{"31-02-2016", "31-02-2016"}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}},
		{{"EXP-0000005", "EXP-0000005"}, {"DOS-000004", "DOS-000004"}, {"nee", "nee"}, {"ja", "ja"}, {41751.99999, "22-4-2014 23:59"},
			{43100.0, "31-12-2017"}, {44197.0, "1-1-2021"}, {44927.0, "1-1-2023"},
			{sum(19.99, 0.02), "20.01"}, {750, "750"}, {15000, "15000"}, {90000, "90000"}, {"ja", "ja"}},
		{{"EXP-0000006", "EXP-0000006"}, {"DOS-000004", "DOS-000004"}, {"nee", "nee"}, {"nee", "nee"}, {"01-01-2013", "01-01-2013"},
			{2012, "2012"}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}, {nil, ""}},
	}
	f := excelize.NewFile()
	defer f.Close()
	format := "yyyy-mm-dd"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	text.WriteString(strings.Join(input.Columns, ",") + "\n")
	if err := f.SetSheetRow("Sheet1", "A1", &input.Columns); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		var texts []string
		for j, c := range row {
			texts = append(texts, c.csv)
			if c.xlsx == nil {
				continue
			}
			name, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := f.SetCellValue("Sheet1", name, c.xlsx); err != nil {
				t.Fatal(err)
			}
			if v, ok := c.xlsx.(float64); ok && j >= 4 && j <= 7 && v >= 10000 { // a date number in a date column
				f.SetCellStyle("Sheet1", name, name, date)
			}
		}
		text.WriteString(strings.Join(texts, ",") + "\n")
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), text.String()
}

// today is the reference date of the tests.
var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// sameRows fails the test unless a and b hold the same records and the
// same rejections (line, column, sentinel, reason and id).
func sameRows(t *testing.T, a, b *input.Population, what string) {
	t.Helper()
	if !reflect.DeepEqual(a.Records, b.Records) {
		for i := range a.Records {
			t.Logf("workbook %+v", a.Records[i])
		}
		for i := range b.Records {
			t.Logf("%s %+v", what, b.Records[i])
		}
		t.Fatalf("the workbook and %s read to different records", what)
	}
	if len(a.Rejected) != len(b.Rejected) || a.RowsRead != b.RowsRead {
		t.Fatalf("rejected: got %v from the workbook, %v from %s", a.Rejected, b.Rejected, what)
	}
	for i, x := range a.Rejected {
		c := b.Rejected[i]
		if x.Line != c.Line || x.Column != c.Column || x.Err != c.Err || x.Reason() != c.Reason() || x.ID != c.ID {
			t.Errorf("rejected: got %v from the workbook, %v from %s", x, c, what)
		}
	}
}

// TestWorkbookAndItsCSVExport: an extract as a workbook and as its CSV
// export (extract) read to the same records and the same rejections, and
// through raming.Estimate on the deck-exact scenario to the same figures,
// to the cent.
func TestWorkbookAndItsCSVExport(t *testing.T) {
	xlsx, csv := extract(t)
	fromXLSX, err := input.Read(bytes.NewReader(xlsx), input.Options{Source: "extract.xlsx", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	fromCSV, err := input.Read(strings.NewReader(csv), input.Options{Source: "extract.csv", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if fromXLSX.Sheet != "Sheet1" || fromXLSX.RowsRead != 6 || len(fromXLSX.Records) != 3 {
		t.Fatalf("got sheet %q, %d rows read, %d used; want Sheet1, 6, 3 (rejected: %v)", fromXLSX.Sheet, fromXLSX.RowsRead, len(fromXLSX.Records), fromXLSX.Rejected)
	}
	sameRows(t, fromXLSX, fromCSV, "its CSV export")
	if got, want := fromXLSX.Rejected[0].Error(), `row 4, cell D4 (gedupeerd): value "misschien" is not a valid answer (use ja, nee or onbekend; empty is onbekend)`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := fromCSV.Rejected[0].Error(), `line 4, column gedupeerd: value "misschien" is not a valid answer (use ja, nee or onbekend; empty is onbekend)`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}

	// The same figures, to the cent.
	sc, err := scenario.Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	rx, err := raming.Estimate(sc, fromXLSX)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := raming.Estimate(sc, fromCSV)
	if err != nil {
		t.Fatal(err)
	}
	figures := func(r *raming.Result) []string {
		var out []string
		for _, q := range r.Quantities {
			out = append(out, q.ID+" "+q.Value().StringFixed(2))
		}
		for _, v := range r.Variants {
			for _, c := range v.Cases {
				for _, e := range []*raming.Expr{c.Population, c.CWSPopulation, c.Scheme, c.CWS, c.Total} {
					if e != nil {
						out = append(out, c.ID+" "+e.Value.StringFixed(2))
					}
				}
			}
		}
		return out
	}
	if x, c := figures(rx), figures(rc); !reflect.DeepEqual(x, c) || len(x) < 20 {
		t.Errorf("figures differ:\n workbook %v\n csv      %v", x, c)
	}
}

// TestWorkbookNotPseudonymised: a BSN-like value in any cell of a workbook
// refuses it, naming the sheet, row and cell, never the value: as text, as
// a number, and as a number written with an exponent.
func TestWorkbookNotPseudonymised(t *testing.T) {
	for _, v := range []any{"123456782", 123456782, "1.23456782E8", "+123 456 782"} {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]string{"id", "dossier_id", "herstel_als_aanvrager", "gedupeerd", "start_problematiek", "opmerking"})
		f.SetSheetRow("Sheet1", "A2", &[]any{"EXP-1", "DOS-1", "nee", "ja", 2014, "ok"})
		f.SetSheetRow("Sheet1", "A3", &[]any{"EXP-2", "DOS-2", "nee", "ja", 2015, v})
		var b bytes.Buffer
		f.Write(&b)
		f.Close()
		_, err := input.Read(&b, input.Options{Source: "x.xlsx", IgnoreUnknownColumns: true})
		if want := `x.xlsx, sheet "Sheet1", row 3, cell F3 (opmerking): the extract is not pseudonymised`; !errors.Is(err, input.ErrNotPseudonymised) || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: got %v, want %q", v, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "456") {
			t.Errorf("got %q, which repeats the value", err)
		}
	}
}

// TestWorkbookExportedByLibreOffice: the workbook (extract) exported by a
// spreadsheet application as CSV (comma, UTF-8), as a Dutch CSV (semicolon,
// decimal comma, nl-NL) and as Unicode text (UTF-16, tabs) reads to the
// same records and rejections as the workbook itself. It skips the test
// when LibreOffice is not installed, unless RAMING_REQUIRE_LIBREOFFICE=1.
func TestWorkbookExportedByLibreOffice(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		if os.Getenv("RAMING_REQUIRE_LIBREOFFICE") == "1" {
			t.Fatalf("LibreOffice is required but missing (%v); install libreoffice-calc-nogui", err)
		}
		t.Skip("LibreOffice (libreoffice-calc-nogui) not installed")
	}
	xlsx, _ := extract(t)
	fromXLSX, err := input.Read(bytes.NewReader(xlsx), input.Options{Source: "extract.xlsx", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "extract.xlsx"), xlsx, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, export := range []struct {
		name, locale, ext string
		options           string // of LibreOffice's "Text - txt - csv (StarCalc)" filter
		encoding          string
		delimiter         rune
		decimal           string // how 12345.67 is written
	}{
		{"CSV", "en-US", "csv", "44,34,76,1,,1033,false,true,true", "utf-8", ',', "12345.67"},
		{"Dutch CSV", "nl-NL", "csv", "59,34,76,1,,1043,false,true,true", "utf-8", ';', "12345,67"},
		{"Unicode text", "nl-NL", "txt", "9,34,65535,1,,1043,false,true,true", "utf-16le", '\t', "12345,67"},
	} {
		t.Run(export.name, func(t *testing.T) {
			// A profile in the export's locale, which decides the decimal
			// mark of the numbers written as shown.
			profile := filepath.Join(dir, "profile-"+export.locale)
			os.MkdirAll(filepath.Join(profile, "user"), 0o755)
			xcu := `<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">` +
				`<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>` + export.locale + `</value></prop></item>` +
				`<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>` + export.locale + `</value></prop></item></oor:items>`
			if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(xcu), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, strings.ReplaceAll(export.name, " ", "-"))
			cmd := exec.Command("soffice", "--headless", "-env:UserInstallation=file://"+profile,
				"--convert-to", export.ext+":Text - txt - csv (StarCalc):"+export.options, "--outdir", out, filepath.Join(dir, "extract.xlsx"))
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("soffice: %v: %s", err, msg)
			}
			path := filepath.Join(out, "extract."+export.ext)
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pop, err := input.Read(bytes.NewReader(text), input.Options{Source: path, Today: today})
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			if pop.Encoding != export.encoding || pop.Delimiter != export.delimiter {
				t.Errorf("got %s, %q; want %s, %q", pop.Encoding, pop.Delimiter, export.encoding, export.delimiter)
			}
			if export.encoding == "utf-8" && !bytes.Contains(text, []byte(export.decimal)) {
				t.Errorf("want an export with %s:\n%s", export.decimal, text)
			}
			sameRows(t, fromXLSX, pop, export.name)
		})
	}
}
