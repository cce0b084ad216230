package output

import (
	"io"
	"math"
	"strconv"

	"raming/raming"
	"raming/scenario"
)

// sweepRow is one row of the sweep's CSV: the options (columns named by
// BOptions' csv tags), then the figures.
type sweepRow struct {
	scenario.BOptions
	Access         string `csv:"access"`
	MeanAmount     string `csv:"mean_amount"`
	MedianAmount   string `csv:"median_amount"`
	P10Amount      string `csv:"p10_amount"`
	P90Amount      string `csv:"p90_amount"`
	BelowLowAmount string `csv:"below_low_amount"`
	SchemeCost     string `csv:"scheme_cost"`
	ApplicantCost  string `csv:"applicant_cost"`
	CWSCost        string `csv:"cws_cost"`
	ExecutionCost  string `csv:"execution_cost"`
	Total          string `csv:"total"`
	TotalP5        string `csv:"total_p5"`
	TotalP50       string `csv:"total_p50"`
	TotalP95       string `csv:"total_p95"`
}

// WriteSweepCSV writes one row per combination of B's options. A row
// that rests on fewer than smallCell records (sweepHidden) shows its
// access as "<N" or "niet getoond" (its columns are Dutch) and leaves its amounts empty; a shown
// row's expected counts below smallCell read "<N" (near another row's,
// "niet getoond"), and its amount statistics are left empty below
// smallCell with access (sweepShownOf). rowsUsed is the extract's size,
// which every output shows.
func WriteSweepCSV(w io.Writer, rows []raming.SweepRow, d Dialect, smallCell, rowsUsed int) error {
	f := func(x float64) string {
		if math.IsNaN(x) {
			return "" // no Monte Carlo band
		}
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	out := make([]sweepRow, len(rows))
	all := sweepShownOf(rows, smallCell, rowsUsed)
	for i, r := range rows {
		shown := all[i]
		if !shown.row {
			out[i] = sweepRow{BOptions: r.Options, Access: hiddenCount(r.Access, smallCell, complementNL), BelowLowAmount: hiddenCount(r.BelowLowAmount, smallCell, complementNL),
				ExecutionCost: money(r.Execution)}
			continue
		}
		if !shown.stats {
			r.MeanAmount, r.MedianAmount, r.P10Amount, r.P90Amount = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		}
		out[i] = sweepRow{BOptions: r.Options, Access: suppressCount(r.Access, smallCell), MeanAmount: f(r.MeanAmount), MedianAmount: f(r.MedianAmount),
			P10Amount: f(r.P10Amount), P90Amount: f(r.P90Amount), BelowLowAmount: suppressCount(r.BelowLowAmount, smallCell),
			SchemeCost: money(r.Scheme), ApplicantCost: money(r.Applicant), CWSCost: money(r.CWS), ExecutionCost: money(r.Execution),
			Total: money(r.Total), TotalP5: f(r.P5), TotalP50: f(r.P50), TotalP95: f(r.P95)}
		if !shown.below && r.BelowLowAmount >= float64(smallCell) {
			out[i].BelowLowAmount = complementNL
		}
	}
	return writeCSV(w, out, d, sweepColumns())
}

// sweepColumns name the sweep CSV's columns in Dutch: the options by their
// labels (scenario.Options), the figures as on the sweep's sheet.
func sweepColumns() map[string]csvColumn {
	cols := map[string]csvColumn{}
	for _, op := range scenario.Options {
		cols[op.Key] = csvColumn{dutch: op.Label, option: op.Key}
	}
	for _, f := range sweepFigures {
		label := f.label
		if f.style == styleMln {
			label += " (euro)" // the CSV holds euros, the sheet shows millions
		}
		cols[f.key] = csvColumn{dutch: label, number: true}
	}
	return cols
}

// sweepFigures are the figures of a sweep's row, in the CSV's order (the
// workbook's table shows them too: sweepTable).
var sweepFigures = []struct {
	label string
	key   string // the column's csv tag in sweepRow
	style cellStyle
	get   func(r *raming.SweepRow) float64
}{
	{"Met toegang", "access", styleCount, func(r *raming.SweepRow) float64 { return r.Access }},
	{"Gemiddeld bedrag", "mean_amount", styleEur0, func(r *raming.SweepRow) float64 { return r.MeanAmount }},
	{"Mediaan", "median_amount", styleEur0, func(r *raming.SweepRow) float64 { return r.MedianAmount }},
	{"P10", "p10_amount", styleEur0, func(r *raming.SweepRow) float64 { return r.P10Amount }},
	{"P90", "p90_amount", styleEur0, func(r *raming.SweepRow) float64 { return r.P90Amount }},
	{"Onder laag bedrag", "below_low_amount", styleCount, func(r *raming.SweepRow) float64 { return r.BelowLowAmount }},
	{"Kosten regeling", "scheme_cost", styleMln, func(r *raming.SweepRow) float64 { return num(r.Scheme) }},
	{"Kosten aanvragerszijde", "applicant_cost", styleMln, func(r *raming.SweepRow) float64 { return num(r.Applicant) }},
	{"Kosten CWS", "cws_cost", styleMln, func(r *raming.SweepRow) float64 { return num(r.CWS) }},
	{"Uitvoeringskosten", "execution_cost", styleMln, func(r *raming.SweepRow) float64 { return num(r.Execution) }},
	{"Totaal (excl. uitvoering)", "total", styleMln, nil}, // a formula over the three cost columns before it
	{"Totaal P5", "total_p5", styleMln, func(r *raming.SweepRow) float64 { return r.P5 }},
	{"Totaal P50", "total_p50", styleMln, func(r *raming.SweepRow) float64 { return r.P50 }},
	{"Totaal P95", "total_p95", styleMln, func(r *raming.SweepRow) float64 { return r.P95 }},
}

// sweepHidden is the small-cell rule (smallCells) for a row of the sweep:
// the row is shown whole or not at all, and not when one of its figures
// rests on fewer than limit records of the extract.
func sweepHidden(r *raming.SweepRow, limit int) bool {
	return r.Records > 0 && r.Records < int64(limit)
}

// sweepShown is what the small-cell rule shows of a sweep's row: the row
// at all (sweepHidden: its amounts, band and rank), its expected access
// and count below the low amount as numbers (not below the limit), and
// its amount statistics and cost per person with access (from the
// limit's people with access up: a mean, median, P10 or P90 of fewer
// is one person's amount, or near it).
type sweepShown struct{ row, access, below, stats bool }

// sweepShownOf is what the rule shows of each row with the limit on an
// extract of rowsUsed rows: per row (sweepHidden), and then the counts
// of the rows kept apart (apart): a row whose access lies within the
// limit of another row's, or of the extract's size, is hidden (the
// difference would count the few an option admits), and a count below
// the low amount within the limit of another is not shown.
func sweepShownOf(rows []raming.SweepRow, limit, rowsUsed int) []sweepShown {
	out := make([]sweepShown, len(rows))
	few := func(x float64) bool { return x > 0 && x < float64(limit) }
	var access []float64
	for i := range rows {
		r := &rows[i]
		out[i].row = !sweepHidden(r, limit)
		if out[i].row && !few(r.Access) {
			access = append(access, r.Access)
		}
	}
	near := apart(access, float64(rowsUsed), int64(limit))
	var below []float64
	for i := range rows {
		r, o := &rows[i], &out[i]
		o.row = o.row && !near[r.Access]
		o.access = o.row && !few(r.Access)
		o.stats = o.row && r.Access >= float64(limit)
		if o.row && !few(r.BelowLowAmount) {
			below = append(below, r.BelowLowAmount)
		}
	}
	near = apart(below, float64(rowsUsed), int64(limit))
	for i := range rows {
		out[i].below = out[i].row && !few(rows[i].BelowLowAmount) && !near[rows[i].BelowLowAmount]
	}
	return out
}
