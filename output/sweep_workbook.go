package output

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

// Sheet names of the sweep's workbook.
const (
	sheetRanking = "Rangschikking"
	sheetCombos  = "Combinaties"
	sheetNotes   = "Toelichting"
)

// sweepBook is the sweep being written: its rows, each row's rank by
// total (1: the cheapest) and cost per person with access, and the
// scenario's own combination (chosen; −1 when the grid lacks it).
type sweepBook struct {
	*workbook
	rows   []raming.SweepRow
	sc     *scenario.Scenario
	mc     raming.MC
	bands  bool      // the rows have a Monte Carlo band
	rank   []int     // 0 for a row the small-cell rule hides
	per    []float64 // NaN without access, or when not shown
	chosen int
	// limit is the small-cell limit, shown what it shows of each row
	// (sweepShownOf), hidden how many rows it hides, and unplotted how
	// many rows show no number of people with access.
	limit             int
	shown             []sweepShown
	hidden, unplotted int
	// chartAccess and chartTotal are the columns the chart plots: those
	// of the table, or, when rows are hidden, hidden columns beside it
	// that leave them empty.
	chartAccess, chartTotal int
	// dataRow is the row of each combination on the sheet Combinaties,
	// and col the columns there by figure.
	dataRow map[int]int
	col     map[string]int
	// option and optionBold are the styles of an option's value, and
	// optionHead of its header: a little indented from the figure before
	// it; in bold for the scenario's own.
	option, optionBold, optionHead int
}

// optionWidth is the width of an option's column: its longest short
// value (the header wraps).
func optionWidth(op scenario.Option) float64 {
	w := 9
	for _, v := range op.Values {
		w = max(w, utf8.RuneCountInString(v.Short))
	}
	return float64(w) + 3
}

// optionCell is an option's value in o as a table shows it.
func (wb *sweepBook) optionCell(op scenario.Option, o *scenario.BOptions, bold bool) excelize.Cell {
	style := wb.option
	if bold {
		style = wb.optionBold
	}
	return excelize.Cell{Value: op.ShortOf(o), StyleID: style}
}

// perPerson is a row's total per expected person with access (NaN
// without access).
func perPerson(r *raming.SweepRow) float64 {
	if r.Access <= 0 {
		return math.NaN()
	}
	return num(r.Total) / r.Access
}

// hiddenText is a figure the small-cell rule hides, in a table.
func (wb *sweepBook) hiddenText() excelize.Cell { return wb.text(complementNL, styleNoteR) }

// countCell is an expected count of row i: "<N" below the limit, or
// "niet getoond" when not shown, else the figure, or formula f over it
// when f is not "".
func (wb *sweepBook) countCell(i int, x float64, f string, shown bool) any {
	if !shown {
		return wb.text(hiddenCount(x, wb.limit, complementNL), styleNoteR)
	}
	if x > 0 && x < float64(wb.limit) {
		return wb.text(suppressCount(x, wb.limit), styleNoteR)
	}
	if f != "" {
		return wb.formulaCell(f, x, styleCount)
	}
	return wb.cell(x, styleCount)
}

// sameOptions reports whether two sets of B's options choose the same.
func sameOptions(a, b *scenario.BOptions) bool {
	for _, op := range scenario.Options {
		if op.Get(a) != op.Get(b) {
			return false
		}
	}
	return true
}

// WriteSweepWorkbook writes the option sweep (Dutch): a first sheet that
// ranks the combinations (the cheapest and most expensive, overall and
// per access threshold, with the cost per person with access, and the
// scenario's own combination marked) with a chart of cost against access;
// every combination as an Excel table (sortable and filterable), options
// and headers in Dutch from the option table (scenario.Options), the
// band's columns only when mc computed them; and the notes. Print-ready
// as the run's sheets. A row resting on fewer than smallCell people of
// the extract (sweepShownOf) shows "niet getoond" (counts "<N") for its
// figures and is left out of the ranking and the chart: its rank among
// the others would place its total between two shown ones.
func WriteSweepWorkbook(w io.Writer, rows []raming.SweepRow, sc *scenario.Scenario, mc raming.MC, prov Provenance, smallCell, rowsUsed int) error {
	wb0, err := newWorkbook()
	if err != nil {
		return err
	}
	defer wb0.f.Close()
	wb0.prov = prov
	if len(rows) == 0 {
		return fmt.Errorf("the sweep has no combination to write")
	}
	wb := &sweepBook{workbook: wb0, rows: rows, sc: sc, mc: mc, bands: !math.IsNaN(rows[0].P5), chosen: -1,
		rank: make([]int, len(rows)), per: make([]float64, len(rows)), dataRow: map[int]int{}, col: map[string]int{},
		limit: smallCell, shown: sweepShownOf(rows, smallCell, rowsUsed)}
	for i := range rows {
		if !wb.shown[i].row {
			wb.hidden++
		}
		if !wb.shown[i].access {
			wb.unplotted++
		}
	}
	indent := &excelize.Alignment{Horizontal: "left", Indent: 1}
	if wb.option, err = wb.f.NewStyle(&excelize.Style{Alignment: indent}); err != nil {
		return err
	}
	if wb.optionBold, err = wb.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: indent}); err != nil {
		return err
	}
	head := *styleDefs[styleHeader]
	head.Alignment = &excelize.Alignment{Horizontal: "left", Indent: 1, WrapText: true, Vertical: "top"}
	if wb.optionHead, err = wb.f.NewStyle(&head); err != nil {
		return err
	}
	order := wb.byTotal()
	for k, i := range order {
		wb.rank[i] = k + 1
	}
	for i := range rows {
		wb.per[i] = math.NaN()
		if wb.shown[i].stats {
			wb.per[i] = perPerson(&rows[i])
		}
		if sc.B != nil && wb.chosen < 0 && sameOptions(&rows[i].Options, &sc.B.Options) {
			wb.chosen = i
		}
	}
	// Built in the order of their references, shown in this order.
	ranking, combos, notes := wb.sheet(sheetRanking), wb.sheet(sheetCombos), wb.sheet(sheetNotes)
	wb.combinations(combos)
	wb.ranking(ranking, combos)
	wb.notes(notes, prov)
	created := prov.RunTime.UTC().Format("2006-01-02T15:04:05Z")
	if err := wb.write(&excelize.DocProperties{Title: "Variant B: de opties vergeleken", Creator: "raming " + prov.ToolVersion,
		Created: created, Modified: created, Language: "nl-NL"}); err != nil {
		return err
	}
	return writeDeterministic(w, wb.f)
}

// byTotal returns the indexes of the rows shown from the cheapest total
// to the most expensive (ties in the grid's order).
func (wb *sweepBook) byTotal() []int {
	var order []int
	for i := range wb.rows {
		if wb.shown[i].row {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return wb.rows[a].Total.Cmp(wb.rows[b].Total) })
	return order
}

// combinations writes every combination as an Excel table: the options by
// their short Dutch labels, the figures, the total (a formula), the cost
// per person with access (a formula), the rank, and the band when
// computed. The scenario's own combination is in bold.
func (wb *sweepBook) combinations(s *sheet) {
	nOpt := len(scenario.Options)
	head := []any{}
	for _, op := range scenario.Options {
		head = append(head, excelize.Cell{Value: op.Short, StyleID: wb.optionHead})
	}
	type column struct {
		key   string // the figure's csv tag ("" for the workbook's own)
		label string
		style cellStyle
		width float64
		get   func(i int) any
	}
	var cols []column
	for _, f := range sweepFigures {
		switch {
		case f.key == "total":
			cols = append(cols, column{f.key, "Totaal (excl. uitvoering)", styleMlnBold, 13, nil},
				column{"", "Per persoon met toegang", styleEur0, 12, nil},
				column{"", "Rang (1: goedkoopst)", styleCount, 10, func(i int) any { return wb.rank[i] }})
		case strings.HasPrefix(f.key, "total_p"):
			if wb.bands && f.key != "total_p50" {
				get := f.get
				cols = append(cols, column{f.key, f.label, f.style, 12, func(i int) any { return get(&wb.rows[i]) }})
			}
		default:
			get, width := f.get, 12.0
			if f.style == styleMln {
				width = 13
			}
			cols = append(cols, column{f.key, f.label, f.style, width, func(i int) any { return get(&wb.rows[i]) }})
		}
	}
	for k, op := range scenario.Options {
		s.width(k+1, k+1, optionWidth(op))
	}
	for k, c := range cols {
		s.width(nOpt+1+k, nOpt+1+k, c.width)
		head = append(head, wb.text(c.label, styleHeaderR))
		wb.col[c.label] = nOpt + 1 + k
	}
	s.freeze(0, 1)
	s.titleRows = [2]int{1, 1}
	total, access := wb.col["Totaal (excl. uitvoering)"], wb.col["Met toegang"]
	scheme, cws := wb.col["Kosten regeling"], wb.col["Kosten CWS"]
	wb.chartAccess, wb.chartTotal = access, total
	if wb.unplotted > 0 {
		// The chart plots the rows shown only: a text in its columns
		// would make Excel number the points instead.
		wb.chartAccess, wb.chartTotal = nOpt+len(cols)+2, nOpt+len(cols)+3
		head = append(head, nil, wb.text("Met toegang (grafiek)", styleHeaderR), wb.text("Totaal (excl. uitvoering)", styleHeaderR))
		s.hidden = append(s.hidden, wb.chartAccess, wb.chartTotal)
	}
	s.row(head...)
	for i := range wb.rows {
		r := &wb.rows[i]
		row := s.next()
		wb.dataRow[i] = row
		shown := wb.shown[i]
		var cells []any
		for _, op := range scenario.Options {
			cells = append(cells, wb.optionCell(op, &r.Options, i == wb.chosen))
		}
		for _, c := range cols {
			cells = append(cells, wb.comboCell(i, c.key, c.label, c.style, c.get, cellName(total, row), cellName(access, row), cellName(scheme, row), cellName(cws, row)))
		}
		if wb.unplotted > 0 && shown.access {
			cells = append(cells, nil, wb.formulaCell(cellName(access, row), r.Access, styleCount), wb.formulaCell(cellName(total, row), num(r.Total), styleMln))
		}
		s.row(cells...)
	}
	last := s.next() - 1
	s.table = &excelize.Table{Range: fmt.Sprintf("A1:%s", cellName(nOpt+len(cols), last)), Name: "OptiesB", StyleName: "TableStyleLight9"}
}

// hiddenNote says how many combinations the small-cell rule hides.
func (wb *sweepBook) hiddenNote() string {
	return fmt.Sprintf("%s van de %s combinaties rusten op minder dan %d personen van het extract: hun cijfers zijn niet getoond, en ze staan niet in de lijsten hieronder en de grafiek.",
		nl(decimal.NewFromInt(int64(wb.hidden)), 0), nl(decimal.NewFromInt(int64(len(wb.rows))), 0), wb.limit)
}

// comboCell is column (key, label) of combination i on the sheet
// Combinaties: the figure, a formula over the row's total,
// access, scheme and CWS cells, or what the small-cell rule shows
// instead (sweepShownOf).
func (wb *sweepBook) comboCell(i int, key, label string, style cellStyle, get func(int) any, total, access, scheme, cws string) any {
	r, shown := &wb.rows[i], wb.shown[i]
	switch {
	case key == "access":
		return wb.countCell(i, get(i).(float64), "", shown.row)
	case key == "below_low_amount":
		return wb.countCell(i, get(i).(float64), "", shown.below || shown.row && r.BelowLowAmount < float64(wb.limit))
	case key == "execution_cost": // the deck's estimate for the options: no record in it
		return wb.cell(get(i), style)
	case !shown.row:
		return wb.hiddenText()
	case !shown.stats && (key == "mean_amount" || key == "median_amount" || key == "p10_amount" || key == "p90_amount"):
		return wb.hiddenText()
	}
	switch label {
	case "Totaal (excl. uitvoering)":
		// The three cost columns: regeling, aanvragerszijde, CWS.
		return wb.formulaCell(fmt.Sprintf("SUM(%s:%s)", scheme, cws), num(r.Total), style)
	case "Per persoon met toegang":
		switch {
		case !shown.stats && r.Access > 0:
			return wb.hiddenText()
		case math.IsNaN(wb.per[i]):
			return wb.text("geen toegang", styleNoteR)
		}
		return wb.formulaCell(fmt.Sprintf("%s/%s", total, access), wb.per[i], style)
	}
	return wb.cell(get(i), style)
}

// rankHead is the header of the ranking's lists.
func (wb *sweepBook) rankHead() []any {
	head := []any{wb.text("Rang", styleHeaderR), wb.text("Totaal (excl. uitvoering)", styleHeaderR)}
	if wb.bands {
		head = append(head, wb.text("P5", styleHeaderR), wb.text("P95", styleHeaderR))
	}
	head = append(head, wb.text("Met toegang", styleHeaderR), wb.text("Per persoon met toegang", styleHeaderR))
	for _, op := range scenario.Options {
		head = append(head, excelize.Cell{Value: op.Short, StyleID: wb.optionHead})
	}
	return head
}

// rankRow is combination i as a row of the ranking's lists, its figures
// read from the sheet Combinaties (formulas), in bold when it is the
// scenario's own.
func (wb *sweepBook) rankRow(combos *sheet, i int) []any {
	r := &wb.rows[i]
	at := func(label string) string { return combos.at(wb.col[label], wb.dataRow[i]) }
	bold := i == wb.chosen
	mlnStyle := styleMln
	if bold {
		mlnStyle = styleMlnBold
	}
	cells := []any{wb.formulaCell(at("Rang (1: goedkoopst)"), wb.rank[i], styleCount), wb.formulaCell(at("Totaal (excl. uitvoering)"), num(r.Total), mlnStyle)}
	if wb.bands {
		cells = append(cells, wb.formulaCell(at("Totaal P5"), r.P5, styleMln), wb.formulaCell(at("Totaal P95"), r.P95, styleMln))
	}
	cells = append(cells, wb.countCell(i, r.Access, at("Met toegang"), wb.shown[i].row))
	switch {
	case !wb.shown[i].stats && r.Access > 0:
		cells = append(cells, wb.hiddenText())
	case math.IsNaN(wb.per[i]):
		cells = append(cells, wb.text("geen toegang", styleNoteR))
	default:
		cells = append(cells, wb.formulaCell(at("Per persoon met toegang"), wb.per[i], styleEur0))
	}
	for _, op := range scenario.Options {
		cells = append(cells, wb.optionCell(op, &r.Options, bold))
	}
	return cells
}

// ranking writes the first sheet: the scenario's own combination with its
// rank, the five cheapest and most expensive combinations, the cheapest
// and most expensive per access threshold, the five lowest costs per
// person with access, and a chart of cost against access over every
// combination with the scenario's own marked.
func (wb *sweepBook) ranking(s *sheet, combos *sheet) {
	nOpt := len(scenario.Options)
	figures := 4
	if wb.bands {
		figures = 6
	}
	s.width(1, 1, 7)
	s.width(2, 2, 13)
	s.width(3, figures, 12)
	for k, op := range scenario.Options {
		s.width(figures+1+k, figures+1+k, optionWidth(op))
	}
	s.cols = figures + nOpt
	s.printCols = s.cols
	n := len(wb.rows)
	s.row(wb.text("Variant B: de combinaties van de opties gerangschikt", styleTitle))
	note := fmt.Sprintf("Scenario %q: variant B per record onder elk van de %s combinaties van de opties (deck, bijlage 'Samenvatting uitwerking regeling'), "+
		"op het extract. Bedragen excl. uitvoering; rang 1 is de goedkoopste. Met toegang is het verwachte aantal ex-partners met toegang (gewogen met de kans op toegang bij onbekende waarden); "+
		"per persoon met toegang is het totaal gedeeld door dat aantal.", wb.sc.Name, nl(decimal.NewFromInt(int64(n)), 0))
	if wb.bands {
		note += fmt.Sprintf(" P5 en P95: de band van het totaal over %s trekkingen, voor elke combinatie op dezelfde trekkingen (gemeenschappelijke toevalsgetallen).",
			nl(decimal.NewFromInt(int64(wb.mc.Iterations)), 0))
	} else {
		note += " Zonder band: geef --iterations N voor P5 en P95 per combinatie."
	}
	if len(wb.sc.Changed) > 0 {
		note += " Vastgehouden met --set: " + strings.Join(wb.sc.Changed, ", ") + "."
	}
	if wb.hidden > 0 {
		note += " " + wb.hiddenNote()
	}
	s.note(note, styleNote)
	list := func(title string, idx []int) {
		s.row()
		s.row(wb.text(title, styleSection))
		s.row(wb.rankHead()...)
		for _, i := range idx {
			s.row(wb.rankRow(combos, i)...)
		}
		if len(idx) == 0 {
			s.row(nil, wb.text("geen combinatie getoond", styleNote))
		}
	}
	switch {
	case wb.chosen >= 0 && !wb.shown[wb.chosen].row:
		s.row()
		s.note(fmt.Sprintf("Keuze van het scenario: niet getoond, want ze rust op minder dan %d personen van het extract.", wb.limit), styleNote)
	case wb.chosen >= 0:
		list(fmt.Sprintf("Keuze van het scenario (vet in elke lijst): rang %s van %s", nl(decimal.NewFromInt(int64(wb.rank[wb.chosen])), 0),
			nl(decimal.NewFromInt(int64(n)), 0)), []int{wb.chosen})
	default:
		s.row()
		s.note("De keuze van het scenario zit niet tussen de combinaties.", styleNote)
	}
	order := wb.byTotal()
	k := min(5, len(order))
	list("Goedkoopste combinaties", order[:k])
	expensive := slices.Clone(order[len(order)-k:])
	slices.Reverse(expensive)
	list("Duurste combinaties", expensive)
	op, _ := scenario.OptionByKey("threshold")
	var perThreshold []int
	for _, v := range op.Values {
		var of []int
		for _, i := range order {
			if op.Get(&wb.rows[i].Options) == v.Text {
				of = append(of, i)
			}
		}
		if len(of) > 0 {
			perThreshold = append(perThreshold, of[0], of[len(of)-1])
		}
	}
	list("Per toegangsdrempel: de goedkoopste en de duurste", perThreshold)
	var withAccess []int
	for _, i := range order {
		if !math.IsNaN(wb.per[i]) {
			withAccess = append(withAccess, i)
		}
	}
	slices.SortStableFunc(withAccess, func(a, b int) int { return cmp.Compare(wb.per[a], wb.per[b]) })
	list("Laagste kosten per persoon met toegang", withAccess[:min(5, len(withAccess))])
	s.row()
	s.note("De kolommen verwijzen naar het blad Combinaties, waar elke combinatie staat (sorteer en filter daar). "+
		"De opties voluit staan op het blad Toelichting.", styleNote)
	wb.sweepChart(s, combos)
}

// sweepChart draws cost against access for every combination, with the
// scenario's own as a second series, from the sheet Combinaties. The
// series' names are the cells of its headers: LibreOffice draws a series
// whose name it can read.
func (wb *sweepBook) sweepChart(s *sheet, combos *sheet) {
	s.pageBreak()
	if wb.unplotted == len(wb.rows) {
		s.note(fmt.Sprintf("Geen grafiek: geen combinatie toont het aantal met toegang (elk rust op minder dan %d personen van het extract).", wb.limit), styleNote)
		return
	}
	total, access := wb.chartTotal, wb.chartAccess
	last := len(wb.rows) + 1
	series := []excelize.ChartSeries{{Name: combos.abs(total, 1), Categories: combos.span(access, 2, access, last),
		Values: combos.span(total, 2, total, last), Marker: excelize.ChartMarker{Symbol: "circle", Size: 3,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2E75B6"}}},
		Line: excelize.LineOptions{Type: excelize.LineNone}}}
	if wb.chosen >= 0 && wb.shown[wb.chosen].access {
		at := wb.dataRow[wb.chosen]
		// A cell naming the marked point, beyond the printed columns.
		label := s.row(make([]any, s.printCols+1)...)
		s.rows[label-1] = append(s.rows[label-1], wb.text("Keuze van het scenario", styleNone))
		series = append(series, excelize.ChartSeries{Name: s.abs(s.printCols+2, label), Categories: combos.span(access, at, access, at),
			Values: combos.span(total, at, total, at), Marker: excelize.ChartMarker{Symbol: "diamond", Size: 14,
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C00000"}}}, Line: excelize.LineOptions{Type: excelize.LineNone}})
	}
	s.chart(cellName(1, s.next()), &excelize.Chart{Type: excelize.Scatter, Series: series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Variant B: totale kosten tegen het aantal met toegang, per combinatie van de opties"}}},
		XAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Ex-partners met toegang"}}}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
		YAxis:     excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Totale kosten (excl. uitvoering)"}}}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtEURMln}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 1200, Height: 560},
	})
	s.room(560)
}

// notes writes what the sweep is and every option's values, short and in
// full.
func (wb *sweepBook) notes(s *sheet, prov Provenance) {
	s.width(1, 1, 24)
	s.width(2, 2, 18)
	s.width(3, 3, 40)
	s.width(4, 4, 62)
	s.cols, s.printCols = 4, 4
	s.row(wb.text("Toelichting", styleTitle))
	s.row()
	kv := [][2]string{
		{"Scenario", fmt.Sprintf("%s (%s)", wb.sc.Name, originNL(wb.sc.Origin))},
		{"Scenario SHA-256", wb.sc.SHA256},
		{"Combinaties", nl(decimal.NewFromInt(int64(len(wb.rows))), 0)},
		{"Band per combinatie", "geen (--iterations 0)"},
		{"Tool", "raming " + prov.ToolVersion},
		{"Tijdstip run (UTC)", prov.RunTime.UTC().Format("2006-01-02 15:04:05")},
	}
	if wb.bands {
		kv[3][1] = fmt.Sprintf("P5, P50 en P95 over %s trekkingen, seed %d", nl(decimal.NewFromInt(int64(wb.mc.Iterations)), 0), wb.mc.Seed)
	}
	if len(wb.sc.Changed) > 0 {
		kv = append(kv, [2]string{"Vastgehouden met --set", strings.Join(wb.sc.Settings, ", ")})
	}
	for _, r := range kv {
		s.row(wb.text(r[0], styleBold), wb.text(r[1], styleNone))
		s.merged = append(s.merged, [2]string{cellName(2, s.next()-1), cellName(4, s.next()-1)})
	}
	s.row()
	for _, t := range []string{
		"Variant B per record onder elke combinatie van de opties (deck, bijlage 'Samenvatting uitwerking regeling'), met de puntwaarden van het scenario.",
		"Bedragen in euro, excl. uitvoering; de uitvoeringskosten (schatting van het deck per keuze) staan ernaast en tellen niet mee in het totaal.",
		"Met toegang en de bedragstatistieken zijn gewogen met de kans op toegang bij onbekende waarden (aandeel gedupeerd, aandeel 1+ jaar samen).",
		"Kosten CWS: beroep × (gemiddelde schade − bedrag) voor wie minder dan de gemiddelde schade ontvangt.",
		"Een optie die met --set is vastgezet, houdt die waarde in elke combinatie; de andere varieert.",
		fmt.Sprintf("Kleine aantallen (--small-cell %d): een combinatie die rust op minder dan %d personen van het extract toont haar bedragen, band en rang niet ('niet getoond'; aantallen als '<%d') "+
			"en telt niet mee in de rangschikking en de grafiek; gemiddelde, mediaan, P10, P90 en kosten per persoon alleen vanaf %d personen met toegang (docs/methodology.md, 'Small cells').",
			wb.limit, wb.limit, wb.limit, wb.limit),
	} {
		s.note(t, styleNote)
	}
	s.row()
	top := s.row(wb.text("Optie", styleHeader), wb.text("Waarde", styleHeader), wb.text("Met --set", styleHeader), wb.text("Betekenis", styleHeader))
	s.titleRows = [2]int{top, top}
	for _, op := range scenario.Options {
		for _, v := range op.Values {
			s.row(wb.text(op.Short, styleWrap), wb.text(v.Short, styleWrap), wb.text("b."+op.Key+"="+v.Text, styleWrap), wb.text(v.Label, styleWrap))
		}
	}
}
