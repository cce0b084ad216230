package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

// sweepColumns are the sweep's columns: the options, then the figures.
var sweepColumns = []string{"percentage", "base", "peildatum", "threshold", "minimum_one_year", "offset_30k",
	"deduct_from_applicant", "extra_payment", "cws_route",
	"access", "mean_amount", "median_amount", "p10_amount", "p90_amount", "below_low_amount",
	"scheme_cost", "applicant_cost", "cws_cost", "execution_cost", "total", "total_p5", "total_p50", "total_p95"}

func optionValues(o scenario.BOptions) []string {
	return []string{o.Percentage, o.Base, o.Peildatum, o.Threshold, strconv.FormatBool(o.MinimumOneYear), o.Offset30k,
		o.DeductFromApplicant, o.ExtraPayment, o.CWSRoute}
}

// WriteSweepCSV writes one row per combination of B's options.
func WriteSweepCSV(w io.Writer, rows []raming.SweepRow) error {
	cw := csv.NewWriter(w)
	cw.Write(sweepColumns)
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	for _, r := range rows {
		rec := append(optionValues(r.Options), f(r.Access), f(r.MeanAmount), f(r.MedianAmount), f(r.P10Amount), f(r.P90Amount),
			f(r.BelowLowAmount), money(r.Scheme), money(r.Applicant), money(r.CWS), money(r.Execution), money(r.Total),
			f(r.P5), f(r.P50), f(r.P95))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSweepWorkbook writes the sweep as an Excel table (sortable and
// filterable) with a chart of cost against access.
func WriteSweepWorkbook(w io.Writer, rows []raming.SweepRow, sc *scenario.Scenario, prov Provenance) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Opties B"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	eur, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(fmtEUR0)})
	mlnStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(fmtEURMln)})
	cnt, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`#,##0`)})
	landscape, wide, tall := "landscape", 1, 0
	f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall})
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	sw.SetColWidth(1, 9, 14)
	sw.SetColWidth(10, 23, 15)
	sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	dutch := []string{"Percentage", "Basis", "Peildatum", "Drempel", "Minimaal 1 jaar", "Verrekening 30k", "In mindering aanvrager",
		"Extra uitbetaling", "Route CWS", "Met toegang", "Gemiddeld bedrag", "Mediaan", "P10", "P90", "Onder laag bedrag",
		"Kosten regeling", "Kosten aanvragerszijde", "Kosten CWS", "Uitvoeringskosten", "Totaal (excl. uitvoering)",
		"Totaal P5", "Totaal P50", "Totaal P95"}
	head := make([]any, len(dutch))
	for i, d := range dutch {
		head[i] = d
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, r := range rows {
		vals := []any{}
		for _, v := range optionValues(r.Options) {
			vals = append(vals, v)
		}
		vals = append(vals,
			excelize.Cell{Value: r.Access, StyleID: cnt}, excelize.Cell{Value: r.MeanAmount, StyleID: eur},
			excelize.Cell{Value: r.MedianAmount, StyleID: eur}, excelize.Cell{Value: r.P10Amount, StyleID: eur},
			excelize.Cell{Value: r.P90Amount, StyleID: eur}, excelize.Cell{Value: r.BelowLowAmount, StyleID: cnt},
			excelize.Cell{Value: num(r.Scheme), StyleID: mlnStyle}, excelize.Cell{Value: num(r.Applicant), StyleID: mlnStyle},
			excelize.Cell{Value: num(r.CWS), StyleID: mlnStyle}, excelize.Cell{Value: num(r.Execution), StyleID: mlnStyle},
			excelize.Cell{Formula: fmt.Sprintf("P%d+Q%d+R%d", i+2, i+2, i+2), Value: num(r.Total), StyleID: mlnStyle},
			excelize.Cell{Value: r.P5, StyleID: mlnStyle}, excelize.Cell{Value: r.P50, StyleID: mlnStyle}, excelize.Cell{Value: r.P95, StyleID: mlnStyle})
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	last := len(rows) + 1
	if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:W%d", last), Name: "OptiesB", StyleName: "TableStyleLight9"}); err != nil {
		return err
	}
	chart := &excelize.Chart{Type: excelize.Scatter,
		Series: []excelize.ChartSeries{{Name: "Combinaties", Categories: fmt.Sprintf("'%s'!$J$2:$J$%d", sheet, last),
			Values: fmt.Sprintf("'%s'!$T$2:$T$%d", sheet, last), Marker: excelize.ChartMarker{Symbol: "circle", Size: 3},
			Line: excelize.LineOptions{Width: 0}}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Variant B: totale kosten tegen aantal met toegang, per optiecombinatie"}}},
		XAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Ex-partners met toegang"}}}},
		YAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Totale kosten (excl. uitvoering)"}}}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtEURMln}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 760, Height: 420},
	}
	if err := f.AddChart(sheet, "Y2", chart); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if _, err := f.NewSheet("Toelichting"); err != nil {
		return err
	}
	notes := [][]any{
		{"Variant B per record onder elke combinatie van de opties (deck, bijlage 'Samenvatting uitwerking regeling')."},
		{"Scenario", sc.Name, sc.SHA256},
		{"Bedragen in euro, excl. uitvoering; uitvoeringskosten (schatting van het deck per keuze) staan ernaast."},
		{"Met toegang en de bedragstatistieken zijn gewogen met de kans op toegang bij onbekende waarden (aandeel gedupeerd, aandeel 1+ jaar samen)."},
		{"Kosten CWS: beroep × (gemiddelde schade − bedrag) voor wie minder dan de gemiddelde schade ontvangt."},
		{"Tool", "raming " + prov.ToolVersion},
		{"Tijdstip run (UTC)", prov.RunTime.UTC().Format("2006-01-02 15:04:05")},
	}
	for i, n := range notes {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Toelichting", cell, &n)
	}
	f.SetColWidth("Toelichting", "A", "A", 30)
	created := prov.RunTime.UTC().Format("2006-01-02T15:04:05Z")
	f.SetDocProps(&excelize.DocProperties{Title: "Variant B: opties", Creator: "raming " + prov.ToolVersion, Created: created, Modified: created, Language: "nl-NL"})
	return writeDeterministic(w, f)
}
