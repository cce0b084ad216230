package input

import (
	"strings"

	"raming/internal/bsn"
)

// The pseudonymisation guard: an extract is refused as a whole when a column
// name suggests direct identification or any value looks like a BSN
// (bsn.InValue; the rules are package bsn's).

// MaskBSN returns s with the digits of every number in it that could be a
// BSN shown as •, the rest kept, for texts that reach a message or an
// output; s itself when nothing is hidden (bsn.Mask).
func MaskBSN(s string) string { return bsn.Mask(s) }

// bsnDetail says what a value that looks like a BSN is, and what to do.
const bsnDetail = "a value looks like a BSN (nine digits, also in groups 3-3-3 or 4-2-3 separated by spaces, dots or dashes, " +
	"or eight with the leading zero dropped, passing the eleven-test; as the whole value or inside free text); " +
	"remove direct identifiers before exporting, and give pseudonymous numbers a prefix (such as EXP-000123)"

// identifyingParts are parts of column names that suggest direct
// identification; a column whose name contains one is refused
// (voornaam_partner, emailadres, PartnerBSN). identifyingWords are too short
// to look for inside words (hotel, telling, ...) and are refused only as a
// whole name part (tel, tel_nr).
var (
	identifyingParts = []string{"bsn", "burgerservice", "sofinummer", "naam", "name", "voorletter", "initialen",
		"tussenvoegsel", "adres", "address", "straat", "street", "huisnummer", "postcode", "zipcode", "woonplaats",
		"geboorte", "birth", "email", "e-mail", "mail", "telefoon", "phone", "mobiel", "iban", "rekeningnummer",
		"paspoort", "passport", "rijbewijs", "kenteken"}
	identifyingWords = []string{"tel", "gsm", "dob", "sofi"}
)

// identifyingColumn reports whether a column name suggests direct
// identification. The name is lowercased and split into parts at anything
// that is not a letter or digit; dossier_id, id and the contract's columns
// pass.
func identifyingColumn(name string) bool {
	n := strings.ToLower(name)
	for _, p := range identifyingParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	for _, part := range strings.FieldsFunc(n, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		for _, w := range identifyingWords {
			if part == w {
				return true
			}
		}
	}
	return false
}

// bsnInRaw looks for a BSN in the raw text of a row that is not valid CSV,
// so the guard sees every value even where the CSV reader cannot split the
// row. Values are taken between delimiters, quotes and line ends, and
// checked as bsn.InValue checks a value. It returns the line within raw (0
// for the first) and the field's index on that line, or ok false.
func bsnInRaw(raw []byte, delim byte) (line, field int, ok bool) {
	start := 0
	for i := 0; i <= len(raw); i++ {
		if i < len(raw) {
			switch raw[i] {
			case delim, '"', '\r', '\n':
			default:
				continue
			}
		}
		if bsn.InValue(string(raw[start:i])) {
			return line, field, true
		}
		if i < len(raw) {
			switch raw[i] {
			case '\n':
				line, field = line+1, 0
			case delim:
				field++
			}
		}
		start = i + 1
	}
	return 0, 0, false
}
