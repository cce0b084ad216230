package input

import (
	"bytes"
	"strings"
)

// The pseudonymisation guard: an extract is refused as a whole when a column
// name suggests direct identification or any value looks like a BSN.

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

// looksLikeBSN reports whether a value (spaces around it ignored) is a
// citizen service number: nine digits, leading zeros allowed, or eight
// digits (a BSN whose leading zero a spreadsheet dropped), passing the
// eleven-test 9·d1 + 8·d2 + ... + 2·d8 − 1·d9 ≡ 0 (mod 11), not all zeros.
// Ids with a prefix (EXP-000123) never pass.
func looksLikeBSN(v string) bool {
	if len(v) < 8 {
		return false
	}
	v = strings.TrimSpace(v)
	var d [9]int
	switch len(v) {
	case 8, 9:
		off := 9 - len(v) // a dropped leading zero
		for i := 0; i < len(v); i++ {
			c := v[i]
			if c < '0' || c > '9' {
				return false
			}
			d[off+i] = int(c - '0')
		}
	default:
		return false
	}
	sum, zero := 0, true
	for i, x := range d {
		if x != 0 {
			zero = false
		}
		if i < 8 {
			sum += (9 - i) * x
		} else {
			sum -= x
		}
	}
	return !zero && sum%11 == 0
}

// bsnInRaw looks for a BSN-like value in the raw text of a row that is not
// valid CSV, so the guard sees every value even where the CSV reader cannot
// split the row. Values are taken between delimiters, quotes and line ends.
// It returns the line within raw (0 for the first) and the field's index on
// that line, or ok false.
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
		if looksLikeBSN(string(bytes.TrimSpace(raw[start:i]))) {
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
