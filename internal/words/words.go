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
