package input

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"raming/internal/bsn"
)

// Duplicate ids are found on a normalised id, so that what a person reads as
// the same id is one id: "EXP-1", "exp-1", "EXP-\u200b1" (a zero-width space
// pasted in) and "\ufeffEXP-1" (a byte order mark left by a concatenated
// export) are one ex-partner. The record keeps the id as written.

// normID returns the key under which an id is checked for duplicates: the
// zero-width characters (bsn.ZeroWidth) removed, Unicode NFKC (full-width ＥＸＰ and the
// ligature ﬁ become EXP and fi), case-folded with the Unicode full case
// folding (golang.org/x/text/cases; ß and ss, K and the Kelvin sign K are
// one), normalised again (folding can undo NFKC), and surrounding space
// trimmed; finally the ASCII letters are upper-cased. That last step makes
// the usual id (upper-case ASCII, such as EXP-0000001) its own key, so it
// costs no work and no allocation (see reader.dupKey); it merges nothing
// that folding keeps apart, since a folded string has no upper-case ASCII
// letters. "" means the id has no visible characters.
func normID(id string) string {
	if ascii, lower := idForm(id); ascii {
		id = strings.TrimSpace(id)
		if lower {
			return upperASCII(id)
		}
		return id
	}
	id = strings.Map(func(r rune) rune {
		if strings.ContainsRune(bsn.ZeroWidth, r) {
			return -1
		}
		return r
	}, id)
	id = norm.NFKC.String(cases.Fold().String(norm.NFKC.String(id)))
	return upperASCII(strings.TrimSpace(id))
}

// idForm reports whether id is ASCII, and if so whether it has lower-case
// letters.
func idForm(id string) (ascii, lower bool) {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= utf8.RuneSelf {
			return false, false
		}
		if c >= 'a' && c <= 'z' {
			lower = true
		}
	}
	return true, lower
}

// upperASCII upper-cases the ASCII letters of s.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'a' && c <= 'z' {
					b[j] = c - 'a' + 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// dupKey prepares the duplicate key of a trimmed id. It returns true when
// the id is its own key (ASCII without lower-case letters: nothing to do,
// nothing allocated); otherwise the key is in rd.key, a scratch buffer, so
// that looking it up allocates nothing either (only ids with non-ASCII
// characters are normalised, which allocates).
func (rd *reader) dupKey(id string) (self bool) {
	ascii, lower := idForm(id)
	switch {
	case ascii && !lower:
		return true
	case ascii:
		rd.key = append(rd.key[:0], id...)
		for i, c := range rd.key {
			if c >= 'a' && c <= 'z' {
				rd.key[i] = c - 'a' + 'A'
			}
		}
	default:
		rd.key = append(rd.key[:0], normID(id)...)
	}
	return false
}
