package output

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
)

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
	s.note(yearBandNote(), styleNote)
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
	years, total := bandAt(wb.bud, cs, c, p)
	var cells []any
	for _, x := range years {
		if x == nil {
			cells = append(cells, nil)
			continue
		}
		cells = append(cells, wb.cell(*x, styleMln1))
	}
	return append(cells, wb.cell(0.0, styleMln1), wb.cell(total, styleMln1))
}

// bandAt is a case's simulated cash at percentile p per column of the
// budget window, carried to prijspeil T (each line at its own price
// index: raming.Budget.YearFactor), nil for the earlier and later years
// (percentiles do not add up) and where there is no band; and its total.
// The workbook's band rows and the JSON's budget band are both this.
func bandAt(bud raming.Budget, cs *raming.CaseSim, c *raming.Case, p float64) ([]*float64, float64) {
	var years []*float64
	for _, col := range bud.Columns() {
		if col.Earlier() || col.Later() {
			years = append(years, nil)
			continue
		}
		x, ok := yearAt(cs, col.From, p)
		if !ok {
			years = append(years, nil)
			continue
		}
		x *= bud.YearFactor(c, col.From)
		years = append(years, &x)
	}
	return years, cs.TotalStats.At(p) * bud.TotalFactor(c)
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
