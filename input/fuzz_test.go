package input

import (
	"bytes"
	"testing"
)

// FuzzRead: whatever the bytes, Read never panics, and when it accepts a
// file the row accounting holds: rows read = used + rejected.
// Run: go test -fuzz=FuzzRead ./input (make fuzz).
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	Generate(&buf, GenerateOptions{Rows: 5, Seed: 1})
	f.Add(buf.Bytes())
	buf.Reset()
	Generate(&buf, GenerateOptions{Rows: 5, Seed: 2, Dialect: "nl"})
	f.Add(buf.Bytes())
	f.Add([]byte(header + "EXP-1,D,nee,ja,2014,\"multi\nline\",,,,,,,\n"))
	f.Add([]byte(header + "EXP-1,D,nee,ja,2014,,,,\"1.2,3\",,,,\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pop, err := Read(bytes.NewReader(data), Options{Source: "fuzz", IgnoreUnknownColumns: true})
		if err != nil {
			return
		}
		if pop.RowsRead != len(pop.Records)+len(pop.Rejected) {
			t.Fatalf("read %d, used %d, rejected %d", pop.RowsRead, len(pop.Records), len(pop.Rejected))
		}
		for _, r := range pop.Rejected {
			if r.Line < 2 {
				t.Fatalf("rejected row on line %d: the header is line 1", r.Line)
			}
		}
	})
}
