// Package input reads the pseudonymised population extract (one row per
// ex-partner, as CSV text, Excel's Unicode text or an Excel workbook),
// refuses data that is not pseudonymised, accounts for every row (rows read
// = rows used + rows rejected), and writes synthetic extracts of the same
// form for tests and demonstrations. Its BSN guard is exported for the
// program's other texts (MaskBSN).
//
// The contract is ../shared/population-schema.md and docs/input.md. The
// package knows nothing of the model or of output formats.
package input
