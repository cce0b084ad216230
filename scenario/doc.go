// Package scenario holds the assumptions of a cost estimate as data.
//
// A Scenario is read from a TOML file that people edit by hand. Every
// assumption carries a value, a unit from a closed list, a description and a
// source (the slide of the policy deck it comes from, with the deck's own
// wording). The variants A–E and their cases are data too: a case is a set of
// assumption values, not code.
//
// Three scenarios are built in (embedded in the binary): "deck-exact", the
// deck's assumptions unrounded; "deck", the values the deck actually
// multiplied (deck-exact with its rounding of the funnel to ~4k, ~8k, ...);
// and "wet-2023", the scheme as adopted. A scenario file may derive from
// another and hold only what differs (base = "deck-exact"; derive.go):
// "deck" and "wet-2023" do, and resolve to complete scenario texts.
//
// The package knows nothing of the model that evaluates a scenario, of
// population files or of output formats.
package scenario
