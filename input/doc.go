// Package input reads the pseudonymised population extract (one CSV row per
// ex-partner), refuses data that is not pseudonymised, accounts for every row
// (rows read = rows used + rows rejected), and writes synthetic extracts of
// the same form for tests and demonstrations.
//
// The contract is ../shared/population-schema.md and docs/input.md. The
// package knows nothing of the model or of output formats.
package input
