package bsn

import (
	"strings"
	"testing"
	"time"
)

// The BSNs in these tests are made up: 123456782, 111222333 and 010000008
// pass the eleven-test and belong to no one known to the tests.

// TestGroupedForms: a whole value that is a BSN written in groups
// 3-3-3 or 4-2-3, with the same space, dot or dash twice, is caught; dates,
// amounts with thousands separators and ids with a prefix are not.
func TestGroupedForms(t *testing.T) {
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
			if got := InValue(tt.v); got != tt.want {
				t.Errorf("InValue(%q): got %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

// TestFreeText: a value with white space in it (free text) is
// scanned for a BSN anywhere in it: a run of eight or nine digits bounded by
// non-digits, or the grouped forms.
func TestFreeText(t *testing.T) {
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
			if got := InValue(tt.v); got != tt.want {
				t.Errorf("InValue(%q): got %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

// TestMask: a message hides the digits of any number that could be a
// BSN and keeps the rest.
func TestMask(t *testing.T) {
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
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Messages hide a number that could be a BSN whatever separates its
// digits, whatever digits it is written in.
func TestMaskAnySeparator(t *testing.T) {
	for _, v := range []string{"123,456,782", "123/456/782", "123_456_782", "１２３４５６７８２", "١٢٣٤٥٦٧٨٢",
		"123\u200b456782", "1234567 82x", "1 2 3 4 5 6 7 8 2", "date \"123.456.782x\""} {
		got := Mask(v)
		if strings.ContainsAny(got, "0123456789") {
			t.Errorf("Mask(%q) = %q: digits left", v, got)
		}
	}
	for _, v := range []string{"2014-03-02 00:00:00", "EXP-12", "1,5 jaar", "１２"} {
		if got := Mask(v); got != v {
			t.Errorf("Mask(%q) = %q, want it unchanged", v, got)
		}
	}
}

// TestNormalises: the guard reads a value normalised, so the forms
// that slipped through before (issue: doubled spaces, a leading +,
// full-width digits, thin or figure spaces as separators) are caught as a
// whole value and in free text, and a message hides them; dates, amounts
// and prefixed ids still pass.
func TestNormalises(t *testing.T) {
	for _, v := range []string{
		"123  456  782", "123..456..782", "1234--56--782", "123 - 456 - 782", "+123456782", "+ 123 456 782", "+10000008",
		"１２３４５６７８２", "１２３－４５６－７８２", "１２３\u3000４５６\u3000７８２", "＋１２３４５６７８２",
		"123\u2009456\u2009782", "123\u2007456\u2007782", "123\u202f\u202f456\u202f782", "1234\u200956\u2009782",
		"123\u200b456\u200b782", "\u2460\u2461\u2462\u2463\u2464\u2465\u2466\u2467\u2461", "123\u2010456\u2010782", "123\u2212456\u2212782",
	} {
		if !InValue(v) {
			t.Errorf("InValue(%q): got false, want true", v)
		}
		if !InValue("zie " + v + " hier") {
			t.Errorf("InValue(%q in free text): got false, want true", v)
		}
		if !Contains("bestand_" + v + ".csv") {
			t.Errorf("Contains(%q in a file name): got false, want true", v)
		}
		if got := Mask("id " + v); strings.ContainsAny(got, "0123456789") || InText(Plain(got)) {
			t.Errorf("Mask(%q) = %q: digits left", v, got)
		}
	}
	for _, v := range []string{"2014-03-01", "01-03-2014", "12.345.678", "1.234.567,89", "EXP-0000001", "P123456782",
		"+31 20 123 4567", "123.456-782", "12 345 678", "€ 12.345,67", "２０１４-０３-０１", "123.456.782.5"} {
		if InValue(v) {
			t.Errorf("InValue(%q): got true, want false", v)
		}
	}
}

// TestMaskText: the tool's own texts (file names, flag values, messages)
// hide a number that passes the eleven-test however it is written, and
// keep every other number readable: a limit, a count, a date, a temporary
// folder's ten digits. MaskText hides what Contains finds, and nothing
// else.
func TestMaskText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"extract-123456782.csv", "extract-•••••••••.csv"},
		{"/data/dossier 123 456 782/x.csv", "/data/dossier ••• ••• •••/x.csv"},
		{"--set a=1234-56-782", "--set a=••••-••-•••"},
		{"bsn 123,456,782", "bsn 123,456,782"}, // not a form Contains refuses (Mask hides it)
		{"x-１２３４５６７８２", "x-•••••••••"},
		{"oud 10000008", "oud ••••••••"},
		{"from 0 (none) to 10000000", "from 0 (none) to 10000000"},
		{"--workers 100000000: give 1 to 1024", "--workers 100000000: give 1 to 1024"},
		{"extract-20240315.csv", "extract-20240315.csv"},
		{"/tmp/TestRun1234567890/001/r.json", "/tmp/TestRun1234567890/001/r.json"},
		{"raming-2026-10-24.json", "raming-2026-10-24.json"},
		{"raming-2026-03-01.json", "raming-2026-03-01.json"}, // 20260301 passes the eleven-test, but a date is no BSN form
		{"+123456782 en 111 222 333", "+••••••••• en ••• ••• •••"},
		{"12345678x", "12345678x"}, // fails the eleven-test (Mask hides it)
	}
	for _, tt := range tests {
		if got := MaskText(tt.in); got != tt.want {
			t.Errorf("MaskText(%q): got %q, want %q", tt.in, got, tt.want)
		}
		if Contains(tt.in) != (MaskText(tt.in) != tt.in) {
			t.Errorf("%q: Contains %v, but MaskText hides %v", tt.in, Contains(tt.in), MaskText(tt.in) != tt.in)
		}
	}
}

// FuzzMaskText: MaskText hides exactly when Contains finds a BSN, and what
// it returns holds none.
func FuzzMaskText(f *testing.F) {
	for _, s := range []string{"extract-123456782.csv", "+ 123 456 782", "1234-56-782", "１２３４５６７８２", "2026-03-01", "x10000008y", "123.456.782.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		masked := MaskText(s)
		if Contains(s) != (masked != s) {
			t.Errorf("%q: Contains %v, MaskText %q", s, Contains(s), masked)
		}
		if Contains(masked) {
			t.Errorf("MaskText(%q) = %q still holds a BSN", s, masked)
		}
	})
}

// TestLinear: the guard's time is linear in the text; Mask once took time
// cubic in the number of digit runs joined by separators (200 KB of
// "1 1 1 ..." ran for hours; found by FuzzMaskText).
func TestLinear(t *testing.T) {
	for _, s := range []string{strings.Repeat("1 ", 1<<17), strings.Repeat("1 -", 1<<16), strings.Repeat("123 ", 1<<16), strings.Repeat("１ ", 1<<15)} {
		start := time.Now()
		Mask(s)
		MaskText(s)
		Contains(s)
		InValue(s)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q...: %v for %d bytes", s[:8], d, len(s))
		}
	}
}
