package input

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// FuzzRead: whatever the bytes, Read never panics, refuses a file only
// with a *FileError, and when it accepts one the row accounting holds:
// rows read = used + rejected, in line order, no id used twice
// (checkAccounting); and no message, row error or warning contains a
// number that passes the eleven-test, such as a 9-digit run
// (checkNoBSNEchoed). The seeds are text (CSV, UTF-16) and workbooks
// (.xlsx), so the fuzzer also feeds damaged workbooks to excelize, whose
// panics Read must turn into a *FileError. Run: go test -fuzz=FuzzRead
// ./input (make fuzz); the corpus it found is in testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	for i, d := range []string{"standard", "nl"} {
		var buf bytes.Buffer
		Generate(&buf, GenerateOptions{Rows: 5, Seed: uint64(i + 1), Dialect: d})
		f.Add(buf.Bytes())
	}
	f.Add([]byte(header + "EXP-1,D,nee,ja,2014,\"multi\nline\",,,,,,,\n"))
	f.Add([]byte(header + "EXP-1,D,nee,ja,2014,,,,\"1.2,3\",,,,\n\"unterminated"))
	f.Add([]byte("sep=;\r\nid;dossier_id;herstel_als_aanvrager;gedupeerd;start_problematiek;x\r\nEXP-1;D;j;;2014;\r\n"))
	f.Add([]byte("\xef\xbb\xbfid,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek\nEXP-1,D\"x,nee,ja,2014\n"))
	f.Add([]byte("id;dossier_id;herstel_als_aanvrager;gedupeerd;start_problematiek;einde_samen\rEXP-1;\"D\r1\";nee;ja;2014;2013\rexp-1;D;nee;ja;2014;12345678x\r"))
	f.Add([]byte("id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,opmerking\nEXP-\u200b1,D,nee,ja,2014,\"zie 123 456 789, 1234.56.789\"\n\ufeffexp-1,D,nee,ja,2014-03-02 00:00:00,\n"))
	f.Add([]byte("\xff\xfei\x00d\x00\t\x00x\x00\r\x00\n\x00"))
	xlsx := makeWorkbook(f, [][]any{headerRow("opmerking"), {"EXP-1", "DOS-1", "nee", "ja", 2014, 42482.5, "1-3-2021", nil, 12345.67, "€ 1.234,56", nil, nil, "ja", "zie 123"},
		{"EXP-2", "DOS-1", true, "misschien", "2015", "2016-01-01 00:00"}}, nil)
	f.Add(xlsx)
	f.Add(stored(f, xlsx)) // its XML as it is, for the fuzzer to change
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ignore := range []bool{false, true} {
			pop, err := Read(bytes.NewReader(data), Options{Source: "fuzz", IgnoreUnknownColumns: ignore, Today: today})
			checkAccounting(t, pop, err)
		}
	})
}

// stored is a workbook with its parts stored in the zip archive, not
// deflated.
func stored(t testing.TB, xlsx []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}
