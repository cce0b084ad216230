package output

import (
	"fmt"
	"math"

	"raming/raming"
)

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
