// Package raming is the cost model of the ex-partner compensation scheme: the
// funnel from the reporting population to those with plausible damage, and
// the cost of variants A–E as the policy deck's "Grove financiële raming van
// de vijf varianten" computes them.
//
// Estimate is a pure function of a scenario and an optional population
// extract: no files, no clock, no randomness, no output. Money is exact
// (shopspring/decimal); every figure is an Expr that carries its own
// arithmetic, so the workbook can show it as a live formula and in words.
// A formula takes the scenario's assumptions by their typed field
// (Builder.Value(&sc.Funnel.AffectedShare)); a count of an extract's rows
// whose value is unknown is a Binomial node, exact as its expected count.
// Simulate compiles the same trees to float64 and draws the uncertain
// assumptions and every Binomial node (once per iteration each), so the
// estimate and the simulation compute one model.
// docs/methodology.md gives every formula with its source slide.
package raming
