package input

import "strings"

// identifying are parts of column names that suggest direct identification.
var identifying = []string{"bsn", "burgerservice", "sofi", "naam", "name", "voornaam", "achternaam", "adres", "address",
	"straat", "huisnummer", "postcode", "woonplaats", "geboortedatum", "geboorte", "birth", "email", "e-mail", "mail",
	"telefoon", "phone", "mobiel", "iban", "rekeningnummer", "paspoort", "passport", "rijbewijs"}

// identifyingColumn reports whether a column name suggests direct
// identification (naam, bsn, adres, geboortedatum, ...). Names are matched
// on their parts, so dossier_id passes and achternaam_partner does not.
func identifyingColumn(name string) bool {
	n := strings.ToLower(name)
	for _, p := range strings.FieldsFunc(n, func(r rune) bool { return r == '_' || r == ' ' || r == '-' || r == '.' }) {
		for _, id := range identifying {
			if p == id || (len(id) > 4 && strings.Contains(p, id)) {
				return true
			}
		}
	}
	return false
}

// looksLikeBSN reports whether a value is a citizen service number: exactly
// nine digits (an eight-digit number with its leading zero dropped counts as
// well) passing the eleven-test 9·d1 + 8·d2 + ... + 2·d8 − 1·d9 ≡ 0 (mod 11),
// and not all zeros.
func looksLikeBSN(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) == 8 {
		v = "0" + v
	}
	if len(v) != 9 {
		return false
	}
	sum, zero := 0, true
	for i := 0; i < 9; i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if d != 0 {
			zero = false
		}
		if i < 8 {
			sum += (9 - i) * d
		} else {
			sum -= d
		}
	}
	return !zero && sum%11 == 0
}
