package output

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

// First data rows of the sheets whose cells formulas refer to.
const (
	assumptionsFirstRow = 5
	funnelFirstRow      = 5
)

// Rows of a variant sheet, laid out like the deck's raming table.
const (
	rowPopulation = 5
	rowScheme     = 6
	rowCWS        = 7
	rowTotal      = 8
	rowCWSFiles   = 9
)

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i)
	return n
}

// overview writes A–E side by side: the range of each variant with the
// deck's printed range beside it, then every case.
func (wb *workbook) overview(sw *sheetWriter) error {
	sw.SetColWidth(1, 1, 10)
	sw.SetColWidth(2, 2, 44)
	sw.SetColWidth(3, 12, 17)
	sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	sc := wb.res.Scenario
	rs := [][]any{
		{wb.text(sc.Title, "title")},
		{wb.text(fmt.Sprintf("Scenario %q; populatie: %s. Bedragen excl. uitvoering.", sc.Name, populationText(wb.res)), "note")},
		nil,
		{wb.text("Variant", "header"), wb.text("Naam", "header"), wb.text("Raming laag", "headerR"), wb.text("Raming hoog", "headerR"),
			wb.text("Deck laag (€ mln)", "headerR"), wb.text("Deck hoog (€ mln)", "headerR"), wb.text("Deck (tekst)", "header")},
	}
	for _, v := range wb.res.Variants {
		sheet := quoteSheet(variantSheet[v.ID])
		last := colName(1 + len(v.Cases))
		totals := fmt.Sprintf("%s!B%d:%s%d", sheet, rowTotal, last, rowTotal)
		rs = append(rs, []any{wb.text(v.ID, "bold"), v.Name,
			excelize.Cell{Formula: "MIN(" + totals + ")", Value: num(v.TotalLow), StyleID: wb.styles["mln"]},
			excelize.Cell{Formula: "MAX(" + totals + ")", Value: num(v.TotalHigh), StyleID: wb.styles["mln"]},
			deckNumber(wb, v.Deck.Text != "", v.Deck.Low), deckNumber(wb, v.Deck.Text != "", v.Deck.High), v.Deck.Text})
	}
	rs = append(rs, nil, []any{wb.text("Geval", "header"), wb.text("Omschrijving", "header"), wb.text("Populatie", "headerR"),
		wb.text("Kosten van regeling", "headerR"), wb.text("Kosten van CWS", "headerR"), wb.text("Totale kosten", "headerR"),
		wb.text("Deck regeling (€ mln)", "headerR"), wb.text("Deck CWS (€ mln)", "headerR"),
		wb.text("Uitvoeringskosten (niet in totaal)", "headerR"), wb.text("Laatste CWS-besluit", "headerR")})
	for _, v := range wb.res.Variants {
		sheet := quoteSheet(variantSheet[v.ID])
		for i, c := range v.Cases {
			col := colName(2 + i)
			at := func(row int, e *raming.Expr, style string) excelize.Cell {
				return excelize.Cell{Formula: fmt.Sprintf("%s!%s%d", sheet, col, row), Value: num(e.Value), StyleID: wb.styles[style]}
			}
			rs = append(rs, []any{c.ID, c.Label, at(rowPopulation, c.Population, "persons"), at(rowScheme, c.Scheme, "mln"),
				at(rowCWS, c.CWS, "mln"), at(rowTotal, c.Total, "mlnBold"),
				deckNumber(wb, c.Deck.Text != "", c.Deck.Scheme), deckNumber(wb, c.Deck.Text != "", c.Deck.CWS),
				wb.executionCell(c.Profile), lastCWSText(c.Profile)})
		}
	}
	if wb.res.MonteCarlo != nil {
		rs = append(rs, nil)
		if err := wb.band(sheetOverview, &rs); err != nil {
			return err
		}
		for i := 0; i < 19; i++ { // room for the chart
			rs = append(rs, nil)
		}
	}
	rs = append(rs, nil, []any{wb.text("Raming laag/hoog: laagste en hoogste totaal over de gevallen van een variant. "+
		"Alle bedragen zijn formules op de variantbladen; wijzig een aanname op het blad Aannames en de totalen volgen.", "note")})
	return wb.rows(sw, rs)
}

// executionCell shows a case's execution costs, or says they are not estimated.
func (wb *workbook) executionCell(p *raming.Profile) any {
	if !p.ExecutionKnown {
		return wb.text("niet geraamd", "note")
	}
	return excelize.Cell{Value: num(p.Execution), StyleID: wb.styles["mln"]}
}

func lastCWSText(p *raming.Profile) any {
	if p.LastCWSYear == 0 {
		return "geen"
	}
	return p.LastCWSYear
}

func deckNumber(wb *workbook, ok bool, v interface{ InexactFloat64() float64 }) any {
	if !ok {
		return nil
	}
	return excelize.Cell{Value: v.InexactFloat64(), StyleID: wb.styles["deckMln"]}
}

func populationText(res *raming.Result) string {
	if res.Population.Source == "scenario" {
		return "basispopulatie uit het scenario"
	}
	return fmt.Sprintf("extract %s (%d rijen gebruikt)", res.Population.Source, res.Population.RowsUsed)
}

// variant writes one variant as the deck's raming table: Populatie, Kosten
// van regeling, Kosten van CWS, Totale kosten, one column per case, then the
// arithmetic in words and what the deck printed.
func (wb *workbook) variant(sw *sheetWriter, v raming.Variant) error {
	sw.SetColWidth(1, 1, 34)
	sw.SetColWidth(2, 1+len(v.Cases), 60)
	sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: 4, TopLeftCell: "B5", ActivePane: "bottomRight"})
	header := []any{wb.text("Onderdeel", "header")}
	pop := []any{wb.text("Populatie", "bold")}
	scheme := []any{wb.text("Kosten van regeling", "bold")}
	cws := []any{wb.text("Kosten van CWS", "bold")}
	total := []any{wb.text("Totale kosten (excl. uitvoering)", "bold")}
	files := []any{"Aantal dossiers bij CWS"}
	popText := []any{wb.text("Populatie", "wrap")}
	schemeText := []any{wb.text("Kosten van regeling", "wrap")}
	cwsText := []any{wb.text("Kosten van CWS", "wrap")}
	deckScheme := []any{"Kosten van regeling (€ mln)"}
	deckCWS := []any{"Kosten van CWS (€ mln)"}
	deckText := []any{wb.text("Berekening in het deck", "wrap")}
	for i, c := range v.Cases {
		col := colName(2 + i)
		header = append(header, wb.text(c.ID+": "+c.Label, "headerR"))
		pop = append(pop, wb.live(c.Population, "persons"))
		scheme = append(scheme, wb.live(c.Scheme, "eur"))
		cws = append(cws, wb.live(c.CWS, "eur"))
		total = append(total, excelize.Cell{Formula: fmt.Sprintf("%s%d+%s%d", col, rowScheme, col, rowCWS), Value: num(c.Total.Value), StyleID: wb.styles["eurBold"]})
		files = append(files, wb.live(c.CWSPopulation, "persons"))
		popText = append(popText, wb.text(wb.line(c.Population, scenario.Persons), "wrap"))
		schemeText = append(schemeText, wb.text(wb.line(c.Scheme, scenario.EUR), "wrap"))
		cwsText = append(cwsText, wb.text(wb.line(c.CWS, scenario.EUR), "wrap"))
		deckScheme = append(deckScheme, deckNumber(wb, c.Deck.Text != "", c.Deck.Scheme))
		deckCWS = append(deckCWS, deckNumber(wb, c.Deck.Text != "", c.Deck.CWS))
		deckText = append(deckText, wb.text(c.Deck.Text, "wrap"))
	}
	rs := [][]any{
		{wb.text("Variant "+v.ID+": "+v.Name, "title")},
		{wb.text("Bedragen in euro, excl. uitvoering. Bron: deck, \"Grove financiële raming van de vijf varianten\".", "note")},
		nil,
		header, pop, scheme, cws, total, files, nil,
		{wb.text("Berekening", "header")}, popText, schemeText, cwsText, nil,
		{wb.text("Zoals gedrukt in het deck", "header")}, deckScheme, deckCWS, deckText,
	}
	if v.Deck.Text != "" {
		rs = append(rs, []any{"Raming in het deck", v.Deck.Text})
	}
	if b := wb.res.B; v.ID == "B" && b != nil {
		rs = append(rs, nil, []any{wb.text("Per record berekend (extract), opties van het scenario", "header")})
		o := b.Options
		for _, kv := range [][2]string{{"Percentage", o.Percentage}, {"Basis", o.Base}, {"Peildatum", o.Peildatum}, {"Drempel", o.Threshold},
			{"Minimaal één jaar", fmt.Sprint(o.MinimumOneYear)}, {"Verrekening gedeelde 30k", o.Offset30k},
			{"In mindering op aanvrager", o.DeductFromApplicant}, {"Extra uitbetaling", o.ExtraPayment}, {"Route naar CWS", o.CWSRoute}} {
			rs = append(rs, []any{kv[0], kv[1]})
		}
		small := wb.prov.smallCell()
		rs = append(rs, []any{"Met toegang (verwacht)", suppressCount(b.Access, small)},
			[]any{"Onder laag bedrag (verwacht)", suppressCount(b.BelowLowAmount, small)},
			[]any{"Uitvoeringskosten (niet in totaal)", excelize.Cell{Value: num(b.ExecutionCost), StyleID: wb.styles["eur"]}})
		if b.Access >= float64(small) {
			for _, kv := range []struct {
				label string
				v     float64
			}{{"Gemiddeld bedrag", b.MeanAmount}, {"Mediaan bedrag", b.MedianAmount}, {"P10 bedrag", b.P10Amount}, {"P90 bedrag", b.P90Amount}} {
				rs = append(rs, []any{kv.label, excelize.Cell{Value: kv.v, StyleID: wb.styles["eur"]}})
			}
		}
		rs = append(rs, []any{wb.text("Elk bedrag per ex-partner met reden: raming run --records FILE.csv. Regels: docs/methodology.md, 'Variant B per record'.", "note")})
	}
	rs = append(rs, nil, []any{wb.text("Aannames en bronnen: blad Aannames; populatie (trechter) en tussenresultaten: blad Populatie.", "note")})
	return wb.rows(sw, rs)
}

// line writes "arithmetic = result" for a figure. A figure that is a named
// quantity shows how the quantity is computed, and the deck's rounding.
func (wb *workbook) line(e *raming.Expr, u scenario.Unit) string {
	if e.Op == raming.OpValue && e.Name == "" {
		return "niet van toepassing"
	}
	if e.Op != raming.OpRef {
		return exprText(e, wb.units) + " = " + valueText(e.Value, u)
	}
	q := wb.qs[e.Name]
	s := q.Label + ": " + exprText(q.Exact, wb.units) + " = " + valueText(q.Exact.Value, u)
	if q.Rounded != nil {
		s += "; het deck rekent met " + q.Rounded.DeckText + " = " + valueText(q.Rounded.Value, u)
	}
	return s
}

// funnel writes the funnel and the other derived quantities: how each is
// computed, the exact figure, the deck's rounding if any, and the figure used.
func (wb *workbook) funnel(sw *sheetWriter) error {
	sw.SetColWidth(1, 1, 26)
	sw.SetColWidth(2, 2, 40)
	sw.SetColWidth(3, 3, 60)
	sw.SetColWidth(4, 8, 16)
	sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	extract := wb.res.Population.Source != "scenario"
	rs := [][]any{
		{wb.text("Populatie: trechter en tussenresultaten", "title")},
		{wb.text("Populatie: "+populationText(wb.res)+". Kolom F is wat de raming gebruikt: de afronding van het deck als het scenario die geeft, anders de exacte waarde.", "note")},
		nil,
		{wb.text("Grootheid", "header"), wb.text("Omschrijving", "header"), wb.text("Berekening", "header"), wb.text("Exact", "headerR"),
			wb.text("Afronding deck", "headerR"), wb.text("Gebruikt", "headerR"), wb.text("Rijen bekend", "headerR"), wb.text("Rijen aangenomen", "headerR")},
	}
	steps := map[string]raming.FunnelStep{}
	for _, st := range wb.res.Population.Funnel {
		steps[st.ID] = st
	}
	for i, q := range wb.res.Quantities {
		row := funnelFirstRow + i
		style := wb.unitStyle(q.Unit)
		exact := excelize.Cell{Formula: formula(q.Exact, wb.cells), Value: num(q.Exact.Value), StyleID: style}
		if q.Exact.Op == raming.OpValue && q.Exact.Name == "" {
			exact = excelize.Cell{Value: num(q.Exact.Value), StyleID: style} // a count on the extract
		}
		var rounded any
		used := excelize.Cell{Formula: "D" + strconv.Itoa(row), Value: num(q.Value()), StyleID: style}
		if q.Rounded != nil {
			rounded = excelize.Cell{Value: num(q.Rounded.Value), StyleID: style}
			used.Formula = "E" + strconv.Itoa(row)
		}
		r := []any{q.ID, q.Label, wb.text(exprText(q.Exact, wb.units), "wrap"), exact, rounded, used}
		if st, ok := steps[q.ID]; ok && extract {
			r = append(r, suppress(st.Known, wb.prov.smallCell()), suppress(st.Assumed, wb.prov.smallCell()))
		}
		rs = append(rs, r)
	}
	return wb.rows(sw, rs)
}

// assumptions writes every assumption with its value, unit and source.
func (wb *workbook) assumptions(sw *sheetWriter, entries []scenario.Entry) error {
	sw.SetColWidth(1, 1, 30)
	sw.SetColWidth(2, 2, 40)
	sw.SetColWidth(3, 4, 14)
	sw.SetColWidth(5, 5, 100)
	sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	rs := [][]any{
		{wb.text("Aannames", "title")},
		{wb.text("Scenario \""+wb.res.Scenario.Name+"\". Wijzig een waarde in kolom C en alle formules volgen.", "note")},
		nil,
		{wb.text("Sleutel", "header"), wb.text("Aanname", "header"), wb.text("Waarde", "headerR"), wb.text("Eenheid", "header"), wb.text("Bron (dia en formulering van het deck)", "header")},
	}
	for _, e := range entries {
		rs = append(rs, []any{e.ID, e.Label, excelize.Cell{Value: num(e.Value), StyleID: wb.unitStyle(e.Unit)}, unitNL[e.Unit], wb.text(e.Source, "wrap")})
	}
	if len(wb.res.Scenario.Rounding) > 0 {
		rs = append(rs, nil, []any{wb.text("Afrondingen van het deck", "header"), wb.text("Zoals het deck schrijft", "header"), wb.text("Waarde", "headerR"), nil, wb.text("Bron", "header")})
		for _, q := range wb.res.Quantities {
			if q.Rounded != nil {
				rs = append(rs, []any{q.ID, q.Rounded.DeckText, excelize.Cell{Value: num(q.Rounded.Value), StyleID: wb.unitStyle(q.Unit)}, unitNL[q.Unit], wb.text(q.Rounded.Source, "wrap")})
			}
		}
	}
	return wb.rows(sw, rs)
}

// rejected lists the extract's rejected rows. Reasons and columns are
// written as text, never as formulas.
func (wb *workbook) rejected(sw *sheetWriter) error {
	sw.SetColWidth(1, 2, 14)
	sw.SetColWidth(3, 3, 100)
	sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	p := wb.res.Population
	rs := [][]any{
		{wb.text("Afgewezen rijen van het extract", "title")},
		{wb.text(fmt.Sprintf("Gelezen %d = gebruikt %d + afgewezen %d.", p.RowsRead, p.RowsUsed, p.RowsRejected), "note")},
		nil,
		{wb.text("Regel", "header"), wb.text("Kolom", "header"), wb.text("Reden", "header")},
	}
	for _, r := range wb.prov.Rejected {
		rs = append(rs, []any{r.Line, r.Column, r.Reason()})
	}
	return wb.rows(sw, rs)
}

// provenance records what produced the workbook.
func (wb *workbook) provenance(sw *sheetWriter) error {
	sw.SetColWidth(1, 1, 28)
	sw.SetColWidth(2, 2, 90)
	sc, p := wb.res.Scenario, wb.res.Population
	kv := [][2]any{
		{"Tool", "raming " + wb.prov.ToolVersion},
		{"Tijdstip run (UTC)", excelize.Cell{Value: wb.prov.RunTime.UTC(), StyleID: wb.styles["datetime"]}},
		{"Scenario", sc.Name},
		{"Scenario herkomst", sc.Origin},
		{"Scenario SHA-256", sc.SHA256},
		{"Populatie", p.Source},
		{"Populatie SHA-256", wb.prov.InputSHA256},
		{"Rijen gelezen", p.RowsRead},
		{"Rijen gebruikt", p.RowsUsed},
		{"Rijen afgewezen", p.RowsRejected},
		{"Bedragen", "euro, excl. uitvoering; exacte decimalen, afgerond bij weergave"},
	}
	for _, w := range wb.prov.Warnings {
		kv = append(kv, [2]any{"Waarschuwing", w})
	}
	rs := [][]any{{wb.text("Herkomst", "title")}, nil}
	for _, r := range kv {
		rs = append(rs, []any{wb.text(fmt.Sprint(r[0]), "bold"), r[1]})
	}
	return wb.rows(sw, rs)
}
