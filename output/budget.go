package output

import (
	"fmt"
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
		c := cases[i]
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
