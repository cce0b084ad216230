// Package suggest finds the word a user probably meant: the "did you mean"
// of unknown commands, flags and scenario keys.
package suggest

import "strings"

// Nearest returns the candidate closest to word by edit distance (case
// insensitive), if it is close enough to be a typo: at most a third of the
// word's length, and at least one edit allowed. ok is false otherwise.
func Nearest(word string, candidates []string) (best string, ok bool) {
	w := strings.ToLower(word)
	bestDist := max(1, len([]rune(w))/3) + 1
	for _, c := range candidates {
		if d := distance(w, strings.ToLower(c)); d < bestDist {
			best, bestDist, ok = c, d, true
		}
	}
	return best, ok
}

// DidYouMean is " (did you mean X?)" for the nearest candidate, or "".
func DidYouMean(word string, candidates []string) string {
	if c, ok := Nearest(word, candidates); ok {
		return " (did you mean " + c + "?)"
	}
	return ""
}

// distance is the edit distance of a and b in runes, counting an
// insertion, a deletion, a substitution and a swap of two neighbours as
// one edit each (optimal string alignment).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
