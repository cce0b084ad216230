package scenario_test

import (
	"fmt"

	"raming/scenario"
)

// Every assumption carries its value, unit and the deck's wording.
func ExampleLoad() {
	sc, err := scenario.Load("deck")
	if err != nil {
		panic(err)
	}
	a := sc.Funnel.AffectedShare
	fmt.Println(a.Value, a.Unit)
	fmt.Println(a.Source)
	fmt.Println(sc.Rounding["funnel.damage"].DeckText)
	// Output:
	// 0.75 share
	// Grove financiële raming van de vijf varianten (1/2), Populatie: "gedupeerdheid in 75% van die gevallen"
	// ~4k
}
