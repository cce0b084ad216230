package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"raming/input"
)

// TestWorkbookExtract: an extract as a workbook (.xlsx) runs as its CSV
// export does, to the same estimate; --sheet picks the sheet (the first
// one otherwise); a workbook or sheet that cannot be read, and --sheet on
// a CSV, exit 3 (input refused); --sheet without an extract exits 2.
func TestWorkbookExtract(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := input.Generate(&buf, input.GenerateOptions{Rows: 40, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "populatie.csv")
	if err := os.WriteFile(csvPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]string{"notities bij de levering"})
	f.SetSheetName("Sheet1", "Notities")
	f.NewSheet("Populatie")
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Populatie", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := filepath.Join(dir, "populatie.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 1 << 40})
	w.Write([]byte{0x03, 0x00})
	zw.Close()
	bombPath := filepath.Join(dir, "bom.xlsx")
	os.WriteFile(bombPath, bomb.Bytes(), 0o644)

	code, out, stderr := runCLI(t, "validate", "--population", xlsx, "--sheet", "populatie")
	if code != exitOK || !strings.Contains(out, `40 rows read, 40 used, 0 rejected (sheet "Populatie")`) {
		t.Errorf("validate --sheet populatie: exit %d, %q %q; want 0 and 40 rows of sheet Populatie", code, out, stderr)
	}
	_, fromCSV, _ := runCLI(t, "run", "--population", csvPath, "--iterations", "0", "--json", filepath.Join(dir, "csv.json"))
	code, fromXLSX, stderr := runCLI(t, "run", "--population", xlsx, "--sheet", "Populatie", "--iterations", "0", "--json", filepath.Join(dir, "xlsx.json"))
	table := func(out string) string { table, _, _ := strings.Cut(out, "wrote "); return table }
	if code != exitOK || table(fromXLSX) != table(fromCSV) || !strings.Contains(fromCSV, "B-opties") || !strings.Contains(stderr, "sheet=Populatie") {
		t.Errorf("run on the workbook: exit %d, %q; want 0 and the CSV's estimate %q (%s)", code, fromXLSX, fromCSV, stderr)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"the first sheet", []string{"validate", "--population", xlsx}, exitInput, `sheet "Notities", row 1, column id: a required column is missing`},
		{"no such sheet", []string{"run", "--population", xlsx, "--sheet", "Data", "--json", "-"}, exitInput, `no such sheet: the workbook has no sheet "Data"; its sheets are "Notities", "Populatie"`},
		{"--sheet on a CSV", []string{"validate", "--population", csvPath, "--sheet", "Data"}, exitInput, "is for a workbook (.xlsx), and this file is text"},
		{"a zip bomb", []string{"sweep", "--population", bombPath, "--csv", filepath.Join(dir, "s.csv")}, exitInput, "the extract exceeds a limit of the reader"},
		{"--sheet without an extract", []string{"run", "--sheet", "Data", "--json", "-"}, exitUsage, "--sheet needs --population"},
	} {
		if code, _, stderr := runCLI(t, tt.args...); code != tt.code || !strings.Contains(stderr, tt.msg) {
			t.Errorf("%s: exit %d, %q; want %d and %q", tt.name, code, stderr, tt.code, tt.msg)
		}
	}
}
