package output

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"

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

// WriteSweepCSV writes one row per combination of B's options.
func WriteSweepCSV(w io.Writer, rows []raming.SweepRow, d Dialect) error {
	f := func(x float64) string {
		if math.IsNaN(x) {
			return "" // no Monte Carlo band
		}
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	out := make([]sweepRow, len(rows))
	for i, r := range rows {
		out[i] = sweepRow{BOptions: r.Options, Access: f(r.Access), MeanAmount: f(r.MeanAmount), MedianAmount: f(r.MedianAmount),
			P10Amount: f(r.P10Amount), P90Amount: f(r.P90Amount), BelowLowAmount: f(r.BelowLowAmount),
			SchemeCost: money(r.Scheme), ApplicantCost: money(r.Applicant), CWSCost: money(r.CWS), ExecutionCost: money(r.Execution),
			Total: money(r.Total), TotalP5: f(r.P5), TotalP50: f(r.P50), TotalP95: f(r.P95)}
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

// sweepFigures are the sweep sheet's columns after the options.
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

// WriteSweepWorkbook writes the sweep as an Excel table (sortable and
// filterable) with a chart of cost against access, in the run workbook's
// styles.
func WriteSweepWorkbook(w io.Writer, rows []raming.SweepRow, sc *scenario.Scenario, prov Provenance) error {
	wb, err := newWorkbook()
	if err != nil {
		return err
	}
	defer wb.f.Close()
	s := wb.sheet("Opties B")
	nOpt := len(scenario.Options)
	s.width(1, nOpt, 14)
	s.width(nOpt+1, nOpt+len(sweepFigures), 15)
	s.freeze(0, 1)
	var head []any
	for _, op := range scenario.Options {
		head = append(head, op.Label)
	}
	col := map[string]int{}
	for i, f := range sweepFigures {
		head = append(head, f.label)
		col[f.label] = nOpt + 1 + i
	}
	s.row(head...)
	for i := range rows {
		r := &rows[i]
		row := s.next()
		var cells []any
		for _, op := range scenario.Options {
			cells = append(cells, op.Get(&r.Options))
		}
		for _, f := range sweepFigures {
			if f.get != nil {
				if x := f.get(r); !math.IsNaN(x) {
					cells = append(cells, wb.cell(x, f.style))
				} else {
					cells = append(cells, nil) // no Monte Carlo band
				}
				continue
			}
			c := col[f.label]
			cells = append(cells, wb.formulaCell(fmt.Sprintf("%s+%s+%s", cellName(c-4, row), cellName(c-3, row), cellName(c-2, row)), num(r.Total), f.style))
		}
		s.row(cells...)
	}
	last := s.next() - 1
	access, total := col["Met toegang"], col["Totaal (excl. uitvoering)"]
	s.chart(cellName(nOpt+len(sweepFigures)+2, 2), &excelize.Chart{Type: excelize.Scatter,
		Series: []excelize.ChartSeries{{Name: "Combinaties", Categories: s.span(access, 2, access, last),
			Values: s.span(total, 2, total, last), Marker: excelize.ChartMarker{Symbol: "circle", Size: 3},
			Line: excelize.LineOptions{Width: 0}}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Variant B: totale kosten tegen aantal met toegang, per optiecombinatie"}}},
		XAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Ex-partners met toegang"}}}},
		YAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Totale kosten (excl. uitvoering)"}}}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtEURMln}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 760, Height: 420},
	})
	s.table = &excelize.Table{Range: fmt.Sprintf("A1:%s", cellName(nOpt+len(sweepFigures), last)), Name: "OptiesB", StyleName: "TableStyleLight9"}

	n := wb.sheet("Toelichting")
	n.width(1, 1, 30)
	n.row(wb.text("Variant B per record onder elke combinatie van de opties (deck, bijlage 'Samenvatting uitwerking regeling').", styleBold))
	n.row("Scenario", sc.Name, sc.SHA256)
	n.row("Bedragen in euro, excl. uitvoering; uitvoeringskosten (schatting van het deck per keuze) staan ernaast.")
	n.row("Met toegang en de bedragstatistieken zijn gewogen met de kans op toegang bij onbekende waarden (aandeel gedupeerd, aandeel 1+ jaar samen).")
	n.row("Kosten CWS: beroep × (gemiddelde schade − bedrag) voor wie minder dan de gemiddelde schade ontvangt.")
	n.row("Tool", "raming "+prov.ToolVersion)
	n.row("Tijdstip run (UTC)", wb.cell(prov.RunTime.UTC(), styleDatetime))
	n.row()
	n.row(wb.text("Opties", styleHeader), wb.text("Waarde", styleHeader), wb.text("Betekenis", styleHeader))
	for _, op := range scenario.Options {
		for _, v := range op.Values {
			n.row(op.Label, v.Text, v.Label)
		}
	}
	created := prov.RunTime.UTC().Format("2006-01-02T15:04:05Z")
	if err := wb.write(&excelize.DocProperties{Title: "Variant B: opties", Creator: "raming " + prov.ToolVersion,
		Created: created, Modified: created, Language: "nl-NL"}); err != nil {
		return err
	}
	return writeDeterministic(w, wb.f)
}
