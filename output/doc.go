// Package output renders a raming.Result to io.Writers: the Excel workbook
// a budget officer opens (Dutch labels, live formulas with cached values),
// the JSON summary other tools read (and ReadSummary reads back for a
// comparison), the CSVs, and the short table a run prints. It never
// recomputes a figure: every number comes from the Result. It opens no
// files: the command writes its outputs through internal/atomicfile.
package output
