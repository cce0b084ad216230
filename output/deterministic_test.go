package output

import (
	"bytes"
	"testing"
)

// TestWorkbookIsByteIdentical: the same result writes the same bytes, run
// after run (excelize alone does not: it writes some parts in map order).
func TestWorkbookIsByteIdentical(t *testing.T) {
	res := simulated(t)
	var first []byte
	for i := 0; i < 15; i++ {
		var buf bytes.Buffer
		if err := WriteWorkbook(&buf, res, fixedProvenance); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf.Bytes()
			continue
		}
		if !bytes.Equal(buf.Bytes(), first) {
			t.Fatalf("run %d wrote different bytes", i+1)
		}
	}
}

func TestDeterministicRefusesNonZip(t *testing.T) {
	if _, err := Deterministic([]byte("not a zip")); err == nil {
		t.Error("got no error for bytes that are not a zip package")
	}
}
