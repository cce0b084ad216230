package published_test

import (
	"fmt"

	"raming/published"
)

// Every figure carries its value in its unit, its source and which of the
// tool's figures it is set beside.
func ExampleLoad() {
	s, err := published.Load("ex-partners")
	if err != nil {
		panic(err)
	}
	f, _ := s.Find("psupp-2023-stand")
	fmt.Println(f.Year, f.Value, f.Unit, "=", f.BaseValue(), "euro")
	fmt.Println(f.Compare, "-", f.Compare.Label())
	fmt.Println(f.Source)

	r, _ := s.Find("reservering-2021-aantal")
	low, high, _ := r.BaseRange()
	fmt.Println(r.Value, r.Unit, "range", low, "-", high, "secondary:", r.Secondary)
	// Output:
	// 2023 10820 eur_thousand = 10820000 euro
	// cash_year - Raming: uitgaven (kas) in dat jaar, excl. uitvoering
	// rijksfinancien.nl, memorie van toelichting 2023 PSUPP IX (suppletoire begroting, Prinsjesdag 2023); ongewijzigd bij de tweede suppletoire begroting 2023
	// 8400 persons range 7000 - 9800 secondary: true
}

// A file with a mistake is refused with the file, the line and the key.
func ExampleParse() {
	_, err := published.Parse([]byte(`[[figure]]
id = "najaarsnota-2023"
year = 2023
line = "Najaarsnota 2023, bijlage Herstel Toeslagen: ex-partners 2023"
value = 11
unit = "euro_mln"
source = "rijksfinancien.nl, najaarsnota 2023"
compare = "cash_year"
`), "mine.toml")
	fmt.Println(err)
	// Output:
	// published figures mine.toml are not valid:
	//   mine.toml:6: figure.0.unit: "euro_mln" is not a unit; use one of eur, eur_thousand, eur_mln, persons
}
