package input

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"raming/internal/bsn"
)

// checkAccounting is the property every read must keep: rows read = used +
// rejected; every row after the header, in line order; no used row
// repeats an id (normalised: normID); no message repeats a BSN
// (checkNoBSNEchoed). A refused file is a *FileError and nothing else.
func checkAccounting(t *testing.T, pop *Population, err error) {
	t.Helper()
	checkNoBSNEchoed(t, pop, err)
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) || pop != nil {
			t.Fatalf("got %v (%T) and a Population %v; want a *FileError and none", err, err, pop != nil)
		}
		return
	}
	if pop.RowsRead != len(pop.Records)+len(pop.Rejected) {
		t.Fatalf("got %d read, %d used + %d rejected", pop.RowsRead, len(pop.Records), len(pop.Rejected))
	}
	if pop.RowsRead == 0 {
		t.Fatal("a Population without rows: want ErrNoRows")
	}
	ids := map[string]bool{}
	last := 1
	for _, r := range pop.Records {
		if r.Line <= last {
			t.Fatalf("record on line %d after line %d", r.Line, last)
		}
		last = r.Line
		if key := normID(r.ID); ids[key] || key == "" || r.ID != strings.TrimSpace(r.ID) || r.DossierID == "" {
			t.Fatalf("line %d: id %q used twice, empty or not trimmed", r.Line, r.ID)
		}
		ids[normID(r.ID)] = true
		for _, m := range []Money{r.Recovery, r.Contributed, r.Received30k, r.IntegralAssessment} {
			if m.Cents < 0 || (!m.Known && m.Cents != 0) {
				t.Fatalf("line %d: amount %+v", r.Line, m)
			}
		}
		if r.ProblemStart.IsZero() { // an einde_samen before it is valid
			t.Fatalf("line %d: no start", r.Line)
		}
	}
	last = 1
	for _, r := range pop.Rejected {
		if r.Line <= last || r.Err == nil {
			t.Fatalf("rejected row on line %d after line %d (%v)", r.Line, last, r)
		}
		last = r.Line
		if r.ID != strings.TrimSpace(r.ID) || bsn.InValue(r.ID) {
			t.Fatalf("line %d: id %q not trimmed, or a BSN", r.Line, r.ID)
		}
	}
}

// checkNoBSNEchoed: no message (a file-level error, a row error, its
// reason, a warning) repeats a number that passes the eleven-test: a run of
// eight or nine digits, or nine in groups 3-3-3 or 4-2-3 (bsn.InText, the
// guard's own free-text scan, so this is at least "no 9-digit run passing
// the eleven-test").
func checkNoBSNEchoed(t *testing.T, pop *Population, err error) {
	t.Helper()
	var texts []string
	if err != nil {
		texts = append(texts, err.Error())
	}
	if pop != nil {
		texts = append(texts, pop.Warnings...)
		for _, r := range pop.Rejected {
			texts = append(texts, r.Error(), r.Reason())
		}
	}
	for _, s := range texts {
		if bsn.InText(s) {
			t.Fatalf("a message repeats a number that passes the eleven-test: %q", s)
		}
	}
}

// TestAccounting: the property on generated extracts and on the same with
// rows damaged at random: whole-row damage keeps every row a row (so all
// 200 are read), byte-level damage may merge or split rows.
func TestAccounting(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		dialect := []string{"standard", "nl"}[seed%2]
		var buf bytes.Buffer
		if err := Generate(&buf, GenerateOptions{Rows: 200, Seed: seed, Dialect: dialect}); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 99))
		sep := []string{",", ";"}[seed%2]
		lines := strings.Split(buf.String(), "\n")
		for i := 1; i < len(lines)-1; i++ {
			if rng.IntN(4) > 0 {
				continue
			}
			switch rng.IntN(7) {
			case 0:
				lines[i] = strings.Replace(lines[i], "-", "/", 3)
			case 1:
				lines[i] = strings.TrimSuffix(lines[i], "\r") + sep + "extra"
			case 2:
				lines[i] = strings.Replace(lines[i], "nee", "misschien", 1)
			case 3:
				lines[i] = lines[i-1] // a duplicate id
			case 4:
				lines[i] = strings.Replace(lines[i], "20", "-20", 1)
			case 5:
				lines[i] = strings.Replace(lines[i], sep, sep+`x"y`, 1)
			case 6:
				lines[i] = strings.Replace(lines[i], "EXP", "", 1)
			}
		}
		whole := strings.Join(lines, "\n")
		pop, err := Read(strings.NewReader(whole), Options{Source: "mutated", Today: today})
		checkAccounting(t, pop, err)
		if err != nil || pop.RowsRead != 200 {
			t.Fatalf("seed %d: got %v, %d rows read; want 200", seed, err, pop.RowsRead)
		}
		// Byte-level damage.
		b := []byte(whole)
		for k := 0; k < 20; k++ {
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b = append(b[:i], b[i+1:]...)
			case 1:
				c := []byte{'"', ',', ';', '\n', '\r', '-', '9', 0xE9}[rng.IntN(8)]
				b = append(b[:i], append([]byte{c}, b[i:]...)...)
			case 2:
				b[i] = byte(rng.IntN(256))
			}
			pop, err := Read(bytes.NewReader(b), Options{Source: "damaged", Today: today, IgnoreUnknownColumns: true})
			checkAccounting(t, pop, err)
		}
	}
}
