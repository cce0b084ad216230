package input

import (
	"errors"
	"strings"
	"testing"

	"raming/internal/bsn"
)

// The BSNs in these tests are made up: 123456782, 111222333 and 010000008
// pass the eleven-test and belong to no one known to the tests.

// TestBSNGuardRefusesFile: a BSN in a grouped form, or in the free text of
// an ignored column, refuses the whole file with ErrNotPseudonymised,
// naming the column and line but never the value; also a BSN in a column's
// name with other words, and in the raw text of a row that is not valid
// CSV.
func TestBSNGuardRefusesFile(t *testing.T) {
	head := "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,opmerking\n"
	ok := "EXP-1,DOS-1,nee,ja,2014,akkoord\n"
	tests := []struct {
		name, src, msg string
	}{
		{"grouped in a contract column", head + ok + "EXP-2,1234-56-782,nee,ja,2015,\n", "line 3, column dossier_id: the extract is not pseudonymised"},
		{"grouped with spaces, quoted", head + ok + "EXP-2,DOS-2,nee,ja,2015,\" 123 456 782 \"\n", "line 3, column opmerking: the extract is not pseudonymised"},
		{"in free text", head + ok + "EXP-2,DOS-2,nee,ja,2015,partner gaf bsn 111222333 op\n", "line 3, column opmerking: the extract is not pseudonymised"},
		{"in multi-line free text", head + ok + "EXP-2,DOS-2,nee,ja,2015,\"eerste regel\ntweede: 123.456.782\"\n", "line 3, column opmerking"},
		{"in a column name", "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,kolom 123456782\n" + ok, "line 1, column #6: the extract is not pseudonymised"},
		{"in free text of a row that is not CSV", head + ok + "EXP-2,DOS\"2,nee,ja,2015,zie 123 456 782\n", "line 3, column opmerking: the extract is not pseudonymised"},
		{"in a row that is not CSV, after blank lines", head + ok + "\n\r\n\nEXP-2,DOS\"2,nee,ja,2015,123456782\n", "line 6, column opmerking: the extract is not pseudonymised"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop, err := Read(strings.NewReader(tt.src), Options{Source: "t", IgnoreUnknownColumns: true})
			if pop != nil || err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want an error containing %q", err, tt.msg)
			}
			for _, digits := range []string{"456", "782", "111222333"} {
				if strings.Contains(err.Error(), digits) {
					t.Errorf("got %q, which repeats part of the value", err)
				}
			}
		})
	}
}

// TestQuoteNeverEchoesBSN: quote, which every row error uses to repeat a
// value, hides a BSN however it is embedded, also where cutting a long value
// or escaping a control character would otherwise leave or make a run.
func TestQuoteNeverEchoesBSN(t *testing.T) {
	for _, v := range []string{
		"123456782", "12345678x", "BSN:123456782", "123-456-782x", "x1234.56.782",
		strings.Repeat("a", 36) + "123456782", // cut at 40 characters
		"\x01" + "2345672",                    // seven digits, quoted as \x012345672: 012345672 passes
		"1\x00" + "23456782",
	} {
		if got := quote(v); bsn.InText(got) || strings.Contains(got, "3456") {
			t.Errorf("quote(%q) = %s: repeats the number", v, got)
		}
	}
	if got, want := quote("2014-03-02 00:00:00"), `"2014-03-02 00:00:00"`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// A rejected row's id never shows a number that could be a BSN, though the
// id itself passed the guard (a prefix makes it a pseudonym).
func TestRejectedIDMasksBSN(t *testing.T) {
	csv := "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek\n" +
		"K-123456782,DOS-1,nee,ja,2015\nK-123456782,DOS-2,nee,ja,2015\nR-111222333,DOS-3,nee,misschien,2015\n"
	pop, err := Read(strings.NewReader(csv), Options{Source: "t.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pop.Rejected) != 2 {
		t.Fatalf("rejected %d rows, want 2", len(pop.Rejected))
	}
	for _, r := range pop.Rejected {
		if strings.ContainsAny(r.ID, "0123456789") || !strings.Contains(r.ID, "•") {
			t.Errorf("line %d: id %q shows digits that could be a BSN", r.Line, r.ID)
		}
	}
}

// TestRejectedIDMaskedAndTrimmed: masking drops zero-width characters, so
// an id such as "\u200b 12345678x" would show a leading space once masked;
// RowError.ID is trimmed again, in each of the three ways a row is
// rejected (a bad value, the wrong number of fields, not valid CSV). Found
// by FuzzRead.
func TestRejectedIDMaskedAndTrimmed(t *testing.T) {
	const id = "\u200b 12345678x"
	const want = "••••••••x"
	rows := map[string]string{
		"bad value":   id + ",D,nee,ja,20x4,,,,,,,,\n",
		"field count": id + ",D,nee,ja,2014\n",
		"not CSV":     id + ",D\"x,nee,ja,2014,,,,,,,,\n",
	}
	for name, row := range rows {
		pop, err := Read(strings.NewReader(header+row), Options{Source: "test", Today: today})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(pop.Rejected) != 1 || pop.Rejected[0].ID != want {
			t.Errorf("%s: rejected %v, want one row with id %q", name, pop.Rejected, want)
			continue
		}
		checkAccounting(t, pop, err)
	}
}

// TestBSNGuardRefusesNormalisedForms: an extract with an id in one of the
// forms that slipped through is refused, naming the line and column only;
// before, "+123456782" and "１２３４５６７８２" passed as ids into --records
// and "123  456  782" was shown unmasked as a rejected row's id.
func TestBSNGuardRefusesNormalisedForms(t *testing.T) {
	for _, id := range []string{"+123456782", "１２３４５６７８２", "123\u2009456\u2009782", "123\u2007456\u2007782", "123  456  782"} {
		_, err := Read(strings.NewReader(header+"EXP-1,D,nee,ja,2014,,,,,,,,\n"+id+",D,nee,ja,2014,,,,,,,,\n"), Options{Source: "t"})
		if !errors.Is(err, ErrNotPseudonymised) || !strings.Contains(err.Error(), "t, line 3, column id: the extract is not pseudonymised") {
			t.Errorf("id %q: got %v, want it refused on line 3, column id", id, err)
		}
	}
}
