// Package words holds the small text helpers that the model (labels it
// builds) and the workbook (sentences it writes) share.
package words

import (
	"strings"
	"unicode/utf8"
)

// LowerFirst returns s with its first letter in lower case, for a label
// inside a sentence ("Harde drempel" → "harde drempel"). It is rune-safe: a
// first letter such as É is lowered whole.
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToLower(string(r)) + s[n:]
}

// List joins items as a Dutch sentence lists them: "a, b en c".
func List(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " en " + items[len(items)-1]
}

// UpperFirst returns s with its first letter in upper case, for a label
// that begins a sentence. Rune-safe, as LowerFirst.
func UpperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

// Grouped writes a whole number's digits (an optional leading minus
// sign, then digits) with a comma between groups of three, as the
// command line's messages write limits: 100,000,000.
func Grouped(digits string) string {
	if rest, ok := strings.CutPrefix(digits, "-"); ok {
		return "-" + Grouped(rest)
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
