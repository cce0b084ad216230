package raming_test

import (
	"fmt"

	"raming/raming"
	"raming/scenario"
)

// The deck's variants, computed exactly from its assumptions.
func ExampleEstimate() {
	sc, err := scenario.Load("deck-exact")
	if err != nil {
		panic(err)
	}
	res, err := raming.Estimate(sc, nil)
	if err != nil {
		panic(err)
	}
	for _, v := range res.Variants {
		fmt.Printf("%s %-34s %s - %s\n", v.ID, v.Name, v.TotalLow.StringFixed(2), v.TotalHigh.StringFixed(2))
	}
	// Output:
	// A Forfaitaire regeling               74456250.00 - 121481250.00
	// B Proportionele regeling             58781250.00 - 90131250.00
	// C Aanvragersherstel met hoge drempel 47808750.00 - 108157500.00
	// D Individueel maatwerk               78375000.00 - 78375000.00
	// E Mediation/geschillencommissie      13646875.00 - 78375000.00
}

// A seeded Monte Carlo run gives the same figures for any number of workers.
func ExampleSimulate() {
	sc, _ := scenario.Load("deck-exact")
	one, _ := raming.Simulate(sc, nil, raming.MC{Seed: 1, Iterations: 2000, Workers: 1})
	two, _ := raming.Simulate(sc, nil, raming.MC{Seed: 1, Iterations: 2000, Workers: 2})
	a, b := one.MonteCarlo.Variants[3], two.MonteCarlo.Variants[3]
	fmt.Println(a.ID, a.CentralCase, a.Stats.At(95) == b.Stats.At(95))
	// Output:
	// D D true
}
