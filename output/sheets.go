package output

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/internal/words"
	"raming/raming"
	"raming/scenario"
)

// Keys of the cells a variant sheet registers for other sheets.
func refPopulation(caseID string) string { return "population:" + caseID }
func refScheme(caseID string) string     { return "scheme:" + caseID }
func refCWS(caseID string) string        { return "cws:" + caseID }
func refTotal(caseID string) string      { return "total:" + caseID }
func refTotals(variantID string) string  { return "totals:" + variantID }
func refCWSFiles(caseID string) string   { return "cwsfiles:" + caseID }

// overview writes the variants side by side: the range of each with the
// deck's printed range beside it, then every case, then the Monte Carlo
// band of each variant beside its point estimate.
func (wb *workbook) overview(s *sheet) error {
	s.width(1, 1, 9)
	s.width(2, 2, 34)
	s.width(3, 8, 11)
	s.width(9, 9, 14)
	s.width(10, 10, 12)
	s.width(11, 11, 14)
	s.width(12, 12, 11)
	s.width(13, 20, 11)
	s.cols, s.printCols = 10, 10
	s.freeze(0, 5)
	sc := wb.res.Scenario
	s.row(wb.text(sc.Title, styleTitle))
	note := fmt.Sprintf("Scenario %q; populatie: %s. Bedragen excl. uitvoering.", sc.Name, populationText(wb.res))
	if len(sc.Rounding) > 0 && !rounded(wb.res) {
		note += " De afrondingen van het deck (~4k enz.) gelden hier niet (een extract, of --set op hun aannames): de cijfers zijn exact."
	}
	s.note(note, styleNote)
	s.noteCell(wb.stalenessCell(), wb.stalenessText()) // merged and as high as its text: empty until an assumption is edited
	s.row()
	s.row(wb.text("Variant", styleHeader), wb.text("Naam", styleHeader), wb.text("Raming laag", styleHeaderR), wb.text("Raming hoog", styleHeaderR),
		wb.text("Deck laag (€ mln)", styleHeaderR), wb.text("Deck hoog (€ mln)", styleHeaderR), nil, wb.text("Deck (tekst)", styleHeader))
	for _, v := range wb.res.Variants {
		totals := wb.ref(refTotals(v.ID))
		if wb.cells.hiddenVariant(&v) {
			s.row(wb.text(v.ID, styleBold), v.Name, wb.text(complementNL, styleNoteR), wb.text(complementNL, styleNoteR),
				deckNumber(wb, v.Deck.Text != "", v.Deck.Low), deckNumber(wb, v.Deck.Text != "", v.Deck.High), nil, v.Deck.Text)
			continue
		}
		s.row(wb.text(v.ID, styleBold), v.Name,
			wb.formulaCell("MIN("+totals+")", num(v.TotalLow), styleMln),
			wb.formulaCell("MAX("+totals+")", num(v.TotalHigh), styleMln),
			deckNumber(wb, v.Deck.Text != "", v.Deck.Low), deckNumber(wb, v.Deck.Text != "", v.Deck.High), nil, v.Deck.Text)
	}
	s.row()
	s.row(wb.text("Geval", styleHeader), wb.text("Omschrijving", styleHeader), wb.text("Populatie", styleHeaderR),
		wb.text("Kosten van regeling", styleHeaderR), wb.text("Kosten van CWS", styleHeaderR), wb.text("Totale kosten", styleHeaderR),
		wb.text("Deck regeling (€ mln)", styleHeaderR), wb.text("Deck CWS (€ mln)", styleHeaderR),
		wb.text("Uitvoering (niet in totaal)", styleHeaderR), wb.text("Laatste CWS-besluit", styleHeaderR))
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			hidden := wb.cells.hiddenCase(&c)
			at := func(key string, e *raming.Expr, style cellStyle) excelize.Cell {
				if hidden {
					return wb.hiddenCell(e, style)
				}
				c := wb.formulaCell(wb.ref(key), num(e.Value), style)
				if wb.hides(e, scenario.EUR) {
					c = wb.markTool(c)
				}
				return c
			}
			s.row(c.ID, wb.text(c.Label, styleWrap), at(refPopulation(c.ID), c.Population, stylePersons), at(refScheme(c.ID), c.Scheme, styleMln),
				at(refCWS(c.ID), c.CWS, styleMln), at(refTotal(c.ID), c.Total, styleMlnBold),
				deckNumber(wb, c.Deck.Text != "", c.Deck.Scheme), deckNumber(wb, c.Deck.Text != "", c.Deck.CWS),
				wb.executionCell(c), wb.text(lastCWSText(c.Profile), styleToolR))
		}
	}
	if wb.res.MonteCarlo != nil {
		s.row()
		wb.band(s)
	}
	s.row()
	s.note("Raming laag/hoog: laagste en hoogste totaal over de gevallen van een variant. "+
		"De bedragen zijn formules op de variantbladen; wijzig een aanname op het blad Aannames en de totalen volgen.", styleNote)
	return nil
}

// stalenessCell turns red with a warning as soon as any assumption on the
// sheet Aannames differs from the value the run used (kept in a hidden
// column beside it): the Monte Carlo figures, which cannot follow, are
// then out of date.
func (wb *workbook) stalenessCell() excelize.Cell {
	now, then := wb.ref(refAssumptionValues), wb.ref(refAssumptionRunValues)
	return wb.formulaCell(fmt.Sprintf(`IF(SUMPRODUCT(--(%s<>%s))>0,%s,"")`, now, then, quoteText(wb.stalenessText())), "", styleWarn)
}

// stalenessText names what the tool computed for the run's assumptions
// and does not follow an edited one.
func (wb *workbook) stalenessText() string {
	var parts []string
	if wb.res.MonteCarlo != nil {
		parts = append(parts, "de onzekerheid (Monte Carlo, percentielen, risicoreservering)")
	}
	parts = append(parts, "de verdeling over de jaren (Kasritme, begrotingstabellen) en het laatste CWS-besluit")
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			if c.PerRecord != nil {
				parts = append(parts, "de bedragstatistieken per record van variant "+v.ID)
			}
		}
	}
	parts = append(parts, "de teksten die de tool schreef (ook de financiële paragraaf)", "de grijs gearceerde cijfers")
	return "Aannames gewijzigd sinds de berekening: " + words.List(parts) + " gelden voor de aannames van de run."
}

// executionCell shows a case's execution costs (a live formula when they
// follow assumptions), or says they are not estimated.
func (wb *workbook) executionCell(c raming.Case) any {
	if c.Execution == nil {
		return wb.text("niet geraamd", styleNoteR)
	}
	return wb.live(c.Execution, styleMln)
}

func lastCWSText(p *raming.Profile) string {
	if p.LastCWSYear == 0 {
		return "geen"
	}
	return fmt.Sprint(p.LastCWSYear)
}

func deckNumber(wb *workbook, ok bool, v interface{ InexactFloat64() float64 }) any {
	if !ok {
		return nil
	}
	return wb.cell(v.InexactFloat64(), styleDeckMln)
}

func populationText(res *raming.Result) string {
	if !res.Population.Extract {
		return "basispopulatie uit het scenario"
	}
	return fmt.Sprintf("extract %s (%s rijen gebruikt)", res.Population.Source, nl(decimal.NewFromInt(int64(res.Population.RowsUsed)), 0))
}

// variant writes one variant as the deck's raming table: Populatie, Kosten
// van regeling, Kosten van CWS, Totale kosten, one column per case, then the
// arithmetic in words and what the deck printed.
func (wb *workbook) variant(s *sheet, v raming.Variant) error {
	s.width(1, 1, 36)
	s.width(2, 1+len(v.Cases), 56)
	s.cols, s.printCols = 1+len(v.Cases), 1+len(v.Cases)
	s.freeze(1, 4)
	s.row(wb.text("Variant "+v.ID+": "+v.Name, styleTitle))
	source := "Bron: deck, \"Grove financiële raming van de vijf varianten\"."
	if !inDeck(v) {
		source = "Deze variant staat niet in het deck; de bronnen van elke aanname staan op het blad Aannames."
	}
	s.note("Bedragen in euro, excl. uitvoering. "+source, styleNote)
	s.row()
	header := []any{wb.text("Onderdeel", styleHeader)}
	for _, c := range v.Cases {
		header = append(header, wb.text(c.ID+": "+c.Label, styleHeaderR))
	}
	s.row(header...)
	// The table: one row per figure, one column per case; each cell is
	// registered so the overview and Kasritme can refer to it.
	first := 2
	figure := func(label any, key func(string) string, cell func(c raming.Case, col int) excelize.Cell) int {
		r := s.next()
		cells := []any{label}
		for i, c := range v.Cases {
			cells = append(cells, cell(c, first+i))
			if key != nil {
				wb.refs[key(c.ID)] = s.at(first+i, r)
			}
		}
		return s.row(cells...)
	}
	// caseCell is a figure of case c, or, when the case is small-cell
	// suppressed, a text saying so.
	caseCell := func(c raming.Case, e *raming.Expr, u scenario.Unit, style cellStyle) excelize.Cell {
		if wb.cells.hiddenCase(&c) {
			return wb.hiddenCell(e, style)
		}
		return wb.figureCell(e, u, style)
	}
	figure(wb.text("Populatie", styleBold), refPopulation, func(c raming.Case, _ int) excelize.Cell {
		return caseCell(c, c.Population, scenario.Persons, stylePersons)
	})
	scheme := figure(wb.text("Kosten van regeling", styleBold), refScheme, func(c raming.Case, _ int) excelize.Cell { return caseCell(c, c.Scheme, scenario.EUR, styleEur) })
	cws := figure(wb.text("Kosten van CWS", styleBold), refCWS, func(c raming.Case, _ int) excelize.Cell { return caseCell(c, c.CWS, scenario.EUR, styleEur) })
	total := figure(wb.text("Totale kosten (excl. uitvoering)", styleBold), refTotal, func(c raming.Case, col int) excelize.Cell {
		if wb.cells.hiddenCase(&c) {
			return wb.hiddenCell(c.Total, styleEurBold)
		}
		if wb.hides(c.Total, scenario.EUR) { // a part is the tool's figure: so is the sum
			return wb.toolCell(num(c.Total.Value), styleEurBold)
		}
		return wb.formulaCell(fmt.Sprintf("%s+%s", cellName(col, scheme), cellName(col, cws)), num(c.Total.Value), styleEurBold)
	})
	wb.refs[refTotals(v.ID)] = fmt.Sprintf("%s!%s:%s", s.quoted(), cellName(first, total), cellName(first+len(v.Cases)-1, total))
	figure("Aantal dossiers bij CWS", refCWSFiles, func(c raming.Case, _ int) excelize.Cell {
		return caseCell(c, c.CWSPopulation, scenario.Files, styleCount)
	})
	s.row()
	s.row(wb.text("Berekening", styleHeader))
	for _, line := range []struct {
		label string
		get   func(raming.Case) *raming.Expr
		unit  scenario.Unit
	}{{"Populatie", func(c raming.Case) *raming.Expr { return c.Population }, scenario.Persons},
		{"Kosten van regeling", func(c raming.Case) *raming.Expr { return c.Scheme }, scenario.EUR},
		{"Kosten van CWS", func(c raming.Case) *raming.Expr { return c.CWS }, scenario.EUR}} {
		cells := []any{wb.text(line.label, styleWrap)}
		for _, c := range v.Cases {
			if wb.cells.hiddenCase(&c) {
				cells = append(cells, wb.text(hiddenCaseText(wb.opts.smallCell()), styleWrap))
				continue
			}
			cells = append(cells, wb.line(line.get(c), line.unit).cell(wb.styles[styleWrap]))
		}
		s.row(cells...)
	}
	if inDeck(v) {
		s.row()
		s.row(wb.text("Zoals gedrukt in het deck", styleHeader))
		deckScheme, deckCWS, deckText := []any{"Kosten van regeling (€ mln)"}, []any{"Kosten van CWS (€ mln)"}, []any{wb.text("Berekening in het deck", styleWrap)}
		for _, c := range v.Cases {
			deckScheme = append(deckScheme, deckNumber(wb, c.Deck.Text != "", c.Deck.Scheme))
			deckCWS = append(deckCWS, deckNumber(wb, c.Deck.Text != "", c.Deck.CWS))
			text := c.Deck.Text
			if text == "" {
				text = "n.v.t.: het deck rekent dit geval niet zo"
			}
			deckText = append(deckText, wb.text(text, styleWrap))
		}
		s.row(deckScheme...)
		s.row(deckCWS...)
		s.row(deckText...)
		if v.Deck.Text != "" {
			s.row("Raming in het deck", v.Deck.Text)
		}
	}
	for _, c := range v.Cases {
		if c.PerRecord != nil {
			wb.perRecord(s, c)
		}
	}
	s.row()
	s.note("Aannames en bronnen: blad Aannames; populatie (trechter) en tussenresultaten: blad Populatie.", styleNote)
	return nil
}

// perRecord writes the options and the statistics of a case computed per record.
func (wb *workbook) perRecord(s *sheet, c raming.Case) {
	b := c.PerRecord
	s.row()
	s.row(wb.text("Per record berekend (extract), opties van het scenario", styleHeader))
	for _, op := range scenario.Options {
		s.row(wb.text(op.Label, styleWrap), wb.text(op.LabelOf(&b.Options), styleWrap))
	}
	small, hidden := wb.opts.smallCell(), wb.cells.hiddenCase(&c)
	count := func(x float64) any {
		if hidden || wb.cells.nearCount(x) {
			return wb.text(wb.cells.countText(decimal.NewFromFloat(x), complementNL), styleNoteR)
		}
		if x > 0 && x < float64(small) {
			return wb.text(suppressCount(x, small), styleNoteR)
		}
		return wb.toolCell(x, stylePersons)
	}
	s.row("Met toegang (verwacht)", count(b.Access))
	s.row("Onder laag bedrag (verwacht)", count(b.BelowLowAmount))
	if c.Execution != nil {
		s.row("Uitvoeringskosten (niet in totaal)", wb.live(c.Execution, styleEur))
	}
	if b.Access >= float64(small) && !hidden {
		for _, kv := range []struct {
			label string
			v     float64
		}{{"Gemiddeld bedrag", b.MeanAmount}, {"Mediaan bedrag", b.MedianAmount}, {"P10 bedrag", b.P10Amount}, {"P90 bedrag", b.P90Amount}} {
			s.row(kv.label, wb.toolCell(kv.v, styleEur))
		}
	}
	s.note("Grijs: door de tool berekend voor de aannames van de run (een wijziging op het blad Aannames volgen ze niet). "+
		"Elk bedrag per ex-partner met reden: raming run --records BESTAND.csv. Regels: docs/methodology.md, 'Variant B per record'.", styleNote)
}

// figureCell is a figure of a variant sheet: a live formula, or its value
// when the formula would show counts of the extract (hidesData).
func (wb *workbook) figureCell(e *raming.Expr, u scenario.Unit, style cellStyle) excelize.Cell {
	if wb.hides(e, u) {
		return wb.toolCell(num(e.Value), style)
	}
	return wb.live(e, style)
}

// hides is hidesData for this workbook's run, or true when e rests on a
// sum or count of fewer records than the small-cell limit (small): the
// figure is then a value, not a formula that shows or refers to it.
func (wb *workbook) hides(e *raming.Expr, u scenario.Unit) bool {
	return hidesData(wb.res.Population, e, u, wb.opts.smallCell()) || wb.restsOnSmall(e) || wb.cells.hidesSplit(e)
}

// small reports whether a quantity is a sum or count over records of the
// extract that rests on fewer records than the small-cell limit: it is
// not shown, and no formula refers to it.
func (wb *workbook) small(q *raming.Quantity) bool {
	return wb.cells.small(q.Records) || wb.cells.hiddenQuantity(q) || wb.cells.hiddenGroup(q)
}

// hiddenCell stands for a figure of a small-cell suppressed case: "<N"
// for a count below the limit, else "niet getoond".
func (wb *workbook) hiddenCell(e *raming.Expr, style cellStyle) excelize.Cell {
	shown := complementNL
	if style == stylePersons || style == styleCount {
		shown = wb.cells.countText(e.Value, complementNL)
	}
	return wb.text(shown, styleNoteR)
}

// hiddenCaseText says why a case's figures are not shown.
func hiddenCaseText(limit int) string {
	return fmt.Sprintf("niet getoond: dit geval rust op minder dan %d personen van het extract", limit)
}

// restsOnSmall reports whether e refers, directly or through other
// quantities, to a small quantity.
func (wb *workbook) restsOnSmall(e *raming.Expr) bool {
	if e.Op == raming.OpRef {
		q := wb.qs[e.Name]
		return q != nil && (wb.small(q) || wb.restsOnSmall(q.Exact))
	}
	for _, a := range e.Args {
		if wb.restsOnSmall(a) {
			return true
		}
	}
	return false
}

// line writes "arithmetic = result" for a figure, as a text formula that
// follows the assumption cells. A figure that is a named quantity shows how
// the quantity is computed, and the deck's rounding. Arithmetic that would
// show counts of the extract (hidesData) is said in words, with the result
// as it was computed.
func (wb *workbook) line(e *raming.Expr, u scenario.Unit) *liveText {
	t := &liveText{}
	if e.IsConstant() {
		return t.lit("niet van toepassing")
	}
	label, exact := "", e
	if e.Op == raming.OpRef {
		q := wb.qs[e.Name]
		label, exact = q.Label+": ", q.Exact
	}
	if wb.hides(exact, u) {
		t.lit(label + hiddenText(u, wb.opts.smallCell()) + " = " + valueText(exact.Value, u))
	} else {
		t.lit(label).expr(exact, wb.units, wb.names).lit(" = ").value(formula(exact, wb.names), exact.Value, u)
	}
	if e.Op == raming.OpRef {
		if q := wb.qs[e.Name]; q.Rounded != nil {
			t.lit("; het deck rekent met " + q.Rounded.DeckText + " = " + valueText(q.Rounded.Value, u))
		}
	}
	return t
}

// funnel writes the funnel and the other derived quantities: how each is
// computed, the exact figure, the deck's rounding if any, and the figure used.
func (wb *workbook) funnel(s *sheet) error {
	s.width(1, 1, 22)
	s.width(2, 2, 33)
	s.width(3, 3, 42)
	s.width(4, 6, 11)
	s.width(7, 8, 12)
	s.cols, s.printCols = 8, 8
	s.freeze(0, 4)
	s.titleRows = [2]int{4, 4}
	extract := wb.res.Population.Extract
	s.row(wb.text("Populatie: trechter en tussenresultaten", styleTitle))
	s.note("Populatie: "+populationText(wb.res)+". Kolom F is wat de raming gebruikt: de afronding van het deck als het scenario die geeft en de aannames die van het deck zijn, anders de exacte waarde.", styleNote)
	s.row()
	s.row(wb.text("Grootheid", styleHeader), wb.text("Omschrijving", styleHeader), wb.text("Berekening", styleHeader), wb.text("Exact", styleHeaderR),
		wb.text("Afronding deck", styleHeaderR), wb.text("Gebruikt", styleHeaderR), wb.text("Rijen bekend", styleHeaderR), wb.text("Rijen aangenomen", styleHeaderR))
	steps := map[string]raming.FunnelStep{}
	for _, st := range wb.res.Population.Funnel {
		steps[st.ID] = st
	}
	limit, hiddenAny := wb.opts.smallCell(), false
	for _, q := range wb.res.Quantities {
		if wb.small(q) {
			// A sum or count of fewer records than the limit: not shown,
			// and no formula refers to it (hides).
			hiddenAny = true
			shown := fmt.Sprintf("<%d rijen", limit)
			switch {
			case q.Records == 0: // a count of the funnel, or built from one
				shown = wb.cells.countText(q.Exact.Value, complementNL)
			case q.Records >= int64(limit): // hidden beside a small group
				shown = complementNL
			}
			r := []any{q.ID, wb.text(q.Label, styleWrap), wb.text(hiddenText(q.Unit, limit), styleWrap), wb.text(shown, styleNoteR), nil,
				wb.text(complementNL, styleNoteR)}
			if st, ok := steps[q.ID]; ok && extract {
				known, assumed := funnelCounts(st, wb.res.Population.RowsUsed, limit, true, complementNL)
				r = append(r, countText(wb, known), countText(wb, assumed))
			}
			s.row(r...)
			continue
		}
		row := s.next()
		style := wb.unitStyle(q.Unit)
		hidden := wb.hides(q.Exact, q.Unit) || wb.cells.hidesGroupArithmetic(q)
		hiddenAny = hiddenAny || hidden
		exact := excelize.Cell{Value: num(q.Exact.Value), StyleID: style} // a count on the extract
		arithmetic := (&liveText{}).expr(q.Exact, wb.units, wb.names).cell(wb.styles[styleWrap])
		if hidden {
			arithmetic = wb.text(hiddenText(q.Unit, limit), styleWrap)
		} else if !q.Exact.IsConstant() {
			exact.Formula = formula(q.Exact, wb.names)
		}
		var rounded any
		used := excelize.Cell{Formula: cellName(4, row), Value: num(q.Value()), StyleID: style}
		if hidden && !q.Exact.IsConstant() { // the tool's figure: it follows no edit
			exact, used = wb.markTool(exact), wb.markTool(used)
		}
		if q.Rounded != nil {
			// The deck's rounding holds for the deck's own inputs: once an
			// assumption changes the exact figure, the sheet computes exactly.
			rounded = excelize.Cell{Value: num(q.Rounded.Value), StyleID: style}
			used.Formula = fmt.Sprintf("IF(ROUND(%s,6)=%s,%s,%s)", cellName(4, row), q.Exact.Value.Round(6), cellName(5, row), cellName(4, row))
		}
		r := []any{q.ID, wb.text(q.Label, styleWrap), arithmetic, exact, rounded, used}
		if st, ok := steps[q.ID]; ok && extract {
			known, assumed := funnelCounts(st, wb.res.Population.RowsUsed, limit, hidden, complementNL)
			r = append(r, countText(wb, known), countText(wb, assumed))
		}
		s.row(r...)
		if err := wb.define(q.ID, s.abs(6, row)); err != nil {
			return err
		}
	}
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			if b := c.PerRecord; b != nil && b.Pending > 0 {
				s.row()
				s.note(fmt.Sprintf("Variant %s per record: %s rijen zonder eerste betaling aan de aanvrager en zonder melddatum kregen de peildatum voor een nog niet gedane betaling (b.pending_peildatum = %s).",
					v.ID, suppress(b.Pending, limit), wb.res.Scenario.B.Options.PendingPeildatum.Value), styleNote)
			}
		}
	}
	if extract {
		s.row()
		s.note(fmt.Sprintf("Kleine aantallen: minder dan %d rijen staat als <%d; \"%s\" staat waar een getal een kleiner aantal zou verraden.", limit, limit, complementNL), styleNote)
		if hiddenAny {
			s.note(fmt.Sprintf("Waar een berekening aantallen of bedragen van minder dan %d personen uit het extract zou tonen, staat die in woorden en is de uitkomst een waarde, geen formule: die volgt een gewijzigde aanname niet.", limit), styleNote)
		}
	}
	return nil
}

// inDeck reports whether the deck has the variant: it printed a range for
// it or a figure for one of its cases.
func inDeck(v raming.Variant) bool {
	if v.Deck.Text != "" {
		return true
	}
	for _, c := range v.Cases {
		if c.Deck.Text != "" {
			return true
		}
	}
	return false
}

// countText shows a count of rows as the sheet's figures do: a number
// with thousands separators, right-aligned; a suppressed one ("<10",
// "niet getoond") in words, right-aligned too.
func countText(wb *workbook, shown string) excelize.Cell {
	if n, err := strconv.Atoi(shown); err == nil {
		return wb.cell(n, styleCount)
	}
	return wb.text(shown, styleNoteR)
}
