package output

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

// Sheet names of the comparison's workbook.
const (
	sheetCompare     = "Vergelijking"
	sheetAttribution = "Toerekening"
	sheetCompareYear = "Per begrotingsjaar"
	sheetKeys        = "Sleutels"
)

// diffKindNL names a kind of difference in Dutch.
var diffKindNL = map[scenario.DiffKind]string{scenario.DiffValue: "waarde", scenario.DiffDistribution: "verdeling",
	scenario.DiffBoth: "waarde en verdeling", scenario.DiffOption: "optie van B", scenario.DiffRounding: "afronding van het deck"}

// residualNL names the part of a difference no key explains.
const residualNL = "Overig: opbouw van het scenario"

// WriteCompareWorkbook writes the workbook of a comparison (Dutch): the
// cases side by side with the difference and its band (Vergelijking), the
// split of each central case's difference over the keys with a waterfall
// (Toerekening), the difference per budget year, the keys that differ,
// and the provenance; print-ready as the run's sheets. A case the
// small-cell rule of opts hides (compareCells) reads "niet getoond"
// wherever it would show a figure.
func WriteCompareWorkbook(w io.Writer, c *raming.ScenarioComparison, prov Provenance, opts Options) error {
	w0, err := newWorkbook()
	if err != nil {
		return err
	}
	defer w0.f.Close()
	w0.prov = prov
	wb := &compareBook{workbook: w0, limit: opts.smallCell(), hidden: newCompareCells(c, opts.smallCell())}
	// A label beside text that wraps: bold, at the top of its row.
	if wb.boldTop, err = wb.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return err
	}
	// The shares of a difference are whole cents that add up to it: shown
	// in cents (a run's pages show whole euros).
	cents := `"€ "#,##0.00`
	if wb.cents, err = wb.f.NewStyle(&excelize.Style{CustomNumFmt: &cents}); err != nil {
		return err
	}
	if wb.centsBold, err = wb.f.NewStyle(&excelize.Style{CustomNumFmt: &cents, Font: &excelize.Font{Bold: true},
		Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}}); err != nil {
		return err
	}
	for _, st := range []struct {
		name  string
		build func(*sheet, *raming.ScenarioComparison)
	}{{sheetCompare, wb.compareSheet}, {sheetAttribution, wb.attributionSheet}, {sheetCompareYear, wb.compareYears},
		{sheetKeys, wb.keysSheet}, {sheetProvenance, func(s *sheet, c *raming.ScenarioComparison) { wb.compareProvenance(s, c, prov) }}} {
		st.build(wb.sheet(st.name), c)
	}
	created := prov.RunTime.UTC().Format("2006-01-02T15:04:05Z")
	if err := wb.write(&excelize.DocProperties{Title: "Vergelijking van twee scenario's", Creator: "raming " + prov.ToolVersion,
		Created: created, Modified: created, Language: "nl-NL"}); err != nil {
		return err
	}
	return writeDeterministic(w, wb.f)
}

// compareBook is a comparison's workbook: the run's workbook with a style
// of its own.
type compareBook struct {
	*workbook
	boldTop int // a bold label at the top of its row
	// cents and centsBold show euros and cents, as the shares are.
	cents, centsBold int
	// limit is the small-cell limit and hidden its rule.
	limit  int
	hidden *compareCells
}

// hiddenText says why a case's comparison is not shown.
func (wb *compareBook) hiddenText() string {
	return fmt.Sprintf("niet getoond: dit geval of zijn verschil rust op minder dan %d personen van het extract", wb.limit)
}

// euros is an amount in euros and cents, in bold with a line above for a
// total, as a formula when f is not "".
func (wb *compareBook) euros(f string, v float64, total bool) excelize.Cell {
	style := wb.cents
	if total {
		style = wb.centsBold
	}
	return excelize.Cell{Formula: f, Value: v, StyleID: style}
}

// label is a bold label at the top of its row.
func (wb *compareBook) label(text string) excelize.Cell {
	return excelize.Cell{Value: text, StyleID: wb.boldTop}
}

// scenarioNL names a scenario with its --set changes, in a sentence.
func scenarioNL(sc *scenario.Scenario) string {
	s := fmt.Sprintf("%q (%s)", sc.Name, originNL(sc.Origin))
	if len(sc.Settings) > 0 {
		s += " met --set " + strings.Join(sc.Settings, ", ")
	}
	return s
}

// compareSheet sets every shared case's two estimates side by side with
// their difference (a formula), and with a simulation the bands and the
// paired difference's band and P(other cheaper).
func (wb *compareBook) compareSheet(s *sheet, c *raming.ScenarioComparison) {
	sim := c.Simulated()
	s.width(1, 1, 8)
	s.width(2, 2, 11)
	s.width(3, 5, 14)
	s.width(6, 13, 12)
	s.cols = 5
	if sim {
		s.cols = 13
	}
	s.printCols = s.cols
	s.row(wb.text("Vergelijking van twee scenario's", styleTitle))
	s.note(fmt.Sprintf("Basis: scenario %s. Ander: scenario %s. Populatie: %s. Bedragen excl. uitvoering; verschil = ander − basis.",
		scenarioNL(c.Base.Scenario), scenarioNL(c.Other.Scenario), populationText(c.Base)), styleNote)
	if m := c.Base.MonteCarlo; m != nil {
		s.note(fmt.Sprintf("Monte Carlo: %s iteraties, seed %d, voor beide scenario's op dezelfde trekkingen (gemeenschappelijke toevalsgetallen): "+
			"elke aanname en elke telling op het extract krijgt in beide dezelfde toevalsgetallen, zodat de band van het verschil alleen toont wat verschilt. "+
			"Kans ander goedkoper: het aandeel van de iteraties waarin het andere scenario minder kost; een iteratie zonder verschil telt voor de helft (0,5 als de twee nooit verschillen).",
			nl(decimal.NewFromInt(int64(m.Iterations)), 0), m.Seed), styleNote)
	} else {
		s.note("Alleen de puntramingen (--iterations 0): geen band.", styleNote)
	}
	s.note("Alle cijfers van deze werkmap zijn door de tool berekend voor de twee scenario's: wie er een wijzigt, wijzigt alleen de sommen die ernaar verwijzen, "+
		"niet de banden, de kansen of de toerekening. Een wat-als: raming compare --other-set KEY=VALUE, of de pagina van raming serve.", styleWarn)
	s.row()
	head := []any{wb.text("Variant", styleHeader), wb.text("Geval", styleHeader), wb.text("Raming basis", styleHeaderR),
		wb.text("Raming ander", styleHeaderR), wb.text("Verschil", styleHeaderR)}
	if sim {
		for _, h := range []string{"Basis P5", "Basis P95", "Ander P5", "Ander P95", "Verschil P5", "Verschil P50", "Verschil P95", "Kans ander goedkoper"} {
			head = append(head, wb.text(h, styleHeaderR))
		}
	}
	top := s.row(head...)
	s.freeze(0, top)
	s.titleRows = [2]int{top, top}
	for _, cc := range c.Cases {
		row := s.next()
		id := wb.text(cc.CaseID, styleNone)
		if cc.Central {
			id = wb.text(cc.CaseID, styleBold)
		}
		if wb.hidden.hiddenCase(cc.CaseID) {
			cells := []any{cc.VariantID, id}
			for range len(head) - 2 {
				cells = append(cells, wb.text(complementNL, styleNoteR))
			}
			s.row(cells...)
			continue
		}
		cells := []any{cc.VariantID, id, wb.cell(num(cc.Base.Total.Value), styleMln), wb.cell(num(cc.Other.Total.Value), styleMln),
			wb.formulaCell(fmt.Sprintf("%s-%s", cellName(4, row), cellName(3, row)), num(cc.Difference), styleMlnBold)}
		if sim {
			b, o := c.Base.MonteCarlo.Case(cc.CaseID).TotalStats, c.Other.MonteCarlo.Case(cc.CaseID).TotalStats
			for _, x := range []float64{b.At(5), b.At(95), o.At(5), o.At(95), cc.Diff.At(5), cc.Diff.At(50), cc.Diff.At(95)} {
				cells = append(cells, wb.cell(x, styleMln))
			}
			cells = append(cells, wb.cell(cc.POtherCheaper, styleShare))
		}
		s.row(cells...)
	}
	if len(c.Cases) == 0 {
		s.row(nil, wb.text("De twee scenario's hebben geen geval gemeen: er valt niets te vergelijken (zie het blad Sleutels).", styleNote))
	}
	s.row()
	if slices.ContainsFunc(c.Cases, func(cc raming.CaseComparison) bool { return wb.hidden.hiddenCase(cc.CaseID) }) {
		s.note(fmt.Sprintf("Niet getoond: een geval dat in een van de twee scenario's, of met zijn verschil, rust op minder dan %d personen van het extract (--small-cell %d): "+
			"twee cijfers van hetzelfde extract die een paar personen verschillen, geven die personen prijs. Ook de toerekening en de jaren van zo'n geval zijn niet getoond.", wb.limit, wb.limit), styleNote)
	}
	s.note("Vet: het centrale geval van de variant (in de basis). De toerekening van het verschil aan de sleutels die verschillen staat op het blad Toerekening, "+
		"het verschil per begrotingsjaar op het blad Per begrotingsjaar, de sleutels zelf op het blad Sleutels.", styleNote)
}

// methodNL says in Dutch how the differences are split over the keys.
func methodNL(c *raming.ScenarioComparison) string {
	moving := 0
	for _, d := range c.Differences {
		if d.Kind.MovesPoint() {
			moving++
		}
	}
	switch {
	case len(c.Differences) == 0:
		return "Geen sleutel verschilt tussen de twee scenario's: er is niets toe te rekenen."
	case c.Method == raming.AttributionNone && c.Note != "":
		return "De toerekening is niet gemaakt: " + c.Note + "."
	case c.Method == raming.AttributionNone:
		return "Alleen verdelingen verschillen: die verschuiven de band, niet de raming, en krijgen een bijdrage van 0."
	case c.Method == raming.AttributionShapley:
		return fmt.Sprintf("Toerekening met Shapley-waarden over de %d sleutels die de raming verschuiven: de bijdrage van een sleutel is zijn gemiddelde effect over alle volgordes "+
			"waarin de sleutels kunnen worden gewijzigd (%s deterministische berekeningen), zodat twee sleutels met hetzelfde effect hetzelfde deel krijgen. "+
			"De bijdragen zijn hele centen die samen precies het verschil (op de cent) geven. Een sleutel waarvan alleen de verdeling verschilt, verschuift de band maar niet de raming: bijdrage 0.",
			moving, nl(decimal.NewFromInt(1<<moving), 0))
	}
	return fmt.Sprintf("Meer dan %d sleutels verschuiven de raming (%d): ze zijn na elkaar gewijzigd in de volgorde van de scenarioreferentie, en elke sleutel krijgt het verschil van zijn stap. "+
		"De verdeling hangt daarom af van die volgorde. De bijdragen zijn hele centen die samen precies het verschil (op de cent) geven.", raming.MaxShapleyKeys, moving)
}

// keyLabel is a key's Dutch label for a table: its label, or for a
// residual the words for it.
func keyLabel(c *raming.ScenarioComparison, a raming.Contribution) string {
	if a.Residual {
		return residualNL
	}
	for _, d := range c.Differences {
		if d.Key == a.Key {
			return d.Label
		}
	}
	return ""
}

// attributionSheet splits each central case's point difference over the
// keys: first the shares of every shared case in one table, then each
// central case on a page of its own with a waterfall chart: the base's
// estimate, each key's share (higher in red, lower in green), the other's
// estimate. A waterfall is a stacked column of an invisible base and the
// step (excelize has no waterfall chart), drawn from live formulas beside
// the printed area.
func (wb *compareBook) attributionSheet(s *sheet, c *raming.ScenarioComparison) {
	s.width(1, 1, 26)
	s.width(2, 2, 52)
	s.width(3, 3, 16)
	s.width(4, 4, 3)
	s.width(5, 8, 12)
	s.cols, s.printCols = 3, 3
	s.row(wb.text("Toerekening van het verschil aan de sleutels", styleTitle))
	s.note(methodNL(c), styleNote)
	s.row()
	s.row(wb.text("Bijdragen per geval (alle gevallen die beide scenario's hebben)", styleSection))
	top := s.row(wb.text("Geval", styleHeader), wb.text("Sleutel", styleHeader), wb.text("Bijdrage", styleHeaderR))
	for _, cc := range c.Cases {
		if wb.hidden.hiddenCase(cc.CaseID) {
			if len(cc.Attribution) > 0 {
				s.row(cc.CaseID, wb.text(wb.hiddenText(), styleWrap), wb.text(complementNL, styleNoteR))
			}
			continue
		}
		from := s.next()
		for _, a := range cc.Attribution {
			key := a.Key + ": " + keyLabel(c, a)
			if a.Residual {
				key = residualNL
			}
			s.row(cc.CaseID, wb.text(key, styleWrap), wb.euros("", num(a.Amount), false))
		}
		if s.next() > from {
			s.row(wb.text(cc.CaseID, styleBold), wb.text("Totaal = verschil (ander − basis), op de cent", styleBold),
				wb.euros(fmt.Sprintf("SUM(%s:%s)", cellName(3, from), cellName(3, s.next()-1)), num(cc.Difference.Round(2)), true))
		}
	}
	if s.next() == top+1 {
		s.row(nil, wb.text("geen", styleNote))
	}
	// A page with a waterfall for each central case a key moves.
	var moved []raming.CaseComparison
	var still []string
	for _, cc := range c.Cases {
		switch {
		case !cc.Central || len(cc.Attribution) == 0 || wb.hidden.hiddenCase(cc.CaseID):
		case slices.ContainsFunc(cc.Attribution, func(a raming.Contribution) bool { return !a.Amount.IsZero() }):
			moved = append(moved, cc)
		default:
			still = append(still, cc.CaseID)
		}
	}
	if len(still) > 0 {
		s.row()
		s.note("Geen waterval voor de centrale gevallen die geen sleutel verschuift: "+strings.Join(still, ", ")+".", styleNote)
	}
	for _, cc := range moved {
		s.pageBreak()
		wb.waterfall(s, c, cc)
	}
}

// waterfall writes one case's split with its chart.
func (wb *compareBook) waterfall(s *sheet, c *raming.ScenarioComparison, cc raming.CaseComparison) {
	s.row()
	s.row(wb.text(fmt.Sprintf("Variant %s, geval %s: van € %s mln (basis) naar € %s mln (ander)", cc.VariantID, cc.CaseID,
		nl(cc.Base.Total.Value.Shift(-6), 1), nl(cc.Other.Total.Value.Shift(-6), 1)), styleSection))
	head := s.row(wb.text("Stap", styleHeader), wb.text("Omschrijving", styleHeader), wb.text("Bedrag", styleHeaderR), nil,
		wb.text("Onzichtbaar", styleHeaderR), wb.text("Raming", styleHeaderR), wb.text("Hoger", styleHeaderR), wb.text("Lager", styleHeaderR))
	dec := func(f string, v float64) excelize.Cell { return wb.formulaCell(f, v, styleDeckMln) }
	base := s.next()
	b := num(cc.Base.Total.Value)
	s.row(wb.text("Basis", styleBold), wb.text("Basisscenario", styleNone), wb.euros("", b, true), nil,
		wb.cell(0.0, styleDeckMln), dec(fmt.Sprintf("C%d/1000000", base), mln(b)), wb.cell(0.0, styleDeckMln), wb.cell(0.0, styleDeckMln))
	// Column I keeps the running total after each step (€ mln), hidden
	// from the printed page like the chart's columns.
	running := mln(b)
	runAt := fmt.Sprintf("C%d/1000000", base)
	for _, a := range cc.Attribution {
		row := s.next()
		key := a.Key
		if a.Residual {
			key = "overig"
		}
		x := mln(num(a.Amount))
		next := running + x
		step := fmt.Sprintf("C%d/1000000", row)
		s.row(wb.text(key, styleWrap), wb.text(keyLabel(c, a), styleWrap), wb.euros("", num(a.Amount), false), nil,
			dec(fmt.Sprintf("MIN(%s,%s+%s)", runAt, runAt, step), min(running, next)), wb.cell(0.0, styleDeckMln),
			dec(fmt.Sprintf("MAX(0,%s)", step), max(0, x)), dec(fmt.Sprintf("MAX(0,-%s)", step), max(0, -x)),
			dec(fmt.Sprintf("%s+%s", runAt, step), next))
		running, runAt = next, fmt.Sprintf("I%d", row)
	}
	last := s.next() - 1
	other := s.row(wb.text("Ander", styleBold), wb.text("Ander scenario", styleNone),
		wb.euros(fmt.Sprintf("SUM(C%d:C%d)", base, last), num(cc.Base.Total.Value.Add(cc.Difference.Round(2))), true), nil,
		wb.cell(0.0, styleDeckMln), dec(fmt.Sprintf("C%d/1000000", last+1), running), wb.cell(0.0, styleDeckMln), wb.cell(0.0, styleDeckMln))
	s.hidden = appendOnce(s.hidden, 9)
	s.note(fmt.Sprintf("Basis plus de bijdragen is de raming van het andere scenario (€ %s) op minder dan een halve cent: de bijdragen zijn afgerond op hele centen.",
		nl(cc.Other.Total.Value.Round(2), 2)), styleNote)
	ref := func(col int) string { return s.span(col, base, col, other) }
	name := func(col int) string { return s.abs(col, head) }
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	cats := ref(2) // the Dutch labels, not the keys
	series := []excelize.ChartSeries{
		{Name: name(5), Categories: cats, Values: ref(5), Fill: excelize.Fill{Type: "pattern", Pattern: 0}},
		{Name: name(6), Categories: cats, Values: ref(6), Fill: fill("2E75B6")},
		{Name: name(7), Categories: cats, Values: ref(7), Fill: fill("C00000")},
		{Name: name(8), Categories: cats, Values: ref(8), Fill: fill("70AD47")},
	}
	title := fmt.Sprintf("Van basis naar ander: %s (€ mln; rood: hoger, groen: lager)", cc.CaseID)
	y := excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.0"}}
	if from, places, ok := waterfallFloor(mln(num(cc.Base.Total.Value)), cc.Attribution); ok {
		f := from.InexactFloat64()
		y.Minimum = &f
		y.NumFmt.CustomNumFmt = "0." + strings.Repeat("0", int(places))
		title = fmt.Sprintf("Van basis naar ander: %s (€ mln, as vanaf %s; rood: hoger, groen: lager)", cc.CaseID, nl(from, places))
	}
	s.row()
	s.chart(cellName(1, s.next()), &excelize.Chart{Type: excelize.ColStacked, Series: series, VaryColors: ptr(false),
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}}, Legend: excelize.ChartLegend{Position: "none"}, YAxis: y,
		Dimension: excelize.ChartDimension{Width: 640, Height: 300}})
	s.room(300)
}

// waterfallFloor is where a waterfall's axis starts when its steps are
// small beside the estimates (they would not show from 0): below the
// lowest running total by half the steps' span, at a multiple of the
// power of ten below that span, shown with places decimals (1 or 2); ok
// false to start at 0, also when the steps are below € 0,01 mln
// together. base and the shares are in € mln.
func waterfallFloor(base float64, shares []raming.Contribution) (from decimal.Decimal, places int32, ok bool) {
	lo, hi, run := base, base, base
	for _, a := range shares {
		run += mln(num(a.Amount))
		lo, hi = min(lo, run), max(hi, run)
	}
	span := hi - lo
	if lo <= 0 || span < 0.01 || span > lo/2 {
		return decimal.Zero, 0, false
	}
	exp := int32(math.Floor(math.Log10(span)))
	if exp < -2 {
		exp = -2
	}
	step := decimal.New(1, exp)
	from = decimal.NewFromFloat(lo - span/2).Div(step).Floor().Mul(step)
	return from, min(2, max(1, -exp)), from.IsPositive()
}

func appendOnce(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// compareYears writes each shared case's difference per budget year: the
// two scenarios' cash, their difference (a formula) and, with a
// simulation, the band of the paired differences.
func (wb *compareBook) compareYears(s *sheet, c *raming.ScenarioComparison) {
	sim := c.Simulated()
	s.width(1, 1, 9)
	s.width(2, 7, 15)
	s.cols = 4
	if sim {
		s.cols = 7
	}
	s.printCols = s.cols
	s.row(wb.text("Verschil per begrotingsjaar (kas, excl. uitvoering)", styleTitle))
	note := "Per geval de kasuitgaven van beide scenario's en hun verschil (ander − basis)."
	if sim {
		note += " P5, P50 en P95 van het verschil zijn die van de verschillen per iteratie (dezelfde trekkingen in beide): een jaar waarin beide gelijk betalen, heeft geen band. " +
			"Een jaar na het laatste van de puntraming kan in sommige trekkingen nog betalen: het heeft een band en een verschil in de raming van 0."
	}
	s.note(note, styleNote)
	for _, cc := range c.Cases {
		s.row()
		s.row(wb.text(fmt.Sprintf("Variant %s, geval %s", cc.VariantID, cc.CaseID), styleSection))
		head := []any{wb.text("Jaar", styleHeader), wb.text("Basis", styleHeaderR), wb.text("Ander", styleHeaderR), wb.text("Verschil", styleHeaderR)}
		if sim {
			head = append(head, wb.text("Verschil P5", styleHeaderR), wb.text("Verschil P50", styleHeaderR), wb.text("Verschil P95", styleHeaderR))
		}
		if wb.hidden.hiddenCase(cc.CaseID) {
			s.note(wb.hiddenText()+".", styleNote)
			continue
		}
		s.row(head...)
		for _, y := range cc.Years {
			row := s.next()
			b, o := yearCash(cc.Base, y.Year), yearCash(cc.Other, y.Year)
			cells := []any{wb.cell(y.Year, styleYear), wb.cell(num(b), styleEur0), wb.cell(num(o), styleEur0),
				wb.formulaCell(fmt.Sprintf("C%d-B%d", row, row), num(y.Point), styleEur0)}
			if sim {
				cells = append(cells, wb.cell(y.Band.P5, styleEur0), wb.cell(y.Band.P50, styleEur0), wb.cell(y.Band.P95, styleEur0))
			}
			s.row(cells...)
		}
	}
}

// yearCash is a case's cash total in a year (0 where its profile has
// none, or it has no profile).
func yearCash(c *raming.Case, year int) decimal.Decimal {
	if c.Profile != nil {
		for _, y := range c.Profile.Years {
			if y.Year == year {
				return y.Cash.Total
			}
		}
	}
	return decimal.Zero
}

// keysSheet lists the keys whose setting differs, the differences of
// structure, and how the difference is split over the keys.
func (wb *compareBook) keysSheet(s *sheet, c *raming.ScenarioComparison) {
	s.width(1, 1, 30)
	s.width(2, 2, 16)
	s.width(3, 3, 42)
	s.width(4, 5, 34)
	s.cols, s.printCols = 5, 5
	s.row(wb.text("Sleutels die verschillen", styleTitle))
	s.note("Een sleutel is een aanname (met haar waarde en verdeling), een optie van variant B of een afronding van het deck, zoals --set en het blad Aannames ze noemen. "+
		"Naam, titel, omschrijvingen en bronnen tellen niet mee.", styleNote)
	s.row()
	top := s.row(wb.text("Sleutel", styleHeader), wb.text("Soort", styleHeader), wb.text("Omschrijving", styleHeader), wb.text("Basis", styleHeader), wb.text("Ander", styleHeader))
	s.titleRows = [2]int{top, top}
	for _, d := range c.Differences {
		key := d.Key
		if len(d.Also) > 0 {
			key += " (met " + strings.Join(d.Also, ", ") + ")"
		}
		s.row(wb.text(key, styleWrap), wb.text(diffKindNL[d.Kind], styleWrap), wb.text(d.Label, styleWrap), wb.text(settingNL(d, d.Base), styleWrap), wb.text(settingNL(d, d.Other), styleWrap))
	}
	if len(c.Differences) == 0 {
		s.row(wb.text("geen", styleNote))
	}
	s.row()
	s.row(wb.text("Verschil in opbouw", styleSection))
	for _, d := range c.Structure {
		s.note(structureNL(d), styleWrap)
	}
	if len(c.Structure) == 0 {
		s.note("Geen: beide scenario's hebben dezelfde varianten, gevallen en centrale gevallen.", styleNote)
	} else {
		s.note("Een geval dat maar één scenario heeft, wordt niet vergeleken. Beweegt een geval dat beide hebben mee met zo'n verschil, dan staat dat deel op het blad Toerekening als '"+residualNL+"'.", styleNote)
	}
	s.row()
	s.row(wb.text("Toerekening", styleSection))
	s.note(methodNL(c), styleNote)
}

// settingNL writes a key's setting in one scenario in Dutch: an option's
// value with its label, "niet gegeven" for an assumption or rounding the
// scenario does not have.
func settingNL(d scenario.Difference, v string) string {
	if v == "" {
		return "niet gegeven"
	}
	if k, ok := strings.CutPrefix(d.Key, "b."); ok && d.Kind == scenario.DiffOption {
		if op, ok := scenario.OptionByKey(k); ok {
			for _, ov := range op.Values {
				if ov.Text == v {
					return v + ": " + ov.Label
				}
			}
		}
	}
	return strings.ReplaceAll(v, "moves_with=", "beweegt mee met ")
}

// structureNL is a difference of structure in Dutch.
func structureNL(d scenario.Structure) string {
	where := "alleen in het andere scenario"
	if d.InBase {
		where = "alleen in het basisscenario"
	}
	switch d.Kind {
	case scenario.VariantOnly:
		return fmt.Sprintf("Variant %s staat %s.", d.Variant, where)
	case scenario.CaseOnly:
		return fmt.Sprintf("Geval %s van variant %s staat %s.", d.Case, d.Variant, where)
	}
	return fmt.Sprintf("Het centrale geval van variant %s is %s in de basis en %s in het andere scenario.", d.Variant, d.BaseCentral, d.OtherCentral)
}

// compareProvenance records what produced the comparison.
func (wb *compareBook) compareProvenance(s *sheet, c *raming.ScenarioComparison, prov Provenance) {
	s.width(1, 1, 28)
	s.width(2, 2, 90)
	s.cols, s.printCols = 2, 2
	p := c.Base.Population
	kv := [][2]string{{"Tool", "raming " + prov.ToolVersion}}
	for i, res := range []*raming.Result{c.Base, c.Other} {
		sc, who := res.Scenario, []string{"Basis", "Ander"}[i]
		kv = append(kv, [2]string{who + ": scenario", sc.Name}, [2]string{who + ": herkomst", originNL(sc.Origin)}, [2]string{who + ": SHA-256", sc.SHA256})
		if len(sc.Settings) > 0 {
			kv = append(kv, [2]string{who + ": --set", strings.Join(sc.Settings, ", ")})
		}
	}
	kv = append(kv, [2]string{"Populatie", populationSource(p)})
	if p.Extract {
		kv = append(kv, [2]string{"Populatie SHA-256", p.SHA256}, [2]string{"Rijen gebruikt", nl(decimal.NewFromInt(int64(p.RowsUsed)), 0)})
	}
	kv = append(kv, [2]string{"Bedragen", "euro, excl. uitvoering; de ramingen exact, de Monte Carlo-cijfers in float64 en afgerond bij weergave"})
	if m := c.Base.MonteCarlo; m != nil {
		kv = append(kv, [2]string{"Monte Carlo", fmt.Sprintf("%s iteraties, seed %d, beide scenario's op dezelfde trekkingen", nl(decimal.NewFromInt(int64(m.Iterations)), 0), m.Seed)},
			[2]string{"Percentielen", raming.PercentileDefinition})
	} else {
		kv = append(kv, [2]string{"Monte Carlo", "niet berekend (--iterations 0)"})
	}
	for _, w := range compareWarnings(c) {
		kv = append(kv, [2]string{"Waarschuwing (zoals in het log)", w})
	}
	s.row(wb.text("Herkomst", styleTitle))
	s.row()
	s.row(wb.label("Tijdstip run (UTC)"), wb.text(prov.RunTime.UTC().Format("2006-01-02 15:04:05"), styleWrap))
	for _, r := range kv {
		s.row(wb.label(r[0]), wb.text(r[1], styleWrap))
	}
}
