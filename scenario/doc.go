// Package scenario holds the assumptions of a cost estimate as data.
//
// A Scenario is read from a TOML file that people edit by hand. Every
// assumption carries a value, a unit from a closed list, a description and a
// source (the slide of the policy deck it comes from, with the deck's own
// wording). The variants A–E and their cases are data too: a case is a set of
// assumption values, not code.
//
// Two scenarios are built in (embedded in the binary): "deck", the values the
// deck actually multiplied (including its rounding of the funnel to ~4k, ~8k,
// ...), and "deck-exact", the same assumptions unrounded.
//
// The package knows nothing of the model that evaluates a scenario, of
// population files or of output formats.
package scenario
