package input_test

import (
	"bytes"
	"errors"
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

// TestWorkbookAndItsCSVExport: an extract as a workbook (.xlsx, made here
// with excelize: dates as Excel date numbers, with and without a time, and
// as text; amounts as numbers, with binary artefacts, and as text; a year
// as a number; an unknown value, a bad date, a year where a date belongs)
// and the same rows as its
// CSV export read to the same records and the same rejections, and through
// raming.Estimate on the deck-exact scenario to the same figures, to the
// cent.
func TestWorkbookAndItsCSVExport(t *testing.T) {
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
	var csv strings.Builder
	csv.WriteString(strings.Join(input.Columns, ",") + "\n")
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
		}
		csv.WriteString(strings.Join(texts, ",") + "\n")
	}
	var xlsx bytes.Buffer
	if err := f.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	fromXLSX, err := input.Read(bytes.NewReader(xlsx.Bytes()), input.Options{Source: "extract.xlsx", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	fromCSV, err := input.Read(strings.NewReader(csv.String()), input.Options{Source: "extract.csv", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if fromXLSX.Sheet != "Sheet1" || fromXLSX.RowsRead != 6 || len(fromXLSX.Records) != 3 {
		t.Fatalf("got sheet %q, %d rows read, %d used; want Sheet1, 6, 3 (rejected: %v)", fromXLSX.Sheet, fromXLSX.RowsRead, len(fromXLSX.Records), fromXLSX.Rejected)
	}
	if !reflect.DeepEqual(fromXLSX.Records, fromCSV.Records) {
		for i := range fromXLSX.Records {
			t.Logf("xlsx %+v\n csv %+v", fromXLSX.Records[i], fromCSV.Records[min(i, len(fromCSV.Records)-1)])
		}
		t.Fatal("the workbook and its CSV export read to different records")
	}
	if len(fromXLSX.Rejected) != len(fromCSV.Rejected) {
		t.Fatalf("rejected: got %v from the workbook, %v from the CSV", fromXLSX.Rejected, fromCSV.Rejected)
	}
	for i, x := range fromXLSX.Rejected {
		c := fromCSV.Rejected[i]
		if x.Line != c.Line || x.Column != c.Column || x.Err != c.Err || x.Reason() != c.Reason() || x.ID != c.ID {
			t.Errorf("rejected: got %v from the workbook, %v from the CSV", x, c)
		}
	}
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
