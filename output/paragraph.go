package output

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"raming/internal/words"
	"raming/raming"
	"raming/scenario"
)

const sheetParagraph = "Financiële paragraaf"

// Thresholds of the uncertainty rating: the band's width (P95 − P5)
// relative to the raming, below which the uncertainty is laag, gemiddeld,
// hoog; from the last one up zeer hoog. The tool's own choice, after the
// OBR's rating of a costing's uncertainty (docs/methodology.md, "The
// financial paragraph").
var ratingThresholds = []struct {
	below float64
	label string
}{{0.25, "laag"}, {0.5, "gemiddeld"}, {1, "hoog"}}

// rating is the uncertainty rating of a band's relative width.
func rating(width float64) string {
	for _, r := range ratingThresholds {
		if width < r.below {
			return r.label
		}
	}
	return "zeer hoog"
}

// ratingFormula is rating as an Excel formula of a width expression.
func ratingFormula(width string) string {
	f := `"zeer hoog"`
	for i := len(ratingThresholds) - 1; i >= 0; i-- {
		r := ratingThresholds[i]
		f = fmt.Sprintf(`IF(%s<%v,"%s",%s)`, width, r.below, r.label, f)
	}
	return f
}

// paragraph writes, per budgeted variant, the text of the financial
// paragraph of an explanatory memorandum (Aanwijzing 4.45; docs/
// methodology.md, "The financial paragraph"), in Dutch, to paste: the
// cost per year and in total, the budget and article, the execution costs
// apart, what is left out, the main figures as price × quantity, the band
// in words with an uncertainty rating, the date of each assumption's
// source, and the values changed with --set. The amounts are formulas of
// the budget table and the variant sheets (FIXED: in the reader's
// notation), so the text follows an edited assumption; the band is the
// tool's.
func (wb *workbook) paragraph(s *sheet) error {
	s.width(1, 1, 110)
	s.cols, s.printCols = 1, 1
	s.row(wb.text(fmt.Sprintf("Financiële paragraaf, begroting %d", wb.bud.Year), styleTitle))
	s.note("Per begrote variant de tekst voor de financiële paragraaf van een memorie van toelichting (Aanwijzing 4.45 voor de regelgeving): plak de cellen als tekst (Plakken speciaal: alleen tekst). "+
		"De bedragen zijn formules van de begrotingstabel en de variantbladen en volgen een gewijzigde aanname; de onzekerheid en de bronnen zijn door de tool geschreven voor de aannames van de run.", styleNote)
	for _, v := range wb.res.Variants {
		s.row()
		c := wb.budgetCase(v)
		s.row(wb.text(fmt.Sprintf("Variant %s: %s (%s)", v.ID, v.Name, c.ID), styleSection))
		if wb.tables[v.ID] == nil { // small-cell suppressed: no table to refer to
			s.row(wb.text(hiddenCaseText(wb.opts.smallCell())+".", styleWrap))
			continue
		}
		for _, t := range wb.paragraphTexts(v, c) {
			s.row(t.cell(wb.styles[styleWrap]))
		}
	}
	return nil
}

// paragraphTexts are the paragraphs of one variant's text.
func (wb *workbook) paragraphTexts(v raming.Variant, c raming.Case) []*liveText {
	t := wb.tables[v.ID]
	b := wb.sheetOf(sheetBudget)
	at := func(row, col int) string { return b.at(col, row) }
	cached := func(row, col int) decimal.Decimal { return decimal.NewFromFloat(wb.cachedNum(b, row, col)) }
	mln := func(x *liveText, row, col int) *liveText {
		return x.lit("€ ").fixed(at(row, col)+"/1000000", cached(row, col).Div(decimal.NewFromInt(1_000_000)), 1).lit(" mln")
	}
	cols := wb.bud.Columns()
	year := fmt.Sprint(wb.bud.Year)
	var out []*liveText

	// What it costs, per year and in total.
	p := (&liveText{}).lit(fmt.Sprintf("Kosten. Variant %s (%s) kost naar verwachting in totaal ", v.ID, words.LowerFirst(v.Name)))
	mln(p, t.cash, t.total)
	p.lit(fmt.Sprintf(" aan uitgaven (kas, prijspeil %s, exclusief uitvoeringskosten). Per jaar, in € mln: ", year))
	for i, col := range cols {
		if i > 0 {
			p.lit("; ")
		}
		label := colLabel(col)
		if span := wb.spanText(c, col); span != "" {
			label += " (" + span + ")"
		}
		p.lit(label+" ").fixed(at(t.cash, 2+i)+"/1000000", cached(t.cash, 2+i).Div(decimal.NewFromInt(1_000_000)), 1)
	}
	p.lit(". De verplichtingen bedragen in totaal ")
	mln(p, t.commit, t.total)
	p.lit(". De regeling is eenmalig: structureel 0.")
	out = append(out, p)

	// Where, and whether it is in the budget already.
	p = (&liveText{}).lit("Dekking. De uitgaven komen ten laste van begroting IX (Financiën), artikel 13 Toeslagen, instrument (Schade)vergoeding, regeling voor ex-partners. ")
	if st, ok := wb.stand(c); ok {
		from := "de vorige raming (" + st.From + ")"
		if st.Published {
			from = "de gepubliceerde stand (" + st.From + ")"
		}
		p.lit("Ten opzichte van " + from + " staan de mutaties per jaar in de suppletoire tabel op het blad Budgettaire gevolgen, met de jaren waarvoor de staffel een toelichting vraagt.")
	} else {
		p.lit("Of deze middelen al in de begroting en de meerjarenraming zijn opgenomen, volgt niet uit de raming: vul dit aan (met --baseline zet de tool de mutatie ten opzichte van de vorige raming in een suppletoire tabel).")
	}
	out = append(out, p)

	// Execution costs apart, and what is left out.
	p = (&liveText{}).lit("Uitvoering. ")
	if t.exec != 0 {
		p.lit("De uitvoeringskosten (apparaat Belastingdienst/Toeslagen, eveneens op artikel 13) staan los van de uitgaven: ")
		mln(p, t.exec, t.total)
		p.lit(fmt.Sprintf(" in totaal, prijspeil %s%s. ", year, wb.lineTag(raming.LineExecution)))
	} else {
		p.lit("De uitvoeringskosten van deze variant zijn niet geraamd. ")
	}
	p.lit("Niet in de bedragen: de schuldenaanpak (kwijtschelding van publieke schulden en overname van private schulden) en de brede ondersteuning door gemeenten; die zijn niet geraamd.")
	out = append(out, p)

	// Price × quantity.
	p = (&liveText{}).lit(fmt.Sprintf("Prijs × hoeveelheid (bedragen van het scenario, prijspeil %d). ", wb.bud.Price.From))
	pop, scheme, cws, files := wb.ref(refPopulation(c.ID)), wb.ref(refScheme(c.ID)), wb.ref(refCWS(c.ID)), wb.ref(refCWSFiles(c.ID))
	if !c.Scheme.Value.IsZero() && !c.Population.Value.IsZero() {
		p.lit("Tegemoetkoming: ").fixed(pop, c.Population.Value, 0).lit(" ex-partners met toegang × gemiddeld € ").
			fixed(scheme+"/"+pop, c.Scheme.Value.DivRound(c.Population.Value, 4), 0).lit(" = ")
		p.lit("€ ").fixed(scheme+"/1000000", c.Scheme.Value.Div(decimal.NewFromInt(1_000_000)), 1).lit(" mln. ")
	} else {
		p.lit("Geen tegemoetkoming in deze variant. ")
	}
	if !c.CWS.Value.IsZero() && !c.CWSPopulation.Value.IsZero() {
		p.lit("Aanvullende schade (CWS): ").fixed(files, c.CWSPopulation.Value, 0).lit(" dossiers × gemiddeld € ").
			fixed(cws+"/"+files, c.CWS.Value.DivRound(c.CWSPopulation.Value, 4), 0).lit(" = ")
		p.lit("€ ").fixed(cws+"/1000000", c.CWS.Value.Div(decimal.NewFromInt(1_000_000)), 1).lit(" mln.")
	} else {
		p.lit("Geen aanvullende schade via de CWS in deze variant.")
	}
	out = append(out, p)

	// The band in words, with the rating.
	p = (&liveText{}).lit("Onzekerheid. ")
	if sim := wb.res.MonteCarlo; sim != nil && t.p5 != 0 {
		p5, p95, raming := at(t.p5, t.total), at(t.p95, t.total), at(t.cash, t.total)
		w5, w95, wr := cached(t.p5, t.total), cached(t.p95, t.total), cached(t.cash, t.total)
		width := fmt.Sprintf("(%s-%s)/%s", p95, p5, raming)
		var wv decimal.Decimal
		if !wr.IsZero() {
			wv = w95.Sub(w5).Div(wr)
		}
		p.lit("De onzekerheid is ")
		p.formula = append(p.formula, ratingFormula(width))
		p.text.WriteString(rating(wv.InexactFloat64()))
		p.lit(": de uitgaven liggen tussen ")
		mln(p, t.p5, t.total)
		p.lit(" en ")
		mln(p, t.p95, t.total)
		p.lit(fmt.Sprintf(" (P5-P95, Monte Carlo, n = %s; de bandbreedte (P95 − P5) is ", nl(decimal.NewFromInt(int64(sim.Iterations)), 0)))
		p.fixed(width+"*100", wv.Mul(hundredD), 0)
		p.lit("% van de raming). Beoordeling naar die bandbreedte: laag onder 25%, gemiddeld 25-50%, hoog 50-100%, zeer hoog vanaf 100%.")
	} else {
		p.lit("De onzekerheid is in deze raming niet berekend (--iterations 0).")
	}
	out = append(out, p)

	// The assumptions, with the date of their source; the overrides.
	// By the dating of their sources, in the order the scenario has them.
	p = (&liveText{}).lit("Aannames en de datum van hun bron. ")
	var datings []string
	byDating := map[string][]scenario.Entry{}
	for _, e := range wb.caseAssumptions(c) {
		d := sourceDating(e.Source)
		if _, ok := byDating[d]; !ok {
			datings = append(datings, d)
		}
		byDating[d] = append(byDating[d], e)
	}
	for _, d := range datings {
		p.lit(words.UpperFirst(d) + ": ")
		for i, e := range byDating[d] {
			if i > 0 {
				p.lit("; ")
			}
			p.lit(words.LowerFirst(e.Label)+" ").value(wb.names[e.ID], e.Value, e.Unit)
		}
		p.lit(". ")
	}
	out = append(out, p)
	p = (&liveText{})
	if set := wb.res.Scenario.Settings; len(set) > 0 {
		p.lit("Handmatig gewijzigd voor deze raming (--set, afwijkend van scenario " + wb.res.Scenario.Name + "): " + strings.Join(set, ", ") +
			". De reden van elke wijziging staat niet in de raming: vul die aan.")
	} else {
		p.lit("Geen aanname is voor deze raming handmatig gewijzigd (geen --set): alle waarden zijn die van scenario " + wb.res.Scenario.Name + ".")
	}
	out = append(out, p)
	return out
}

// spanText says which years an outer column of the budget table holds for
// a case ("2022-2024"), "" for a year's column or an empty one.
func (wb *workbook) spanText(c raming.Case, col raming.Span) string {
	if !col.Earlier() && !col.Later() {
		return ""
	}
	first, last := 0, 0
	for _, y := range c.Profile.Years {
		if col.Contains(y.Year) && (!y.Cash.Total.IsZero() || !y.Commitments.Total.IsZero()) {
			if first == 0 {
				first = y.Year
			}
			last = y.Year
		}
	}
	switch {
	case first == 0:
		return ""
	case first == last:
		return fmt.Sprint(first)
	}
	return fmt.Sprintf("%d-%d", first, last)
}

// caseAssumptions are the assumptions a case's figures rest on, in the
// order of the scenario.
func (wb *workbook) caseAssumptions(c raming.Case) []scenario.Entry {
	used := map[string]bool{}
	seen := map[string]bool{}
	var walk func(e *raming.Expr)
	walk = func(e *raming.Expr) {
		if e == nil {
			return
		}
		switch e.Op {
		case raming.OpValue:
			if e.Name != "" {
				used[e.Name] = true
			}
		case raming.OpRef:
			if q := wb.qs[e.Name]; q != nil && !seen[e.Name] {
				seen[e.Name] = true
				walk(q.Exact)
			}
		}
		for _, a := range e.Args {
			walk(a)
		}
	}
	for _, e := range []*raming.Expr{c.Population, c.Scheme, c.CWS, c.Execution} {
		walk(e)
	}
	var out []scenario.Entry
	for _, e := range wb.res.Scenario.Entries() {
		if used[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

var (
	dateDMY = regexp.MustCompile(`\b(\d{1,2})-(\d{1,2})-(\d{4})\b`)
	dateISO = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
)

// sourceDating says how old an assumption's source is, from its source
// text: the tool's own assumption (no outside source); a date the source
// names (28-04-2023); the deck, which is undated and speaks of 1 January
// 2022 as future; or that the source gives no date.
func sourceDating(src string) string {
	switch {
	case strings.Contains(src, "aanname van de tool") || strings.HasPrefix(src, "Geen bron in het deck"):
		return "aanname van de tool (geen externe bron)"
	case dateDMY.MatchString(src):
		m := dateDMY.FindStringSubmatch(src)
		return fmt.Sprintf("bron van %s-%s-%s", m[1], m[2], m[3])
	case dateISO.MatchString(src):
		m := dateISO.FindStringSubmatch(src)
		return fmt.Sprintf("bron van %s-%s-%s", m[3], m[2], m[1])
	case isDeckSource(src):
		return "deck (ongedateerd, van vóór 1 januari 2022)"
	}
	return "bron zonder datum"
}

// deckSlides are the titles the deck's sources begin with.
var deckSlides = []string{"Deck", "Grove financiële raming", "Varianten", "3 Toegangsdrempel", "Wat betekent dit", "Samenvatting uitwerking", "Verhaallijn", "Mitigerende", "Berekening proportioneel", "Integrale beoordeling", "Opties verrekening"}

func isDeckSource(src string) bool {
	for _, p := range deckSlides {
		if strings.HasPrefix(src, p) {
			return true
		}
	}
	return false
}

// sheetOf returns the workbook's sheet of that name (a programming error
// when there is none).
func (wb *workbook) sheetOf(name string) *sheet {
	for _, s := range wb.sheets {
		if s.name == name {
			return s
		}
	}
	panic("output: no sheet " + name)
}
