package input

import (
	"bytes"
	"testing"
)

// FuzzRead: whatever the bytes, Read never panics, refuses a file only
// with a *FileError, and when it accepts one the row accounting holds
// (checkAccounting). Run: go test -fuzz=FuzzRead ./input (make fuzz); the
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
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ignore := range []bool{false, true} {
			pop, err := Read(bytes.NewReader(data), Options{Source: "fuzz", IgnoreUnknownColumns: ignore, Today: today})
			checkAccounting(t, pop, err)
		}
	})
}
