// Package bsn is the one guard against BSNs (burgerservicenummers) in the
// tool's texts: it finds a number that could be one, and hides it in a
// text that reaches a message or an output. The extract's reader (input)
// refuses an extract with one in a value (InValue); the scenario and
// published-figures files are refused with one in any text (Contains);
// a value of the extract that a message repeats is shown with any long
// number hidden (Mask); file names, flag values, messages and log lines
// are shown with a number that passes the eleven-test hidden (MaskText).
//
// A BSN is nine digits passing the eleven-test
//
//	9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6 + 3·d7 + 2·d8 − 1·d9 ≡ 0 (mod 11), not all zeros,
//
// or eight digits when a spreadsheet dropped the leading zero. People also
// write it in groups: 123 456 782 or 1234 56 782, with spaces, a dot or a
// dash between the groups, or with a leading + (as a spreadsheet's number
// format may add). The guard reads a text normalised (Plain): every
// character that is a decimal digit, or that Unicode's NFKC makes one
// (full-width １, superscript ¹, circled ①), as its ASCII digit, full-width
// and other dashes and dots as - and ., zero-width characters removed; and
// it takes any run of spaces (any Unicode space: no-break, thin, figure,
// ...) and of one of the other separators for one separator. A value of an
// extract holds a BSN (InValue) when
//
//   - the whole value (spaces around it and a leading + ignored) is such a
//     number: eight or nine digits, or nine in groups 3-3-3 or 4-2-3 with
//     the same separator twice (Whole); or
//   - the value contains white space (free text, typically in a column
//     ignored with --ignore-unknown-columns) and holds one: a run of eight
//     or nine digits bounded by non-digits, or three runs in groups 3-3-3
//     or 4-2-3 with the same separator twice (InText).
//
// Dates (2014-03-01, 01-03-2014), amounts with thousands separators
// (12.345.678, 1.234.567,89: groups 1-3-3 or 2-3-3, or with decimals) and
// pseudonymous ids with a prefix (EXP-0000001, P123456789) are never
// whole-value BSNs; only an amount of EUR 100 million or more written
// ddd.ddd.ddd has a BSN's form.
package bsn

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ZeroWidth are the invisible characters the guard reads as nothing (and
// input removes from an id before comparing it): zero-width space,
// non-joiner and joiner, word joiner, and the byte order mark (zero-width
// no-break space).
const ZeroWidth = "\u200b\u200c\u200d\u2060\ufeff"

// Contains reports whether a text holds a number that could be a BSN: the
// whole text is one in a form the guard refuses (see above), or a run of
// eight or nine digits in it, or three groups 3-3-3 or 4-2-3, passes the
// eleven-test, whether or not the text has white space (unlike the guard
// on an extract's values, InValue, where an id such as P123456782 passes
// as a pseudonym). It is the guard for texts other than the extract's
// values: file names, flag values, scenario and published texts. Eight
// digits count (a BSN whose leading zero a spreadsheet dropped), so a date
// written 20240315 may be taken for one; Mask hides what it finds.
func Contains(s string) bool {
	p := Plain(s)
	return Whole(p) || InText(p)
}

// InValue reports whether a value of the extract looks like a BSN, or,
// when it contains white space, holds one (see above). It does not
// allocate unless the value has characters that normalising changes; on an
// ASCII value without white space it costs a trim and one pass over the
// bytes.
func InValue(v string) bool {
	p := Plain(v)
	return Whole(p) || (hasSpace(p) && InText(p))
}

// Whole reports whether a whole value (normalised: Plain), spaces
// around it and a leading + ignored, is a BSN: eight or nine digits,
// leading zeros allowed, or nine digits in groups 3-3-3 or 4-2-3 with the
// same separator (a run of spaces, of dots or of dashes) twice, passing the
// eleven-test. Ids with a prefix (EXP-000123) never pass.
func Whole(v string) bool {
	if len(v) < 8 {
		return false
	}
	v = strings.TrimSpace(v)
	if v != "" && v[0] == '+' {
		v = strings.TrimSpace(v[1:])
	}
	switch {
	case len(v) < 8 || len(v) == 10 || !isDigit(v[0]):
		return false // too short; too long for nine digits, too short for three groups
	case len(v) > 10 && (!isDigit(v[len(v)-3]) || isDigit(v[len(v)-4])):
		return false // groups, but the last has not three digits (a date: 2014-03-01)
	}
	var d [9]byte
	var size [3]int // digits per group
	g, n := 0, 0    // groups ended, digits
	var sep byte    // the separator between the first two groups
	for i := 0; i < len(v); {
		if c := v[i]; isDigit(c) {
			if n == 9 {
				return false
			}
			d[n] = c - '0'
			n++
			size[g]++
			i++
			continue
		}
		// A run of separators (sepRun, inline for ASCII: this runs on every
		// value of eight bytes or more), ending a group of the right size.
		kind, j := byte(0), i
	run:
		for j < len(v) {
			switch c := v[j]; {
			case c == ' ' || c == '\t':
				j++
			case c == '.' || c == '-':
				if kind != 0 && kind != c {
					return false
				}
				kind = c
				j++
			case c >= utf8.RuneSelf:
				r, w := utf8.DecodeRuneInString(v[j:])
				if !unicode.IsSpace(r) {
					return false
				}
				j += w
			default:
				break run
			}
		}
		if kind == 0 {
			kind = ' '
		}
		switch {
		case j == i || j == len(v): // another character; a separator at the end
			return false
		case g == 0 && (size[0] == 3 || size[0] == 4):
			sep = kind
		case g == 1 && kind == sep && size[1] == 6-size[0]: // 3-3 or 4-2
		default:
			return false
		}
		g++
		i = j
	}
	switch {
	case g == 0 && n == 8:
		copy(d[1:], d[:8])
		d[0] = 0
	case g == 0 && n == 9:
	case g == 2 && n == 9 && size[2] == 3:
	default:
		return false
	}
	return elevenTest(&d)
}

// elevenTest reports whether nine digits pass the BSN's eleven-test and are
// not all zeros.
func elevenTest(d *[9]byte) bool {
	sum, zero := 0, true
	for i, x := range d {
		if x != 0 {
			zero = false
		}
		if i < 8 {
			sum += (9 - i) * int(x)
		} else {
			sum -= int(x)
		}
	}
	return !zero && sum%11 == 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// hasSpace reports whether s contains white space (ASCII, or a Unicode
// space such as U+00A0).
func hasSpace(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c >= '\t' && c <= '\r' {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return true
		}
		i += n
	}
	return false
}

// sepKind is the kind of digit-group separator at s[i:] (' ' for any
// white space, '.', '-') and its length in bytes, or 0.
func sepKind(s string, i int) (byte, int) {
	if i >= len(s) {
		return 0, 0
	}
	switch c := s[i]; {
	case c == ' ' || c == '.' || c == '-':
		return c, 1
	case c == '\t':
		return ' ', 1
	case c < utf8.RuneSelf:
		return 0, 0
	}
	if r, n := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
		return ' ', n
	}
	return 0, 0
}

// sepRun is the kind of the run of separators at s[i:] and where it ends:
// a run of white space is ' '; a run of one other separator, with or
// without white space around it, is that separator (" - " is '-'); a run
// of two different ones (".-") or none is 0.
func sepRun(s string, i int) (kind byte, end int) {
	for {
		k, n := sepKind(s, i)
		if n == 0 {
			return kind, i
		}
		switch {
		case kind == 0 || kind == ' ':
			kind = k
		case k != ' ' && k != kind:
			return 0, i
		}
		i += n
	}
}

// Plain returns s as the guard reads it: every character that is a
// decimal digit, or that Unicode's NFKC makes one (full-width ３,
// superscript ³, circled ③), as its ASCII digit; a character that NFKC
// makes a dot, dash or plus sign (full-width ．－＋), and any other dash or
// minus sign, as . - or +; zero-width characters and byte-order marks
// removed. Everything else stays as it is (so that a masked message shows
// what was written), also spaces, which the guard takes for separators as
// they are. s itself when it has none of these; it allocates only then.
func Plain(s string) string {
	i := 0
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			break
		}
	}
	if i == len(s) {
		return s
	}
	changed := false
	for _, r := range s[i:] {
		if r >= utf8.RuneSelf && plainRune(r) != r {
			changed = true
			break
		}
	}
	if !changed {
		return s
	}
	return strings.Map(plainRune, s)
}

// plainRune is what Plain makes of r (-1: removed).
func plainRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		return r
	case strings.ContainsRune(ZeroWidth, r):
		return -1
	case unicode.IsSpace(r):
		return r
	case unicode.Is(unicode.Nd, r):
		zero := r
		for unicode.Is(unicode.Nd, zero-1) {
			zero--
		}
		return '0' + (r-zero)%10
	case unicode.Is(unicode.Pd, r) || r == '\u2212': // dashes, the minus sign
		return '-'
	}
	var buf [utf8.UTFMax]byte
	if d := norm.NFKC.Properties(buf[:utf8.EncodeRune(buf[:], r)]).Decomposition(); len(d) == 1 && strings.IndexByte("0123456789.-+", d[0]) >= 0 {
		return rune(d[0])
	}
	return r
}

// looselyJoined reports whether digit runs x and y are separated by a run
// of characters that are not letters or digits (spaces, dots, commas,
// slashes, underscores, ...): for masking, which errs towards hiding.
func looselyJoined(s string, x, y span) bool {
	if x.b >= y.a {
		return false
	}
	for _, r := range s[x.b:y.a] {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// shiftedDigits returns the first total digits of d as nine, with a leading
// zero when total is eight.
func shiftedDigits(d [9]byte, total int) *[9]byte {
	if total == 8 {
		copy(d[1:], d[:8])
		d[0] = 0
	}
	return &d
}

// isJoined reports whether digit runs x and y of s are joined (joined).
func isJoined(s string, x, y span) bool {
	_, ok := joined(s, x, y)
	return ok
}

// span is a run of digits s[a:b].
type span struct{ a, b int }

// joined reports whether digit runs x and y (x before y) of s are separated
// by one run of separators (sepRun), and its kind.
func joined(s string, x, y span) (byte, bool) {
	kind, end := sepRun(s, x.b)
	return kind, kind != 0 && end == y.a
}

// InText reports whether free text holds a BSN: a run of eight or nine
// digits bounded by non-digits, or three runs in groups 3-3-3 or 4-2-3
// separated by the same separator twice, passing the eleven-test. It does
// not allocate.
func InText(s string) bool { return scanText(s, nil) }

// nextRun is the first run of digits of s from byte i on, and the byte
// after it; ok is false when there is none.
func nextRun(s string, i int) (run span, next int, ok bool) {
	for i < len(s) && !isDigit(s[i]) {
		i++
	}
	if i == len(s) {
		return span{}, i, false
	}
	j := i + 1
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return span{i, j}, j, true
}

// scanText finds the BSNs in free text as InText does, and reports whether
// it found one. With hide, it calls hide with the bytes [a, b) of each
// (from its first digit to its last) and goes on; without, it stops at the
// first.
func scanText(s string, hide func(a, b int)) bool {
	var r [3]span // the last three digit runs, r[2] the latest
	n := 0
	found := false
	for run, i, ok := nextRun(s, 0); ok; run, i, ok = nextRun(s, i) {
		j := run.b
		r[0], r[1], r[2] = r[1], r[2], run
		n++
		var d [9]byte
		if l := j - r[2].a; l == 8 || l == 9 {
			for k := 0; k < l; k++ {
				d[9-l+k] = s[r[2].a+k] - '0'
			}
			if elevenTest(&d) {
				if found = true; hide == nil {
					return true
				}
				hide(r[2].a, r[2].b)
			}
			continue
		}
		if n < 3 {
			continue
		}
		if k1, ok := joined(s, r[0], r[1]); !ok {
			continue
		} else if k2, ok := joined(s, r[1], r[2]); !ok || k1 != k2 {
			continue
		}
		l0, l1, l2 := r[0].b-r[0].a, r[1].b-r[1].a, r[2].b-r[2].a
		if l2 != 3 || !(l0 == 3 && l1 == 3 || l0 == 4 && l1 == 2) {
			continue
		}
		k := 0
		for _, g := range r {
			for p := g.a; p < g.b; p++ {
				d[k] = s[p] - '0'
				k++
			}
		}
		if elevenTest(&d) {
			if found = true; hide == nil {
				return true
			}
			hide(r[0].a, r[2].b)
		}
	}
	return found
}

// Mask hides the digits of every number in s that could be a BSN, for
// messages that repeat a value of the extract, erring towards hiding. It
// reads s normalised as the guard does (Plain: full-width and other digits
// count as digits, zero-width characters as nothing) and hides a run of
// eight or more digits; a run of digit groups joined by separators (a run
// of spaces, of dots or of dashes, as the guard takes them) where every
// group after the first has three digits, with eight or more digits in all
// (123 456 782, 123  456  782, 12.345.678); groups 4-2-3 (1234 56 782);
// and any nine digits (or eight) joined by runs of characters that are
// not letters or digits that pass the eleven-test (123,456,782; 1 2 3 4 5
// 6 7 8 2; 123 / 456 / 782). Each digit becomes '•'; the rest is kept, so
// a message still shows the shape of the value. Dates and times
// (2014-03-02 00:00:00), whose groups have one, two or four digits, are
// shown as they are unless their digits pass the eleven-test. s itself is
// returned when nothing is hidden.
func Mask(orig string) string {
	s := Plain(orig)
	digits := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			digits++
		}
	}
	if digits < 8 {
		return orig
	}
	var runs []span
	for run, i, ok := nextRun(s, 0); ok; run, i, ok = nextRun(s, i) {
		runs = append(runs, run)
	}
	hide := make([]bool, len(runs))
	hidden := false
	mark := func(from, to int) {
		for k := from; k <= to; k++ {
			hide[k] = true
		}
		hidden = true
	}
	for k := 0; k < len(runs); {
		j, digits := k, runs[k].b-runs[k].a
		for j+1 < len(runs) && isJoined(s, runs[j], runs[j+1]) && runs[j+1].b-runs[j+1].a == 3 {
			j++
			digits += 3
		}
		if digits >= 8 {
			mark(k, j)
		}
		k = j + 1
	}
	for k := 0; k+2 < len(runs); k++ {
		if runs[k].b-runs[k].a == 4 && runs[k+1].b-runs[k+1].a == 2 && runs[k+2].b-runs[k+2].a == 3 &&
			isJoined(s, runs[k], runs[k+1]) && isJoined(s, runs[k+1], runs[k+2]) {
			mark(k, k+2)
		}
	}
	// Any grouping of nine digits (or eight, a leading zero dropped) joined
	// by single separators of any kind that passes the eleven-test:
	// 123,456,782, 123/456/782, 1 2 3 4 5 6 7 8 2, 1234567 82.
	// At most nine digits from each run on: linear in s (a text of
	// single digits between spaces once took time cubic in its length).
	for k := range runs {
		var d [9]byte
		total := 0
		for j := k; j < len(runs); j++ {
			if j > k && !looselyJoined(s, runs[j-1], runs[j]) {
				break
			}
			if total += runs[j].b - runs[j].a; total > 9 {
				break
			}
			for p := runs[j].a; p < runs[j].b; p++ {
				d[total-(runs[j].b-p)] = s[p] - '0'
			}
			if (total == 9 || total == 8) && elevenTest(shiftedDigits(d, total)) {
				mark(k, j)
			}
		}
	}
	if !hidden {
		return orig
	}
	var b strings.Builder
	b.Grow(len(s) + 2*16)
	last := 0
	for k, r := range runs {
		if !hide[k] {
			continue
		}
		b.WriteString(s[last:r.a])
		for p := r.a; p < r.b; p++ {
			b.WriteString("•")
		}
		last = r.b
	}
	b.WriteString(s[last:])
	return b.String()
}

// MaskText hides the digits of every number in s that Contains finds: a
// run of eight or nine digits, or groups 3-3-3 or 4-2-3 joined by the same
// separator, passing the eleven-test (123456782, 123 456 782, 1234-56-782,
// full-width or with a leading +), read normalised (Plain). It is the mask
// for the tool's own texts that may repeat what a user wrote (file names,
// flag values, messages, log lines), where other numbers are the tool's
// own and must stay readable: a limit (10000000), a count, a date
// (2026-03-01, and 20240315 unless its digits pass the eleven-test). s
// itself is returned when nothing is hidden.
func MaskText(orig string) string {
	s := Plain(orig)
	var hide []span
	if !scanText(s, func(a, b int) { hide = append(hide, span{a, b}) }) {
		return orig
	}
	var out strings.Builder
	out.Grow(len(s) + 2*16)
	last := 0
	for _, h := range hide {
		for p := max(h.a, last); p < h.b; p++ {
			if isDigit(s[p]) {
				out.WriteString(s[last:p])
				out.WriteString("•")
				last = p + 1
			}
		}
	}
	out.WriteString(s[last:])
	return out.String()
}
