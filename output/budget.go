package output

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

const sheetBudget = "Budgettaire gevolgen"

// Number formats of the budget tables: euros shown in millions with one
// decimal ("bedragen x € 1 mln"), and in whole thousands (RBV model 1.33d,
// "bedragen x € 1.000").
const (
	fmtMln1      = `#,##0.0,,;-#,##0.0,,;0.0`
	fmtThousands = `#,##0,;-#,##0,;0`
)

// Keys of the budget sheet's cells that other sheets use.
const refPriceIndex = "budget:price-index"

// budgetCase returns the case of a variant whose budget table is shown:
// the one Options.BudgetCases names, else the variant's central case.
func (wb *workbook) budgetCase(v raming.Variant) raming.Case {
	for _, id := range BudgetedCases(wb.res, wb.opts) {
		if c := wb.res.Case(id); c != nil && wb.res.VariantOf(id).ID == v.ID {
			return *c
		}
	}
	panic("output: no budgeted case of variant " + v.ID)
}

// budgetTable records where a variant's budget table stands on the budget
// sheet, for the sheets that refer to it (the mutation form, the
// financial paragraph).
type budgetTable struct {
	caseID string
	lines  raming.BudgetLines
	// rows of the table in millions: commitments, cash, its two parts,
	// execution (0 when not estimated); the Monte Carlo rows (0 without).
	commit, cash, scheme, cws, exec int
	p5, p50, p95                    int
	// columns: the first of the window's columns, Struc. and Totaal.
	first, struc, total int
}

// colLabel is the heading of a budget table's column: the year, or
// "eerdere jaren" / "latere jaren" for the years before and after the window.
func colLabel(s raming.Span) string {
	switch {
	case s.Earlier():
		return "eerdere jaren"
	case s.Later():
		return "latere jaren"
	}
	return fmt.Sprint(s.From)
}

// windowNote says which years the outer columns hold for the cases shown.
func (wb *workbook) windowNote(cases []raming.Case) string {
	cols := wb.bud.Columns()
	first, last := 0, 0
	for _, c := range cases {
		ys := c.Profile.Years
		if first == 0 || ys[0].Year < first {
			first = ys[0].Year
		}
		last = max(last, caseLastYear(wb.res, c))
	}
	before, after := cols[0].To, cols[len(cols)-1].From
	parts := []string{fmt.Sprintf("Begroting %d: kolommen %d tot en met %d (t−2 tot en met t+5)", wb.bud.Year, before+1, after-1)}
	switch {
	case first <= before && first == before:
		parts = append(parts, fmt.Sprintf("eerdere jaren: %d", first))
	case first <= before:
		parts = append(parts, fmt.Sprintf("eerdere jaren: %d-%d", first, before))
	default:
		parts = append(parts, "eerdere jaren: geen")
	}
	switch {
	case last >= after && last == after:
		parts = append(parts, fmt.Sprintf("latere jaren: %d", last))
	case last >= after:
		parts = append(parts, fmt.Sprintf("latere jaren: %d-%d", after, last))
	default:
		parts = append(parts, "latere jaren: geen")
	}
	return strings.Join(parts, "; ") + ". Totaal is de som van alle jaren."
}

// priceNote says which lines are at prijspeil T and which nominal.
func (wb *workbook) priceNote() string {
	p := wb.bud.Price
	var indexed, nominal []string
	for l, name := range lineNames {
		if p.Indexing[l] == scenario.Indexed {
			indexed = append(indexed, name)
		} else {
			nominal = append(nominal, name)
		}
	}
	note := fmt.Sprintf("Prijspeil %d.", p.Year)
	if len(nominal) > 0 {
		note += " Nominaal (vastgelegd bedrag, niet geïndexeerd): " + strings.Join(nominal, ", ") + "."
	}
	if len(indexed) > 0 {
		note += fmt.Sprintf(" Geïndexeerd (volgt de prijzen): %s, van prijspeil %d naar %d met %s per jaar (phasing.indexation_rate): prijsindex %s%% van prijspeil %d.",
			strings.Join(indexed, ", "), p.From, p.Year, valueText(p.Rate, scenario.Share), nl(p.Index().Mul(hundredD), 1), p.From)
	}
	if wb.res.Scenario.Budget == nil || wb.res.Scenario.Budget.PriceLevel == nil {
		note += " Het scenario zegt niet welke regels de prijzen volgen ([budget.price_level]): alle regels nominaal."
	}
	return note
}

// lineNames are the cost lines in Dutch, in raming.Line order.
var lineNames = [raming.NumLines]string{"tegemoetkoming", "aanvullende schade (CWS)", "uitvoeringskosten"}

// lineTag says after a line's label how it is priced.
func (wb *workbook) lineTag(l raming.Line) string {
	if wb.bud.Price.Indexing[l] == scenario.Indexed {
		return " (geïndexeerd)"
	}
	return " (nominaal)"
}

// budget writes, for each variant's chosen case, the table a budget officer
// pastes into an inbegroting (docs/methodology.md, "The budget table"):
// the columns of begroting T (eerdere jaren, T−2 ... T+5, latere jaren),
// Struc. and Totaal; Verplichtingen, Uitgaven with its "w.v." lines,
// Uitvoeringskosten apart, Ontvangsten; in millions with one decimal at
// prijspeil T, then the same figures in whole thousands in the form of RBV
// model 1.33d, and under them, kept apart, the Monte Carlo band per year
// and the indication of a risk reservation. Every amount is a formula:
// the case's figure on its variant sheet times the column's share (and
// the price index for a line that follows prices), so the table follows
// the assumptions; totals are sums of the columns.
func (wb *workbook) budget(s *sheet) error {
	var cases []raming.Case
	for _, v := range wb.res.Variants {
		cases = append(cases, wb.budgetCase(v))
	}
	n := len(wb.bud.Columns())
	s.width(1, 1, 43)
	s.width(2, 3+n, 8.9)
	s.cols, s.printCols = 3+n, 3+n
	s.freeze(1, 0)
	sc := wb.res.Scenario
	s.row(wb.text(fmt.Sprintf("Budgettaire gevolgen per variant, begroting %d", wb.bud.Year), styleTitle))
	uncertainty := "De onzekerheid staat apart onder elke tabel; zij is door de tool berekend en volgt een wijziging van de aannames niet."
	if wb.res.MonteCarlo == nil {
		uncertainty = "De onzekerheid is in deze run niet berekend (--iterations 0): de tabellen geven alleen de puntraming."
	}
	s.note(fmt.Sprintf("Per variant het gekozen geval (het centrale geval van het scenario, of --budget-case). Scenario %q. "+
		"De bedragen zijn formules: het bedrag op het variantblad maal het aandeel van de kolom (en de prijsindex), zodat de tabel de aannames volgt; "+
		"de verdeling over de jaren zelf is die van de berekening. %s %s",
		sc.Name, wb.windowNote(cases), uncertainty), styleNote)
	s.note(wb.priceNote(), styleNote)
	if wb.res.MonteCarlo != nil {
		s.note(wb.bandNotes(), styleNote)
	}
	if wb.res.Baseline != nil || wb.res.Published != nil {
		if n := wb.formNote(); n != "" {
			s.note(n, styleNote)
		}
	}
	if w := wb.openingWarning(); w != "" {
		s.note(w, styleWarn)
	}
	p := wb.bud.Price
	index := fmt.Sprintf("(1+%s)^(%d-%s)", wb.names["phasing.indexation_rate"], p.Year, wb.names["phasing.price_level_year"])
	row := s.row(wb.text(fmt.Sprintf("Prijsindex prijspeil %d → %d", p.From, p.Year), styleBold), wb.formulaCell(index, num(p.Index()), styleIndex))
	wb.refs[refPriceIndex] = s.abs(2, row)
	s.row()
	// A summary of the variants' cash, filled in once their tables stand.
	cols := wb.bud.Columns()
	s.row(wb.text(fmt.Sprintf("Samenvatting: uitgaven per variant (gekozen geval), bedragen x € 1 mln, prijspeil %d", wb.bud.Year), styleBold))
	head := []any{wb.text("Variant (geval)", styleHeader)}
	for _, col := range cols {
		head = append(head, wb.text(colLabel(col), styleHeaderR))
	}
	s.tall(2, append(head, wb.text("Struc.", styleHeaderR), wb.text("Totaal", styleHeaderR))...)
	summary := s.next()
	for range wb.res.Variants {
		s.row()
	}
	s.note("Elk bedrag is de regel Uitgaven van de tabel van de variant hieronder (elk op een eigen bladzijde).", styleNote)
	wb.tables = map[string]*budgetTable{}
	for i, v := range wb.res.Variants {
		s.pageBreak() // a variant's tables on a page of their own
		c := wb.budgetCase(v)
		if wb.cells.hiddenCase(&c) {
			s.row(wb.text(fmt.Sprintf("%s %s (%s)", v.ID, v.Name, c.ID), styleSection))
			s.note(hiddenCaseText(wb.opts.smallCell())+".", styleNote)
			s.rows[summary+i-1] = []any{fmt.Sprintf("%s %s (%s)", v.ID, v.Name, c.ID), wb.text(complementNL, styleNoteR)}
			continue
		}
		t, err := wb.budgetTable(s, v, c)
		if err != nil {
			return err
		}
		wb.tables[v.ID] = t
		r := []any{fmt.Sprintf("%s %s (%s)", v.ID, v.Name, c.ID)}
		for col := 2; col <= t.total; col++ {
			r = append(r, wb.formulaCell(cellName(col, t.cash), wb.cachedOf(s, t.cash, col), styleMln1))
		}
		s.rows[summary+i-1] = r
	}
	return nil
}

// openingWarning says when the scheme's opening year lies before the run's
// year (in the Netherlands): the years before it are past, not realised
// figures.
func (wb *workbook) openingWarning() string {
	opening := int(wb.res.Scenario.Phasing.OpeningYear.Value.IntPart())
	run := wb.runDate().Year()
	if wb.prov.RunTime.IsZero() || opening >= run {
		return ""
	}
	return fmt.Sprintf("Let op: de openstelling (%d) ligt vóór het jaar van deze berekening (%d). De bedragen in de jaren vóór %d zijn wat het scenario aanneemt, geen realisatie.",
		opening, run, run)
}

// executionRef is a case's execution costs as a formula that follows the
// assumptions ("" when they are not estimated or follow none).
func (wb *workbook) executionRef(c raming.Case) string {
	if c.Execution == nil || c.Execution.IsConstant() {
		return ""
	}
	return "(" + formula(c.Execution, wb.names) + ")"
}

// spread is a line of a table: per column an amount, and how it follows
// the case's figure on the variant sheet.
type spread struct {
	ref     string            // the figure's cell (or formula); "" for amounts that follow nothing
	shares  []decimal.Decimal // each column's share of the figure
	amounts []decimal.Decimal // the engine's amounts (cached values)
	index   bool              // times the price index (a line that follows prices)
	// tool marks the cells as the tool's figures: the line's figure is a
	// value on the variant sheet (it rests on a small cell of the extract).
	tool bool
}

// cells returns the line's cells: the figure's cell times the column's
// share (times the price index), cached: the engine's amount; an amount
// that follows nothing, or a column without a share, as a value.
func (l spread) cells(wb *workbook, style cellStyle) []any {
	var out []any
	for i, a := range l.amounts {
		var c excelize.Cell
		if l.ref == "" || l.shares[i].IsZero() {
			c = wb.cell(num(a), style)
		} else {
			f := fmt.Sprintf("%s*%s", l.ref, l.shares[i])
			if l.index {
				f += "*" + wb.ref(refPriceIndex)
			}
			c = wb.formulaCell(f, num(a), style)
		}
		if l.tool {
			c = wb.markTool(c)
		}
		out = append(out, c)
	}
	return out
}

// lineSpread is a line of the case's budget lines, cash or commitments.
func (wb *workbook) lineSpread(c raming.Case, bl raming.BudgetLines, l raming.Line, cash bool) spread {
	refs := [raming.NumLines]string{wb.ref(refScheme(c.ID)), wb.ref(refCWS(c.ID)), wb.executionRef(c)}
	figures := [raming.NumLines]*raming.Expr{c.Scheme, c.CWS, c.Execution}
	sp := spread{ref: refs[l], index: wb.bud.Price.Indexing[l] == scenario.Indexed, tool: figures[l] != nil && wb.hides(figures[l], scenario.EUR)}
	if cash {
		sp.shares, sp.amounts = bl.CashShares[l], bl.Cash[l]
	} else {
		sp.shares, sp.amounts = bl.CommitmentShares[l], bl.Commitments[l]
	}
	return sp
}

// budgetTable writes one variant's tables.
func (wb *workbook) budgetTable(s *sheet, v raming.Variant, c raming.Case) (*budgetTable, error) {
	cols := wb.bud.Columns()
	n := len(cols)
	bl := wb.bud.Lines(&c)
	t := &budgetTable{caseID: c.ID, lines: bl, first: 2, struc: 2 + n, total: 3 + n}
	header := func(title string) int {
		r := []any{wb.text(title, styleHeader)}
		for _, col := range cols {
			r = append(r, wb.text(colLabel(col), styleHeaderR))
		}
		return s.tall(2, append(r, wb.text("Struc.", styleHeaderR), wb.text("Totaal", styleHeaderR))...)
	}
	sumCell := func(row int, style cellStyle, cached decimal.Decimal) excelize.Cell {
		return wb.formulaCell(fmt.Sprintf("SUM(%s:%s)", cellName(2, row), cellName(1+n, row)), num(cached), style)
	}
	sumOf := func(xs []decimal.Decimal) decimal.Decimal { return decimal.Sum(decimal.Zero, xs...) }
	// line writes a row of amounts with Struc. 0 and the total.
	line := func(label any, cells []any, style cellStyle, cached decimal.Decimal) int {
		row := s.next()
		r := append([]any{label}, cells...)
		return s.row(append(r, wb.cell(0.0, style), sumCell(row, style, cached))...)
	}
	// add is a row that adds two rows, column by column.
	add := func(label any, a, b int, style cellStyle, cached []decimal.Decimal) int {
		var cells []any
		for i := 0; i < n; i++ {
			col := 2 + i
			cells = append(cells, wb.formulaCell(fmt.Sprintf("%s+%s", cellName(col, a), cellName(col, b)), num(cached[i]), style))
		}
		return line(label, cells, style, sumOf(cached))
	}

	s.row(wb.text(fmt.Sprintf("Tabel: Budgettaire gevolgen ex-partnerregeling, variant %s %s (%s)", v.ID, v.Name, c.ID), styleSection))
	s.note(fmt.Sprintf("(bedragen x € 1 mln, prijspeil %d)", wb.bud.Year), styleNote)
	header("")
	// Commitments: scheme and CWS in one row, each following its figure.
	var commit []any
	commitScheme := wb.lineSpread(c, bl, raming.LineScheme, false).cells(wb, styleMln1)
	commitCWS := wb.lineSpread(c, bl, raming.LineCWS, false).cells(wb, styleMln1)
	commitTotal := bl.CommitmentTotal()
	for i := 0; i < n; i++ {
		f := joinFormulas(commitScheme[i].(excelize.Cell), commitCWS[i].(excelize.Cell))
		commit = append(commit, wb.formulaCell(f, num(commitTotal[i]), styleMln1))
	}
	t.commit = line(wb.text("Verplichtingen", styleBold), commit, styleMln1, sumOf(commitTotal))
	cashAt := s.next()
	t.scheme, t.cws = cashAt+1, cashAt+2
	t.cash = add(wb.text("Uitgaven", styleBold), t.scheme, t.cws, styleMln1, bl.CashTotal())
	line("   w.v. tegemoetkoming"+wb.lineTag(raming.LineScheme), wb.lineSpread(c, bl, raming.LineScheme, true).cells(wb, styleMln1), styleMln1, sumOf(bl.Cash[raming.LineScheme]))
	line("   w.v. aanvullende schade CWS"+wb.lineTag(raming.LineCWS), wb.lineSpread(c, bl, raming.LineCWS, true).cells(wb, styleMln1), styleMln1, sumOf(bl.Cash[raming.LineCWS]))
	execLabel := "Uitvoeringskosten (apart)" + wb.lineTag(raming.LineExecution)
	if c.Profile.ExecutionKnown {
		t.exec = line(execLabel, wb.lineSpread(c, bl, raming.LineExecution, true).cells(wb, styleMln1), styleMln1, sumOf(bl.Cash[raming.LineExecution]))
	} else {
		s.row(append(append([]any{"Uitvoeringskosten (apart)"}, make([]any, n+1)...), wb.text("niet geraamd", styleNoteR))...)
	}
	zero := make([]any, n)
	for i := range zero {
		zero[i] = wb.cell(0.0, styleMln1)
	}
	receiptsRow := line("Ontvangsten", zero, styleMln1, decimal.Zero)
	s.note(fmt.Sprintf("Ten laste van begroting IX (Financiën), artikel 13 Toeslagen, regeling ex-partners. Stand: %s. Door afronding kunnen totalen afwijken. Struc.: structureel; de regeling is eenmalig. "+
		"Uitgaven excl. uitvoeringskosten; schuldenaanpak en brede ondersteuning door gemeenten zijn niet geraamd.",
		dutchDate(wb.runDate())), styleNote)
	s.row()

	// The same figures in whole thousands, as RBV model 1.33d.
	s.row(wb.text(fmt.Sprintf("Budgettaire gevolgen van beleid art. 13 Toeslagen, ex-partnerregeling variant %s (%s) (bedragen x € 1.000, prijspeil %d)", v.ID, c.ID, wb.bud.Year), styleBold))
	r := []any{wb.text("", styleHeader)}
	for _, col := range cols {
		r = append(r, wb.text(colLabel(col), styleHeaderR))
	}
	s.tall(2, append(r, wb.text("Struc.", styleHeaderR), wb.text("Totaal", styleHeaderR))...)
	for _, src := range []struct {
		label string
		row   int
	}{{"Verplichtingen", t.commit}, {"Uitgaven", t.cash}, {"   waarvan tegemoetkoming", t.scheme}, {"   waarvan aanvullende schade (CWS)", t.cws},
		{"Uitvoeringskosten (apparaat)", t.exec}, {"Ontvangsten", receiptsRow}} {
		if src.row == 0 {
			s.row(append(append([]any{src.label}, make([]any, n+1)...), wb.text("niet geraamd", styleNoteR))...)
			continue
		}
		cells := []any{src.label}
		for i := 0; i < n; i++ {
			cells = append(cells, wb.formulaCell(cellName(2+i, src.row), wb.cachedOf(s, src.row, 2+i), styleThousands))
		}
		cells = append(cells, wb.formulaCell(cellName(t.struc, src.row), 0.0, styleThousands), wb.formulaCell(cellName(t.total, src.row), wb.cachedOf(s, src.row, t.total), styleThousands))
		s.row(cells...)
	}
	s.row()

	if st, ok := wb.stand(c); ok {
		wb.mutationForm(s, t, st)
	}

	// The uncertainty, apart.
	if sim := wb.res.MonteCarlo; sim != nil {
		wb.budgetBand(s, t, sim.Case(c.ID), &c, header)
	}
	s.row()
	return t, nil
}

// stand is the stand vorige raming of a budgeted case: the earlier run's
// (--baseline), else the published stand of the case the published figures
// are set beside (--published), else none.
func (wb *workbook) stand(c raming.Case) (raming.Stand, bool) {
	if b := wb.res.Baseline; b != nil {
		for _, ch := range b.Cases {
			if ch.ID == c.ID && ch.Had {
				return wb.bud.StandOf(ch.YearsBefore, b.File), true
			}
		}
	}
	if p := wb.res.Published; p != nil && p.CaseID == c.ID {
		return wb.bud.PublishedStand(p.Set)
	}
	return raming.Stand{}, false
}

// mutationForm writes the suppletoire form under a budget table: per
// column the stand vorige raming, the mutatie and the nieuwe stand (this
// raming's cash), in thousands at prijspeil T, and where a mutation needs
// a written explanation after the Rijksbegrotingsvoorschriften' staffel
// (scenario [budget]): from the policy threshold (a beleidsmatige
// mutatie: the estimate changed), or, when the stand covers every column
// and the total stays within the policy threshold, from the technical one
// (a kasschuif: cash moved between years).
func (wb *workbook) mutationForm(s *sheet, t *budgetTable, st raming.Stand) {
	cols := wb.bud.Columns()
	n := len(cols)
	from := "de vorige raming (" + st.From + ")"
	if st.Published {
		from = "de gepubliceerde stand (" + st.From + ")"
	}
	s.row(wb.text(fmt.Sprintf("Suppletoire mutatie t.o.v. %s (bedragen x € 1.000, prijspeil %d)", from, wb.bud.Year), styleBold))
	r := []any{wb.text("Uitgaven", styleHeader)}
	for _, col := range cols {
		r = append(r, wb.text(colLabel(col), styleHeaderR))
	}
	s.tall(2, append(r, wb.text("", styleHeaderR), wb.text("Totaal", styleHeaderR))...)
	all := true
	for _, k := range st.Known {
		all = all && k
	}
	sumCell := func(row int, cached float64) any {
		if !all {
			return nil
		}
		return wb.formulaCell(fmt.Sprintf("SUM(%s:%s)", cellName(2, row), cellName(1+n, row)), cached, styleThousands)
	}
	standRow := s.next()
	cells := []any{"Stand vorige raming"}
	var standSum float64
	for i := range cols {
		if !st.Known[i] {
			cells = append(cells, nil)
			continue
		}
		x := num(st.Amounts[i])
		standSum += x
		cells = append(cells, wb.cell(x, styleThousands))
	}
	s.row(append(cells, nil, sumCell(standRow, standSum))...)
	mutRow, newRow := standRow+1, standRow+2
	cells = []any{wb.text("Mutatie", styleBold)}
	muts := make([]float64, n)
	var mutSum float64
	for i := range cols {
		if !st.Known[i] {
			cells = append(cells, nil)
			continue
		}
		muts[i] = wb.cachedNum(s, t.cash, 2+i) - num(st.Amounts[i])
		mutSum += muts[i]
		cells = append(cells, wb.formulaCell(fmt.Sprintf("%s-%s", cellName(2+i, newRow), cellName(2+i, standRow)), muts[i], styleThousands))
	}
	s.row(append(cells, nil, sumCell(mutRow, mutSum))...)
	cells = []any{"Nieuwe stand (deze raming)"}
	for i := range cols {
		cells = append(cells, wb.formulaCell(cellName(2+i, t.cash), wb.cachedOf(s, t.cash, 2+i), styleThousands))
	}
	s.row(append(cells, nil, sumCell(newRow, wb.cachedNum(s, t.cash, t.total)))...)
	row, ok := wb.res.Scenario.Budget.Row()
	if !ok {
		s.note("Toelichting: het scenario geeft geen staffel ([budget.staffel]), dus deze tabel zegt niet welke mutaties een toelichting vragen.", styleNote)
		return
	}
	policy, technical := num(row.Policy), num(row.Technical)
	p, tech := row.Policy.String(), row.Technical.String()
	cells = []any{wb.text("Toelichting vereist (staffel)", styleBold)}
	kasschuif := all && math.Abs(mutSum) < policy
	for i := range cols {
		if !st.Known[i] {
			cells = append(cells, nil)
			continue
		}
		m := cellName(2+i, mutRow)
		f := fmt.Sprintf(`IF(ABS(%s)>=%s,"ja","")`, m, p)
		flag := math.Abs(muts[i]) >= policy
		if all {
			total := cellName(t.total, mutRow)
			f = fmt.Sprintf(`IF(ABS(%s)<%s,IF(ABS(%s)>=%s,"ja",""),IF(ABS(%s)>=%s,"ja",""))`, total, p, m, tech, m, p)
			if kasschuif {
				flag = math.Abs(muts[i]) >= technical
			}
		}
		text := ""
		if flag {
			text = "ja"
		}
		cells = append(cells, wb.formulaCell(f, text, styleNoteR))
	}
	s.row(cells...)
	note := fmt.Sprintf("Staffel: toelichting vanaf %s (beleidsmatig)", mlnText(row.Policy))
	if all {
		note += fmt.Sprintf(", of vanaf %s bij een kasschuif (totaal binnen %s: technisch)", mlnText(row.Technical), mlnText(row.Policy))
	}
	if st.Published {
		note += "; de gepubliceerde stand staat zoals gepubliceerd, jaren zonder stand zijn leeg"
	}
	s.note(note+".", styleNote)
	s.row()
}

// formNote explains the suppletoire form once, on the budget sheet's
// first page.
func (wb *workbook) formNote() string {
	row, ok := wb.res.Scenario.Budget.Row()
	if !ok {
		return ""
	}
	return fmt.Sprintf("De suppletoire tabel onder een tabel (met --baseline of gepubliceerde cijfers) geeft per jaar de stand vorige raming, de mutatie en de nieuwe stand. "+
		"Staffel (Rijksbegrotingsvoorschriften) voor een artikel van %s of meer (artikel 13 Toeslagen): een beleidsmatige mutatie vraagt een toelichting vanaf %s, een technische vanaf %s. "+
		"Een mutatie van de raming is beleidsmatig; blijft het totaal binnen de drempel, dan verschuift alleen kas tussen de jaren (een kasschuif: technisch). "+
		"De stand van een vorige raming is omgerekend naar prijspeil %d met de prijsindex van deze raming.",
		mlnText(row.From), mlnText(row.Policy), mlnText(row.Technical), wb.bud.Year)
}

// bandNotes explain the Monte Carlo blocks once, on the budget sheet's
// first page.
func (wb *workbook) bandNotes() string {
	level := wb.opts.riskLevel()
	return fmt.Sprintf("Onzekerheid onder elke tabel (indicatief, Monte Carlo): P%g is het bedrag dat in %g%% van de trekkingen niet wordt overschreden; de indicatie van een risicoreservering (P%g − raming, nooit negatief) "+
		"is geen reservering volgens de Rijksbegrotingsvoorschriften, die geen percentiel voorschrijven. Ligt de raming boven P%g, dan staat er \"raming boven P%g: risico op onderuitputting\". "+
		"Percentielen tellen niet op: de P%g van het totaal is kleiner dan de som van de P%g's per jaar; eerdere en latere jaren hebben daarom geen band. "+
		"Raming op percentiel: het aandeel trekkingen onder de raming, geïnterpoleerd tussen de berekende percentielen.", level, level, level, level, level, level, level)
}

// mlnText is an amount in euros as "€ 10 mln" (or "€ 1 mld" from a billion).
func mlnText(d decimal.Decimal) string {
	if d.GreaterThanOrEqual(decimal.NewFromInt(1_000_000_000)) {
		return "€ " + nl(d.Div(decimal.NewFromInt(1_000_000_000)), -1) + " mld"
	}
	return "€ " + nl(d.Div(decimal.NewFromInt(1_000_000)), -1) + " mln"
}

// budgetBand writes the Monte Carlo block under a budget table: per year
// P50, the risk level and P95 of the cash, the raming's percentile among
// the draws, and the indication of a risk reservation, max(0, Pxx −
// raming): where the raming lies above Pxx it says so (a risk of
// onderuitputting), never a negative reservation. The bands are at the
// scenario's price level, carried to prijspeil T by the year's factor
// (raming.Budget.YearFactor). The outer columns have no band (percentiles
// of years taken together are not the sum of theirs).
func (wb *workbook) budgetBand(s *sheet, t *budgetTable, cs *raming.CaseSim, c *raming.Case, header func(string) int) {
	sim := wb.res.MonteCarlo
	cols := wb.bud.Columns()
	level := wb.opts.riskLevel()
	s.row(wb.text(fmt.Sprintf("Onzekerheid (indicatief, Monte Carlo, n = %s): uitgaven per jaar, bedragen x € 1 mln, prijspeil %d", nl(decimal.NewFromInt(int64(sim.Iterations)), 0), wb.bud.Year), styleBold))
	s.note(yearBandNote(sim), styleNote)
	header("")
	bandRows := map[float64]int{}
	for _, p := range []float64{5, 50, level, 95} {
		if _, done := bandRows[p]; !done {
			bandRows[p] = s.row(append([]any{fmt.Sprintf("Uitgaven P%g", p)}, wb.bandRow(cs, c, p)...)...)
		}
	}
	t.p5, t.p50, t.p95 = bandRows[5], bandRows[50], bandRows[95]
	// The raming's place among the draws.
	pct := []any{"Raming op percentiel"}
	for _, col := range cols {
		b, ok := yearBand(*cs, col.From)
		point := cashIn(c, col.From)
		if col.Earlier() || col.Later() || !ok || point.IsZero() && b.P95 == 0 {
			pct = append(pct, nil)
			continue
		}
		pct = append(pct, wb.text(percentileText(b, num(point)), styleNoteR))
	}
	pct = append(pct, nil, wb.text(fmt.Sprintf("P%.0f", cs.PointPercentile), styleNoteR))
	s.row(pct...)
	// max(0, Pxx − raming) per column and in total; where the raming lies
	// above Pxx, a risk of onderuitputting (whole euros compared).
	reserve := []any{wb.text(fmt.Sprintf("Indicatie risicoreservering (P%g − raming)", level), styleBold)}
	onder := []any{wb.text(fmt.Sprintf("Raming boven P%g: risico op onderuitputting", level), styleNone)}
	var above []string
	for i := 0; i <= len(cols)+1; i++ {
		col := 2 + i
		band := cellName(col, bandRows[level])
		if col == t.struc || i < len(cols) && (cols[i].Earlier() || cols[i].Later()) || wb.cachedOf(s, bandRows[level], col) == nil {
			reserve, onder = append(reserve, nil), append(onder, nil)
			continue
		}
		raming := cellName(col, t.cash)
		diff := wb.cachedNum(s, bandRows[level], col) - wb.cachedNum(s, t.cash, col)
		reserve = append(reserve, wb.formulaCell(fmt.Sprintf("MAX(0,%s-%s)", band, raming), math.Max(0, diff), styleMln1))
		flag := ""
		if math.Round(wb.cachedNum(s, t.cash, col)) > math.Round(wb.cachedNum(s, bandRows[level], col)) {
			flag = "ja"
			if i < len(cols) {
				above = append(above, colLabel(cols[i]))
			} else {
				above = append(above, "het totaal")
			}
		}
		onder = append(onder, wb.formulaCell(fmt.Sprintf(`IF(ROUND(%s,0)>ROUND(%s,0),"ja","")`, raming, band), flag, styleNoteR))
	}
	s.row(reserve...)
	s.row(onder...)
	for _, y := range above {
		s.note(fmt.Sprintf("%s: raming boven P%g: risico op onderuitputting. De raming ligt daar boven %g%% van de trekkingen; de indicatie van een risicoreservering is 0, nooit negatief. "+
			"Een verschuiving in de tijd wordt met een kasschuif opgevangen, niet met een reservering.", "In "+y, level, level), styleWarn)
	}
}

// bandRow is a case's cash band at percentile p in the window's years
// (prijspeil T), Struc. and Totaal.
func (wb *workbook) bandRow(cs *raming.CaseSim, c *raming.Case, p float64) []any {
	var cells []any
	for _, col := range wb.bud.Columns() {
		if col.Earlier() || col.Later() {
			cells = append(cells, nil)
			continue
		}
		x, ok := yearAt(cs, col.From, p)
		if !ok {
			cells = append(cells, nil)
			continue
		}
		cells = append(cells, wb.cell(x*wb.bud.YearFactor(c, col.From), styleMln1))
	}
	return append(cells, wb.cell(0.0, styleMln1), wb.cell(cs.TotalStats.At(p)*wb.bud.TotalFactor(c), styleMln1))
}

// cashIn is a case's point cash (excl. uitvoering) in a year at the
// scenario's price level (0 outside its profile).
func cashIn(c *raming.Case, year int) decimal.Decimal {
	for _, y := range c.Profile.Years {
		if y.Year == year {
			return y.Cash.Total
		}
	}
	return decimal.Zero
}

// percentileText is where x lies among a year's draws: "P62", or "< P5"
// and "> P95" beyond the reported percentiles; between two reported
// percentiles it interpolates linearly.
func percentileText(b raming.YearBand, x float64) string {
	ps := b.Percentiles
	if len(ps) == 0 {
		return ""
	}
	lo, hi := ps[0], ps[len(ps)-1]
	switch {
	case x < lo.Value-0.005:
		return fmt.Sprintf("< P%g", lo.P)
	case x > hi.Value+0.005:
		return fmt.Sprintf("> P%g", hi.P)
	}
	for i := 1; i < len(ps); i++ {
		a, z := ps[i-1], ps[i]
		if x <= z.Value+0.005 {
			if z.Value-a.Value < 0.01 {
				return fmt.Sprintf("P%.0f", (a.P+z.P)/2)
			}
			return fmt.Sprintf("P%.0f", a.P+(z.P-a.P)*(x-a.Value)/(z.Value-a.Value))
		}
	}
	return fmt.Sprintf("P%g", hi.P)
}

// joinFormulas adds two formula cells' formulas (a plain value counts as
// its number).
func joinFormulas(a, b excelize.Cell) string {
	term := func(c excelize.Cell) string {
		if c.Formula != "" {
			return c.Formula
		}
		return fmt.Sprint(c.Value)
	}
	return term(a) + "+" + term(b)
}

// cachedOf returns the cached value of a cell written earlier on s.
func (wb *workbook) cachedOf(s *sheet, row, col int) any {
	r := s.rows[row-1]
	if col-1 >= len(r) {
		return 0.0
	}
	if c, ok := r[col-1].(excelize.Cell); ok {
		return c.Value
	}
	return r[col-1]
}

// cachedNum is cachedOf as a number (0 for a text or an empty cell).
func (wb *workbook) cachedNum(s *sheet, row, col int) float64 {
	if x, ok := wb.cachedOf(s, row, col).(float64); ok {
		return x
	}
	return 0
}

// yearAt is a case's simulated cash in a year at percentile p: 0 in a year
// outside the case's years (it pays nothing then in any draw).
func yearAt(cs *raming.CaseSim, year int, p float64) (float64, bool) {
	b, ok := yearBand(*cs, year)
	if !ok {
		return 0, len(cs.Years) > 0
	}
	x := b.At(p)
	return x, !math.IsNaN(x)
}
