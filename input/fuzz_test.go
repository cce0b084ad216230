package input

import (
	"bytes"
	"testing"
)

// FuzzRead: whatever the bytes, Read never panics, refuses a file only
// with a *FileError, and when it accepts one the row accounting holds:
// rows read = used + rejected, in line order, no id used twice
// (checkAccounting); and no message, row error or warning contains a
// number that passes the eleven-test, such as a 9-digit run
// (checkNoBSNEchoed). Run: go test -fuzz=FuzzRead ./input (make fuzz); the
// corpus it found is in testdata/fuzz/FuzzRead.
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
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ignore := range []bool{false, true} {
			pop, err := Read(bytes.NewReader(data), Options{Source: "fuzz", IgnoreUnknownColumns: ignore, Today: today})
			checkAccounting(t, pop, err)
		}
	})
}
