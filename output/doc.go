// Package output renders a raming.Result: the Excel workbook a budget officer
// opens (Dutch labels, live formulas with cached values), the JSON summary
// other tools read. It never
// recomputes a figure: every number comes from the Result.
package output
