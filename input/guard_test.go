package input

import (
	"errors"
	"strings"
	"testing"
)

// The BSNs in these tests are made up: 123456782, 111222333 and 010000008
// pass the eleven-test and belong to no one known to the tests.

// TestBSNGuardGroupedForms: a whole value that is a BSN written in groups
// 3-3-3 or 4-2-3, with the same space, dot or dash twice, is caught; dates,
// amounts with thousands separators and ids with a prefix are not.
func TestBSNGuardGroupedForms(t *testing.T) {
	tests := []struct {
		name, v string
		want    bool
	}{
		{"3-3-3 spaces", "123 456 782", true},
		{"3-3-3 dots", "123.456.782", true},
		{"3-3-3 dashes", "123-456-782", true},
		{"4-2-3 spaces", "1234 56 782", true},
		{"4-2-3 dots", "1234.56.782", true},
		{"4-2-3 dashes", "1234-56-782", true},
		{"surrounding spaces", "  123.456.782 ", true},
		{"no-break spaces", "123\u00a0456\u00a0782", true},
		{"plain nine digits", "111222333", true},
		{"eight digits, leading zero dropped", "10000008", true},
		{"fails the eleven-test", "123.456.789", false},
		{"two separators", "123.456-782", false},
		{"groups 3-3-3 with double spaces", "123  456  782", true},
		{"groups 2-4-3", "12.3456.782", false},
		{"groups 3-3-3 and more", "123.456.782.5", false},
		{"ISO date", "2014-03-01", false},
		{"Dutch date", "01-03-2014", false},
		{"date and time", "2014-03-02 00:00:00", false},
		{"amount in thousands", "12.345.678", false},
		{"amount with decimals", "1.234.567,89", false},
		{"amount in a space-grouped form", "12 345 678", false},
		{"prefixed id", "EXP-0000001", false},
		{"prefixed id of nine digits", "P123456789", false},
		{"prefixed id whose digits pass", "P123456782", false},
		{"dossier id", "DOS-000001", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := containsBSN(tt.v); got != tt.want {
				t.Errorf("containsBSN(%q): got %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

// TestBSNGuardFreeText: a value with white space in it (free text) is
// scanned for a BSN anywhere in it: a run of eight or nine digits bounded by
// non-digits, or the grouped forms.
func TestBSNGuardFreeText(t *testing.T) {
	tests := []struct {
		name, v string
		want    bool
	}{
		{"nine digits in a sentence", "partner heeft bsn 123456782 opgegeven", true},
		{"after a colon", "bsn:123456782 (gecontroleerd)", true},
		{"bounded by letters", "zie P123456782 hier", true},
		{"eight digits", "oud nummer 10000008 vervallen", true},
		{"3-3-3 in text", "nummer 123 456 782.", true},
		{"4-2-3 in text", "nr 1234.56.782 bekend", true},
		{"dashes in text", "zie (123-456-782)", true},
		{"no white space: whole value only", "(123-456-782)", false},
		{"over two lines", "regel een\nbsn 111222333", true},
		{"tab", "x\t123456782", true},
		{"no-break spaces", "bsn 1234\u00a056\u00a0782", true},
		{"fails the eleven-test", "nummer 123456789 en 123 456 789", false},
		{"ten digits", "rekening 1234567820 x", false},
		{"dates, amounts, ids", "op 2014-03-01 en 01-03-2014 betaald: € 12.345.678 en 1.234.567,89 door EXP-0000001", false},
		{"a Dutch amount", "€ 12.345,67", false},
		{"date and time", "2014-03-02 00:00:00", false},
		{"mixed separators", "123.456-782 x", false},
		{"no white space: whole value only", "bsn:123456782", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := containsBSN(tt.v); got != tt.want {
				t.Errorf("containsBSN(%q): got %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

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

// TestMaskDigits: a message hides the digits of any number that could be a
// BSN and keeps the rest.
func TestMaskDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12345678x", "••••••••x"},
		{"x123456782", "x•••••••••"},
		{"1234567890123", "•••••••••••••"},
		{"bsn 123 456 782", "bsn ••• ••• •••"},
		{"123.456.789", "•••.•••.•••"},
		{"1234-56-782", "••••-••-•••"},
		{"12.345.678", "••.•••.•••"},
		{"1\u00a0234\u00a0567\u00a0890", "•\u00a0•••\u00a0•••\u00a0•••"},
		{"2014-03-02 00:00:00", "2014-03-02 00:00:00"},
		{"01-03-2014 tot 31-12-2015", "01-03-2014 tot 31-12-2015"},
		{"1.234.567,89", "1.234.567,89"},
		{"EXP-0000001", "EXP-0000001"},
		{"1234567", "1234567"},
		{"€ 12.345,67", "€ 12.345,67"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := maskDigits(tt.in); got != tt.want {
			t.Errorf("maskDigits(%q): got %q, want %q", tt.in, got, tt.want)
		}
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
		if got := quote(v); bsnInText(got) || strings.Contains(got, "3456") {
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

// Messages hide a number that could be a BSN whatever separates its
// digits, whatever digits it is written in.
func TestMaskDigitsAnySeparator(t *testing.T) {
	for _, v := range []string{"123,456,782", "123/456/782", "123_456_782", "１２３４５６７８２", "١٢٣٤٥٦٧٨٢",
		"123\u200b456782", "1234567 82x", "1 2 3 4 5 6 7 8 2", "date \"123.456.782x\""} {
		got := maskDigits(v)
		if strings.ContainsAny(got, "0123456789") {
			t.Errorf("maskDigits(%q) = %q: digits left", v, got)
		}
	}
	for _, v := range []string{"2014-03-02 00:00:00", "EXP-12", "1,5 jaar", "１２"} {
		if got := maskDigits(v); got != v {
			t.Errorf("maskDigits(%q) = %q, want it unchanged", v, got)
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

// TestBSNGuardNormalises: the guard reads a value normalised, so the forms
// that slipped through before (issue: doubled spaces, a leading +,
// full-width digits, thin or figure spaces as separators) are caught as a
// whole value and in free text, and a message hides them; dates, amounts
// and prefixed ids still pass.
func TestBSNGuardNormalises(t *testing.T) {
	for _, v := range []string{
		"123  456  782", "123..456..782", "1234--56--782", "123 - 456 - 782", "+123456782", "+ 123 456 782", "+10000008",
		"１２３４５６７８２", "１２３－４５６－７８２", "１２３\u3000４５６\u3000７８２", "＋１２３４５６７８２",
		"123\u2009456\u2009782", "123\u2007456\u2007782", "123\u202f\u202f456\u202f782", "1234\u200956\u2009782",
		"123\u200b456\u200b782", "\u2460\u2461\u2462\u2463\u2464\u2465\u2466\u2467\u2461", "123\u2010456\u2010782", "123\u2212456\u2212782",
	} {
		if !containsBSN(v) {
			t.Errorf("containsBSN(%q): got false, want true", v)
		}
		if !containsBSN("zie " + v + " hier") {
			t.Errorf("containsBSN(%q in free text): got false, want true", v)
		}
		if !ContainsBSN("bestand_" + v + ".csv") {
			t.Errorf("ContainsBSN(%q in a file name): got false, want true", v)
		}
		if got := MaskBSN("id " + v); strings.ContainsAny(got, "0123456789") || bsnInText(plainText(got)) {
			t.Errorf("MaskBSN(%q) = %q: digits left", v, got)
		}
	}
	for _, v := range []string{"2014-03-01", "01-03-2014", "12.345.678", "1.234.567,89", "EXP-0000001", "P123456782",
		"+31 20 123 4567", "123.456-782", "12 345 678", "€ 12.345,67", "２０１４-０３-０１", "123.456.782.5"} {
		if containsBSN(v) {
			t.Errorf("containsBSN(%q): got true, want false", v)
		}
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
