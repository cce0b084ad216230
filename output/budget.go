package output

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
)

const sheetBudget = "Budgettaire gevolgen"

// Number formats of the budget tables: euros shown in millions with one
// decimal ("bedragen x € 1 mln"), and in whole thousands (RBV model 1.33d,
// "bedragen x € 1.000").
const (
	fmtMln1      = `#,##0.0,,;-#,##0.0,,;0.0`
	fmtThousands = `#,##0,;-#,##0,;0`
)

// budgetCase returns the case of a variant whose budget table is shown:
// the one Options.BudgetCases names, else the variant's central case.
func (wb *workbook) budgetCase(v raming.Variant) raming.Case {
	id := v.CentralCase
	if c, ok := wb.opts.BudgetCases[v.ID]; ok {
		id = c
	}
	return *wb.res.Case(id)
}

// budget writes, for each variant's chosen case, the table a budget officer
// pastes into an inbegroting (../shared/budget-table.md): budget years as
// columns, Struc. and Totaal; Verplichtingen, Uitgaven with its "w.v."
// lines, Uitvoeringskosten apart, Ontvangsten; in millions with one
// decimal, then the same figures in whole thousands in the form of RBV
// model 1.33d, and under them, kept apart, the Monte Carlo band per year
// and the indication of a risk reservation. Every year amount is a
// formula: the case's figure on its variant sheet times the year's share,
// so the table follows the assumptions; totals are sums of the years.
func (wb *workbook) budget(s *sheet) error {
	var cases []raming.Case
	for _, v := range wb.res.Variants {
		cases = append(cases, wb.budgetCase(v))
	}
	first, last := yearRange(wb.res, cases)
	n := last - first + 1
	s.width(1, 1, 46)
	s.width(2, 3+n, 10)
	s.cols, s.printCols = 3+n, 3+n
	s.freeze(1, 0)
	sc := wb.res.Scenario
	s.row(wb.text("Budgettaire gevolgen per variant", styleTitle))
	uncertainty := "De onzekerheid staat apart onder elke tabel en volgt een wijziging van de aannames niet."
	if wb.res.MonteCarlo == nil {
		uncertainty = "De onzekerheid is in deze run niet berekend (--iterations 0): de tabellen geven alleen de puntraming."
	}
	s.note(fmt.Sprintf("Per variant het gekozen geval (het centrale geval van het scenario, of --budget-case). Scenario %q. "+
		"De jaarbedragen zijn formules: het bedrag op het variantblad maal het aandeel van het jaar, zodat de tabel de aannames volgt. %s",
		sc.Name, uncertainty), styleNote)
	if w := wb.openingWarning(); w != "" {
		s.note(w, styleWarn)
	}
	s.row()
	for i, v := range wb.res.Variants {
		if i > 0 {
			s.pageBreak()
		}
		if err := wb.budgetTable(s, v, wb.budgetCase(v), first, n); err != nil {
			return err
		}
	}
	return nil
}

// openingWarning says when the scheme's opening year lies before the run's
// year: the years before it are past, not realised figures.
func (wb *workbook) openingWarning() string {
	opening := int(wb.res.Scenario.Phasing.OpeningYear.Value.IntPart())
	run := wb.prov.RunTime.Year()
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

// yearLine is one line of a budget table: per year an amount, and how it
// follows the case's figure on the variant sheet.
type yearLine struct {
	total decimal.Decimal // the case's figure the years spread
	ref   string          // its cell (or formula); "" for amounts that follow nothing
	years []decimal.Decimal
}

// cells returns the year cells of a line: the figure's cell times the
// year's share (cached: the engine's amount), or the amounts as values.
func (l yearLine) cells(wb *workbook, style cellStyle) []any {
	var out []any
	for _, y := range l.years {
		if l.ref == "" || l.total.IsZero() {
			out = append(out, wb.cell(num(y), style))
			continue
		}
		share := y.DivRound(l.total, 16)
		out = append(out, wb.formulaCell(fmt.Sprintf("%s*%s", l.ref, share), num(y), style))
	}
	return out
}

// budgetTable writes one variant's tables.
func (wb *workbook) budgetTable(s *sheet, v raming.Variant, c raming.Case, first, n int) error {
	years := make([]raming.Year, n)
	for _, y := range c.Profile.Years {
		years[y.Year-first] = y
	}
	get := func(f func(raming.Year) decimal.Decimal) []decimal.Decimal {
		out := make([]decimal.Decimal, n)
		for i, y := range years {
			out[i] = f(y)
		}
		return out
	}
	execRef := wb.executionRef(c)
	lines := struct{ commitScheme, commitCWS, cashScheme, cashCWS, exec yearLine }{
		yearLine{c.Scheme.Value, wb.ref(refScheme(c.ID)), get(func(y raming.Year) decimal.Decimal { return y.Commitments.Scheme })},
		yearLine{c.CWS.Value, wb.ref(refCWS(c.ID)), get(func(y raming.Year) decimal.Decimal { return y.Commitments.CWS })},
		yearLine{c.Scheme.Value, wb.ref(refScheme(c.ID)), get(func(y raming.Year) decimal.Decimal { return y.Cash.Scheme })},
		yearLine{c.CWS.Value, wb.ref(refCWS(c.ID)), get(func(y raming.Year) decimal.Decimal { return y.Cash.CWS })},
		yearLine{c.Profile.Execution, execRef, get(func(y raming.Year) decimal.Decimal { return y.Cash.Execution })},
	}
	header := func(title string) int {
		r := []any{wb.text(title, styleHeader)}
		for i := 0; i < n; i++ {
			r = append(r, wb.text(fmt.Sprint(first+i), styleHeaderR))
		}
		return s.row(append(r, wb.text("Struc.", styleHeaderR), wb.text("Totaal", styleHeaderR))...)
	}
	lastYear, struc := 1+n, 2+n
	sumCell := func(row int, style cellStyle, cached decimal.Decimal) excelize.Cell {
		return wb.formulaCell(fmt.Sprintf("SUM(%s:%s)", cellName(2, row), cellName(lastYear, row)), num(cached), style)
	}
	sumOf := func(xs []decimal.Decimal) decimal.Decimal { return decimal.Sum(decimal.Zero, xs...) }
	// line writes a row of amounts with Struc. 0 and the total.
	line := func(label any, cells []any, style cellStyle, cached decimal.Decimal) int {
		row := s.next()
		r := append([]any{label}, cells...)
		return s.row(append(r, wb.cell(0.0, style), sumCell(row, style, cached))...)
	}
	// add is a row that adds two rows, year by year.
	add := func(label any, a, b int, style cellStyle, cached []decimal.Decimal) int {
		var cells []any
		for i := 0; i < n; i++ {
			col := 2 + i
			cells = append(cells, wb.formulaCell(fmt.Sprintf("%s+%s", cellName(col, a), cellName(col, b)), num(cached[i]), style))
		}
		return line(label, cells, style, sumOf(cached))
	}

	s.row(wb.text(fmt.Sprintf("Tabel: Budgettaire gevolgen ex-partnerregeling, variant %s %s (%s)", v.ID, v.Name, c.ID), styleSection))
	s.note(fmt.Sprintf("(bedragen x € 1 mln, prijspeil %s)", wb.res.Scenario.Phasing.PriceLevelYear.Value), styleNote)
	header("")
	// Commitments: scheme and CWS in one row, each following its figure.
	var commit []any
	commitScheme, commitCWS := lines.commitScheme.cells(wb, styleMln1), lines.commitCWS.cells(wb, styleMln1)
	for i := 0; i < n; i++ {
		f := joinFormulas(commitScheme[i].(excelize.Cell), commitCWS[i].(excelize.Cell))
		commit = append(commit, wb.formulaCell(f, num(lines.commitScheme.years[i].Add(lines.commitCWS.years[i])), styleMln1))
	}
	commitRow := line(wb.text("Verplichtingen", styleBold), commit, styleMln1, sumOf(lines.commitScheme.years).Add(sumOf(lines.commitCWS.years)))
	cashAt := s.next()
	scheme, cws := cashAt+1, cashAt+2
	cash := get(func(y raming.Year) decimal.Decimal { return y.Cash.Total })
	cashRow := add(wb.text("Uitgaven", styleBold), scheme, cws, styleMln1, cash)
	line("   w.v. tegemoetkoming", lines.cashScheme.cells(wb, styleMln1), styleMln1, sumOf(lines.cashScheme.years))
	line("   w.v. aanvullende schade (CWS)", lines.cashCWS.cells(wb, styleMln1), styleMln1, sumOf(lines.cashCWS.years))
	execRow := 0
	if c.Profile.ExecutionKnown {
		execRow = line("Uitvoeringskosten (apparaat, apart van de uitgaven)", lines.exec.cells(wb, styleMln1), styleMln1, sumOf(lines.exec.years))
	} else {
		s.row(append(append([]any{"Uitvoeringskosten (apparaat, apart van de uitgaven)"}, make([]any, n+1)...), wb.text("niet geraamd", styleNoteR))...)
	}
	zero := make([]any, n)
	for i := range zero {
		zero[i] = wb.cell(0.0, styleMln1)
	}
	receiptsRow := line("Ontvangsten", zero, styleMln1, decimal.Zero)
	s.note(fmt.Sprintf("Ten laste van begroting IX, artikel 13 Toeslagen. Stand: %s. Door afronding kunnen totalen afwijken. Struc.: structureel; de regeling is eenmalig.",
		dutchDate(wb.prov.RunTime)), styleNote)
	s.row()

	// The same figures in whole thousands, as RBV model 1.33d.
	s.row(wb.text(fmt.Sprintf("Budgettaire gevolgen van beleid art. 13 Toeslagen, ex-partnerregeling variant %s (%s) (bedragen x € 1.000)", v.ID, c.ID), styleBold))
	r := []any{wb.text("", styleHeader)}
	for i := 0; i < n; i++ {
		r = append(r, wb.text(fmt.Sprint(first+i), styleHeaderR))
	}
	s.row(r...)
	for _, src := range []struct {
		label string
		row   int
	}{{"Verplichtingen", commitRow}, {"Uitgaven", cashRow}, {"   waarvan tegemoetkoming", scheme}, {"   waarvan aanvullende schade (CWS)", cws},
		{"Uitvoeringskosten (apparaat)", execRow}, {"Ontvangsten", receiptsRow}} {
		if src.row == 0 {
			s.row(append(append([]any{src.label}, make([]any, n-1)...), wb.text("niet geraamd", styleNoteR))...)
			continue
		}
		cells := []any{src.label}
		for i := 0; i < n; i++ {
			ref := cellName(2+i, src.row)
			cells = append(cells, wb.formulaCell(ref, wb.cachedOf(s, src.row, 2+i), styleThousands))
		}
		s.row(cells...)
	}
	s.row()

	// The uncertainty, apart.
	if sim := wb.res.MonteCarlo; sim != nil {
		cs := sim.Case(c.ID)
		level := wb.opts.riskLevel()
		s.row(wb.text(fmt.Sprintf("Onzekerheid (indicatief, Monte Carlo, n = %s): uitgaven per jaar, bedragen x € 1 mln", nl(decimal.NewFromInt(int64(sim.Iterations)), 0)), styleBold))
		s.note(yearBandNote(sim), styleNote)
		header("")
		bandRows := map[float64]int{}
		for _, p := range []float64{50, level, 95} {
			if _, done := bandRows[p]; done {
				continue
			}
			cells := []any{fmt.Sprintf("Uitgaven P%g", p)}
			for i := 0; i < n; i++ {
				x, ok := yearAt(cs, first+i, p)
				if !ok {
					cells = append(cells, nil)
					continue
				}
				cells = append(cells, wb.cell(x, styleMln1))
			}
			bandRows[p] = s.row(append(cells, wb.cell(0.0, styleMln1), wb.cell(cs.TotalStats.At(p), styleMln1))...)
		}
		cells := []any{wb.text(fmt.Sprintf("Indicatie risicoreservering (P%g − raming)", level), styleBold)}
		for i := 0; i <= n+1; i++ {
			col := 2 + i
			if col == struc {
				cells = append(cells, wb.cell(0.0, styleMln1))
				continue
			}
			raming, band := cellName(col, cashRow), cellName(col, bandRows[level])
			cells = append(cells, wb.formulaCell(fmt.Sprintf("%s-%s", band, raming), wb.cachedNum(s, bandRows[level], col)-wb.cachedNum(s, cashRow, col), styleMln1))
		}
		s.row(cells...)
		s.note(fmt.Sprintf("P%g: het bedrag dat in %g%% van de trekkingen niet wordt overschreden; de indicatie is geen reservering volgens de Rijksbegrotingsvoorschriften, die geen percentiel voorschrijven. "+
			"Percentielen tellen niet op: de P%g van het totaal is kleiner dan de som van de P%g's per jaar, omdat niet elk jaar tegelijk hoog uitvalt.", level, level, level, level), styleNote)
	}
	s.row()
	return nil
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
