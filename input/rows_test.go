package input

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestDuplicateIDsNormalised: ids that differ only in case, in Unicode
// compatibility form, in zero-width characters or a byte order mark, or in
// surrounding space, are one person: the first row takes the id and every
// later one is rejected as a duplicate naming the first line. The record
// keeps the id as written.
func TestDuplicateIDsNormalised(t *testing.T) {
	tests := []struct {
		name  string
		ids   []string // in file order, from line 2
		used  []string // the ids of the records, as written
		first []int    // per rejected row, the line it names
	}{
		{"case", []string{"EXP-1", "exp-1", "Exp-1"}, []string{"EXP-1"}, []int{2, 2}},
		{"lower case first", []string{"exp-1", "EXP-1"}, []string{"exp-1"}, []int{2}},
		{"zero-width space", []string{"EXP-1", "EXP-\u200b1"}, []string{"EXP-1"}, []int{2}},
		{"zero-width space first", []string{"EXP-\u200b1", "EXP-1", "exp-1"}, []string{"EXP-\u200b1"}, []int{2, 2}},
		{"other zero-width characters", []string{"EXP-1", "E\u200cXP\u200d-\u20601"}, []string{"EXP-1"}, []int{2}},
		{"byte order mark", []string{"EXP-1", "\ufeffEXP-1"}, []string{"EXP-1"}, []int{2}},
		{"full-width (NFKC)", []string{"EXP-1", "ＥＸＰ－１"}, []string{"EXP-1"}, []int{2}},
		{"no-break space around", []string{"EXP-1", "\u00a0EXP-1\u00a0"}, []string{"EXP-1"}, []int{2}},
		{"full case folding", []string{"STRASSE-1", "straße-1"}, []string{"STRASSE-1"}, []int{2}},
		{"different ids", []string{"EXP-1", "EXP-l", "EXP-11", "EXP-é", "EXP-e"}, []string{"EXP-1", "EXP-l", "EXP-11", "EXP-é", "EXP-e"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(header)
			for _, id := range tt.ids {
				fmt.Fprintf(&b, "%s,D,nee,ja,2014,,,,,,,,\n", id)
			}
			pop, err := Read(strings.NewReader(b.String()), Options{Source: "t"})
			if err != nil {
				t.Fatal(err)
			}
			var used []string
			for _, r := range pop.Records {
				used = append(used, r.ID)
			}
			if fmt.Sprintf("%q", used) != fmt.Sprintf("%q", tt.used) {
				t.Errorf("got records %q, want %q", used, tt.used)
			}
			if len(pop.Rejected) != len(tt.first) {
				t.Fatalf("got rejected %v, want %d duplicates", pop.Rejected, len(tt.first))
			}
			for i, re := range pop.Rejected {
				want := fmt.Sprintf("is also on line %d ", tt.first[i])
				if !errors.Is(re, ErrDuplicateID) || !strings.Contains(re.Error(), want) {
					t.Errorf("got %v, want a duplicate id that %s", re, want)
				}
				if written := strings.TrimSpace(tt.ids[re.Line-2]); re.ID != written {
					t.Errorf("got id %q, want %q as written", re.ID, written)
				}
			}
		})
	}
}

// TestNormID: the normalised id, and that the ASCII fast path (dupKey)
// agrees with the full normalisation.
func TestNormID(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"EXP-1", "EXP-1"},
		{"exp-1", "EXP-1"},
		{" Exp-1 ", "EXP-1"},
		{"EXP-\u200b1", "EXP-1"},
		{"\ufeffexp-1", "EXP-1"},
		{"ＥＸＰ－１", "EXP-1"},
		{"ﬁle-1", "FILE-1"},
		{"\u212a-1", "K-1"}, // the Kelvin sign
		{"straße", "STRASSE"},
		{"EXP-é", "EXP-é"},
		{"EXP-É", "EXP-é"},
		{"EXP-e\u0301", "EXP-é"}, // e and a combining acute: composed
		{"\u200b\u2060", ""},
	} {
		if got := normID(tt.in); got != tt.want {
			t.Errorf("normID(%q): got %q, want %q", tt.in, got, tt.want)
		}
		rd := &reader{}
		key := strings.TrimSpace(tt.in)
		if !rd.dupKey(key) {
			key = string(rd.key)
		}
		if key != tt.want {
			t.Errorf("dupKey(%q): got %q, want %q", tt.in, key, tt.want)
		}
	}
}

// TestCROnlyLineEnds: a file whose lines end in CR alone (old Excel for
// Mac) reads like the same file with LF, with the right lines in row
// errors, also after a quoted value over two lines; CRLF files and a CR
// inside a quoted value of an LF file are left alone.
func TestCROnlyLineEnds(t *testing.T) {
	rows := []string{
		strings.TrimSuffix(header, "\n"),
		"EXP-1,DOS-1,nee,ja,2014,,,,,,,,",
		`EXP-2,"DOS` + "\n" + `2",nee,ja,2014,,,,,,,,`, // lines 3-4
		"",                                       // line 5: blank
		"EXP-3,DOS-3,nee,misschien,2014,,,,,,,,", // line 6: rejected
		"EXP-4,DOS-4,nee,ja,2015,,,,1500,,,,",    // line 7
	}
	lf := strings.Join(rows, "\n") + "\n"
	for _, tt := range []struct{ name, src string }{
		{"CR", strings.ReplaceAll(lf, "\n", "\r")},
		{"CR, no final line end", strings.TrimSuffix(strings.ReplaceAll(lf, "\n", "\r"), "\r")},
		{"CR, with BOM and sep= line", "\ufeffsep=,\r" + strings.ReplaceAll(lf, "\n", "\r")},
		{"CRLF", strings.ReplaceAll(lf, "\n", "\r\n")},
		{"LF", lf},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pop, err := Read(strings.NewReader(tt.src), Options{Source: "t"})
			if err != nil {
				t.Fatal(err)
			}
			shift := 0
			if strings.Contains(tt.name, "sep=") {
				shift = 1
			}
			var lines []int
			for _, r := range pop.Records {
				lines = append(lines, r.Line-shift)
			}
			if got, want := fmt.Sprint(lines), "[2 3 7]"; got != want || len(pop.Rejected) != 1 || pop.Rejected[0].Line-shift != 6 {
				t.Fatalf("got records on lines %v, rejected %v; want %s and line 6", got, pop.Rejected, want)
			}
			if got := pop.Records[1].DossierID; got != "DOS\n2" {
				t.Errorf("got dossier %q, want %q", got, "DOS\n2")
			}
			if got := pop.Records[2].Recovery.Cents; got != 150000 {
				t.Errorf("got %d cents, want 150000", got)
			}
		})
	}
	// A CR inside a quoted value of an LF file stays a CR.
	pop, err := Read(strings.NewReader(header+"EXP-1,\"DOS\r1\",nee,ja,2014,,,,,,,,\n"), Options{Source: "t"})
	if err != nil || len(pop.Records) != 1 || pop.Records[0].DossierID != "DOS\r1" {
		t.Errorf("got %v, %+v; want dossier %q", err, pop, "DOS\r1")
	}
}

// TestRowErrorCarriesID: every kind of rejected row carries its id as
// written (trimmed) where the row has a readable id column, so a data team
// can fix it at the source; Error() stays line, column, reason.
func TestRowErrorCarriesID(t *testing.T) {
	idLast := "dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,id\n"
	tests := []struct {
		name, src string
		err       error
		id        string
	}{
		{"bad value", header + " EXP-7 ,D,nee,ja,2014,x,,,,,,,\n", ErrBadDate, "EXP-7"},
		{"future date", header + "EXP-7,D,nee,ja,2099,,,,,,,,\n", ErrFutureDate, "EXP-7"},
		{"missing value", header + "EXP-7,,nee,ja,2014,,,,,,,,\n", ErrMissingValue, "EXP-7"},
		{"missing id", header + " ,D,nee,ja,2014,,,,,,,,\n", ErrMissingValue, ""},
		{"duplicate", header + "EXP-7,D,nee,ja,2014,,,,,,,,\nexp-7,D,nee,ja,2014,,,,,,,,\n", ErrDuplicateID, "exp-7"},
		{"too few fields, id first", header + "EXP-7,D,nee\n", ErrFieldCount, "EXP-7"},
		{"too few fields to reach the id", idLast + "D,nee,ja\n", ErrFieldCount, ""},
		{"too many fields", header + "EXP-7,D,nee,ja,2014,,,,,,,,,x\n", ErrFieldCount, "EXP-7"},
		{"not CSV after the id", header + "EXP-7,D\"x,nee,ja,2014,,,,,,,,\n", ErrMalformedRow, "EXP-7"},
		{"not CSV after a quoted id", header + "\"EXP-7, \"\"b\"\"\",D\"x,nee,ja,2014,,,,,,,,\n", ErrMalformedRow, `EXP-7, "b"`},
		{"not CSV in the id", header + "EXP\"7,D,nee,ja,2014,,,,,,,,\n", ErrMalformedRow, ""},
		{"not CSV before the id", idLast + "D\"x,nee,ja,2014,EXP-7\n", ErrMalformedRow, ""},
		{"not CSV over lines, after blank lines", header + "\n\nEXP-7,\"D\nx\"y,nee,ja,2014,,,,,,,,\n", ErrMalformedRow, "EXP-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop, err := Read(strings.NewReader(tt.src), Options{Source: "t", Today: today})
			if err != nil {
				t.Fatal(err)
			}
			re := pop.Rejected[len(pop.Rejected)-1]
			if !errors.Is(re, tt.err) || re.ID != tt.id {
				t.Errorf("got %v with id %q, want %v with id %q", re, re.ID, tt.err, tt.id)
			}
			if strings.Contains(re.Error(), "EXP-7") && tt.err != ErrDuplicateID {
				t.Errorf("got %q: Error() shows the id", re.Error())
			}
		})
	}
}

// TestEndBeforeStartIsValid: an einde_samen before start_problematiek is
// valid input (the deck's archetype "was (snel) weg": left before the
// problems began) and is read as written.
func TestEndBeforeStartIsValid(t *testing.T) {
	pop, err := Read(strings.NewReader(header+"EXP-1,D,nee,ja,2014,2013-05-01,,,,,,,\nEXP-2,D,nee,ja,01-03-2014,28-02-2014,,,,,,,\n"), Options{Source: "t", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(pop.Records) != 2 || len(pop.Rejected) != 0 {
		t.Fatalf("got %d used, rejected %v; want 2 used", len(pop.Records), pop.Rejected)
	}
	for i, want := range [][2]string{{"2014-01-01", "2013-05-01"}, {"2014-03-01", "2014-02-28"}} {
		if r := pop.Records[i]; r.ProblemStart.String() != want[0] || r.EndTogether.String() != want[1] {
			t.Errorf("record %d: got start %s, end %s; want %s, %s", i, r.ProblemStart, r.EndTogether, want[0], want[1])
		}
	}
}

// TestSemicolonFileMessage: in a ;-separated file a comma before three
// digits is a decimal comma, so the amount has three decimals (the message
// docs/input.md lists).
func TestSemicolonFileMessage(t *testing.T) {
	src := "id;dossier_id;herstel_als_aanvrager;gedupeerd;start_problematiek;terugvordering_totaal\nEXP-1;D;nee;ja;2014;1,500\n"
	pop, err := Read(strings.NewReader(src), Options{Source: "t"})
	if err != nil {
		t.Fatal(err)
	}
	want := `line 2, column terugvordering_totaal: amount "1,500" has three decimals: in a file separated by ';' the ',' is the decimal separator (write 12345,67 or 12.345,67)`
	if len(pop.Rejected) != 1 || pop.Rejected[0].Error() != want {
		t.Errorf("got %v, want %q", pop.Rejected, want)
	}
}

// TestHotPathAllocations: valid values allocate nothing per value: the only
// allocation per row is the record's ids (one for id and dossier_id), also
// when the ids are lower case (compared upper-cased for duplicates) and when
// a column holds free text with spaces (scanned for a BSN).
func TestHotPathAllocations(t *testing.T) {
	var buf strings.Builder
	if err := Generate(&buf, GenerateOptions{Rows: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	plain := buf.String()
	lines := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")
	lines[0] += ",opmerking"
	for i := 1; i < len(lines); i++ {
		lines[i] += ",\"akkoord op 2014-03-01, bedrag 12.345.678 en dossier DOS-000001\""
	}
	for _, tt := range []struct{ name, src string }{
		{"lower-case ids", strings.ReplaceAll(plain, "EXP-", "exp-")},
		{"free text", strings.Join(lines, "\n") + "\n"},
	} {
		allocs := func(src string) float64 {
			return testing.AllocsPerRun(3, func() {
				pop, err := Read(strings.NewReader(src), Options{IgnoreUnknownColumns: true})
				if err != nil || len(pop.Records) != 2000 {
					t.Fatalf("got %v", err)
				}
			})
		}
		if base, got := allocs(plain), allocs(tt.src); got > base+50 {
			t.Errorf("%s: got %.0f allocations for 2000 rows, want about %.0f (as the generated file)", tt.name, got, base)
		}
	}
}
