package output

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/internal/words"
	"raming/raming"
	"raming/scenario"
)

const sheetUncertainty = "Onzekerheid"

// mln converts euros to EUR million for chart tables.
func mln(x float64) float64 { return x / 1e6 }

// uncertainty writes the Monte Carlo results: the spread of every case
// beside its point estimate, the pairwise comparisons, the inputs with
// their Dutch labels and why, the sensitivity (a tornado chart per
// variant), and per variant's central case its histogram and its S-curve
// (the cumulative distribution). Figures are rounded to the digits that are
// stable at their standard error. Charts start on their own printed pages.
func (wb *workbook) uncertainty(s *sheet) error {
	sim := wb.res.MonteCarlo
	s.width(1, 1, 25)
	s.width(2, 2, 27)
	s.width(3, 16, 8)
	// The widest table is the spread per case: five columns, one per
	// percentile, the point's rank and the SE of P95.
	s.cols, s.printCols = 5+len(sim.Percentiles)+2, 5+len(sim.Percentiles)+2
	headCells := func(cells ...string) []any {
		r := []any{wb.text(cells[0], styleHeader)}
		for i, c := range cells[1:] {
			style := styleHeaderR
			if i == 0 && cells[1] == "Omschrijving" || i == 0 && cells[1] == "Aanname" {
				style = styleHeader
			}
			r = append(r, wb.text(c, style))
		}
		return r
	}
	head := func(cells ...string) int { return s.row(headCells(cells...)...) }
	money := func(x float64) any {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil // a standard error needs at least 40 iterations
		}
		return wb.cell(x, styleMln1) // the tables say "€ mln"
	}

	s.row(wb.text("Onzekerheid (Monte Carlo)", styleTitle))
	conv := ""
	if sim.Auto {
		conv = fmt.Sprintf(" Automatisch: doorgerekend tot de P95 van elk geval stabiel is op %s%% (batch means, 20 batches); bereikt: %s.",
			nl(decimal.NewFromFloat(raming.AutoTolerance*100), 1), yesNo(sim.Converged))
	}
	s.note(fmt.Sprintf("%s iteraties, seed %d. Elke iteratie trekt de onzekere aannames (hieronder, met hun verdeling) en rekent alle varianten op dezelfde trekkingen door. "+
		"Bedragen excl. uitvoering, afgerond op de cijfers die stabiel zijn bij hun standaardfout (SE). Berekend door de tool voor de aannames van de run: "+
		"dit blad volgt een wijziging op het blad Aannames niet.%s", nl(decimal.NewFromInt(int64(sim.Iterations)), 0), sim.Seed, conv), styleNote)
	s.note(raming.PercentileDefinition, styleNote)
	s.note(bandNote(wb.res), styleNote)
	s.row()

	// Spread per case.
	cols := []string{"Geval", "Omschrijving", "Raming", "Gem.", "SD"}
	for _, p := range sim.Percentiles {
		cols = append(cols, fmt.Sprintf("P%g", p))
	}
	cols = append(cols, "Pct. raming", "SE P95")
	s.row(wb.text("Spreiding per geval (€ mln)", styleSection))
	head(cols...)
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			if wb.cells.hiddenCase(&c) {
				continue
			}
			cs := simCase(sim, c.ID)
			st := cs.TotalStats
			r := []any{c.ID, wb.text(c.Label, styleWrap), money(cs.Point), money(st.MeanStable), money(st.SD)}
			for _, p := range st.Percentiles {
				r = append(r, money(p.Stable))
			}
			s.row(append(r, wb.cell(cs.PointPercentile, styleRank), money(st.SEAt(95)))...)
		}
	}
	s.row()

	// Comparisons.
	s.row(wb.text("Vergelijking van varianten (centrale gevallen, zelfde trekkingen): X − Y, € mln", styleSection))
	head("X − Y", "", "Gem.", "P5", "P50", "P95", "Kans X duurder")
	for _, c := range sim.Comparisons {
		if wb.cells.hiddenVariant(wb.res.Variant(c.X)) || wb.cells.hiddenVariant(wb.res.Variant(c.Y)) {
			continue
		}
		s.row(c.X+" − "+c.Y, nil, money(c.Diff.MeanStable), money(c.Diff.Percentiles[idx(sim.Percentiles, 5)].Stable),
			money(c.Diff.Percentiles[idx(sim.Percentiles, 50)].Stable), money(c.Diff.Percentiles[idx(sim.Percentiles, 95)].Stable), wb.cell(c.PXMore, styleShare))
	}
	s.row()

	// Inputs.
	s.row(wb.text("Onzekere aannames", styleSection))
	// The distribution's text runs on into the empty columns to its right.
	s.row(append(headCells("Sleutel", "Aanname", "Waarde", "P5", "P50", "P95"), wb.text("Verdeling", styleBoldIndent))...)
	entries := map[string]scenario.Entry{}
	for _, e := range wb.res.Scenario.Entries() {
		entries[e.ID] = e
	}
	for _, in := range sim.Inputs {
		e := entries[in.ID]
		style := wb.drawStyle(e.Unit)
		s.row(in.ID, wb.text(e.Label, styleWrap), excelize.Cell{Value: num(e.Value), StyleID: style},
			excelize.Cell{Value: in.Stats.At(5), StyleID: style}, excelize.Cell{Value: in.Stats.At(50), StyleID: style},
			excelize.Cell{Value: in.Stats.At(95), StyleID: style}, wb.text(distributionNL(wb.res, e), styleIndent))
	}
	s.note("Waarom elke aanname onzeker is en waar de bandbreedte vandaan komt: zie het scenario (raming scenario show) en docs/methodology.md. "+
		"Een aanname zonder bandbreedte staat vast.", styleNote)

	// Sensitivity per central case, with a tornado chart each.
	for _, v := range wb.res.Variants {
		if wb.cells.hiddenID(v.CentralCase) {
			continue
		}
		cs := simCase(sim, v.CentralCase)
		s.pageBreak()
		s.row(wb.text("Gevoeligheid "+v.ID+" ("+v.CentralCase+"): rangcorrelatie (Spearman) van elke aanname met de totale kosten", styleSection))
		h := head("Sleutel", "Aanname", "ρ")
		n := 0
		for _, sens := range cs.Sensitivity {
			if math.Abs(sens.Rho) < 0.05 {
				continue // indistinguishable from noise at these iteration counts
			}
			s.row(sens.InputID, wb.text(inputLabelFull(wb.res, sens.InputID), styleWrap), wb.cell(sens.Rho, styleRatio))
			n++
		}
		if n == 0 {
			s.note("geen aanname met |rangcorrelatie| ≥ 0,05", styleNote)
			continue
		}
		s.row()
		s.chart(cellName(2, s.next()), &excelize.Chart{Type: excelize.Bar,
			Series: []excelize.ChartSeries{{Name: "Rangcorrelatie", Categories: s.span(2, h+1, 2, h+n),
				Values: s.span(3, h+1, 3, h+n), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2E75B6"}}}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Gevoeligheid " + v.CentralCase}}},
			Legend:    excelize.ChartLegend{Position: "none"},
			XAxis:     excelize.ChartAxis{ReverseOrder: true},
			YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.0"}},
			Dimension: excelize.ChartDimension{Width: 640, Height: tornadoHeight(n)},
		})
		s.room(tornadoHeight(n))
	}

	// Histogram and S-curve of each variant's central case.
	for _, v := range wb.res.Variants {
		if wb.cells.hiddenID(v.CentralCase) {
			continue
		}
		cs := simCase(sim, v.CentralCase)
		s.pageBreak()
		s.row(wb.text("Verdeling van de totale kosten "+v.ID+" ("+v.CentralCase+"), € mln", styleSection))
		// The charts on the left, one above the other, their table on
		// the right: a variant's page holds both. The histogram's labels
		// (every fifth class, legible on paper) lie beyond the printed
		// columns.
		const table, labels = 9, 16
		hist := cs.TotalStats.Histogram
		curve := curveOf(cs)
		at := func(col int, cells ...any) []any {
			return append(make([]any, col-1), cells...)
		}
		h := s.tall(2, at(table, wb.text("Klasse", styleHeaderR), wb.text("Aantal", styleHeaderR), wb.text("Pct.", styleHeaderR), wb.text("Kosten", styleHeaderR))...)
		chartAt := h
		for i := 0; i < max(len(hist), len(curve)); i++ {
			r := at(table, nil, nil, nil, nil)
			if i < len(hist) {
				mid := mln((hist[i].Low + hist[i].High) / 2)
				r[table-1], r[table] = wb.cell(mid, styleDeckMln), hist[i].Count
				label := ""
				if i%5 == 0 {
					label = strconv.FormatFloat(math.Round(mid), 'f', 0, 64)
				}
				r = append(r, make([]any, labels-len(r)-1)...)
				r = append(r, label)
			}
			if i < len(curve) {
				r[table+1], r[table+2] = curve[i].p, wb.cell(mln(curve[i].x), styleDeckMln)
			}
			s.row(r...)
		}
		for s.next() < chartAt+31 {
			s.row()
		}
		s.chart(cellName(1, chartAt), &excelize.Chart{Type: excelize.Col,
			Series: []excelize.ChartSeries{{Name: v.CentralCase, Categories: s.span(labels, h+1, labels, h+len(hist)),
				Values: s.span(table+1, h+1, table+1, h+len(hist)), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2E75B6"}}}},
			Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Histogram totale kosten " + v.CentralCase + " (€ mln)"}}},
			Legend: excelize.ChartLegend{Position: "none"},
			// Upright labels: a class is too narrow for three digits side by side.
			XAxis:     excelize.ChartAxis{Alignment: excelize.Alignment{TextRotation: -90}},
			GapWidth:  ptr(uint(10)),
			Dimension: excelize.ChartDimension{Width: 780, Height: 250},
		})
		s.chart(cellName(1, chartAt+16), &excelize.Chart{Type: excelize.Scatter,
			Series: []excelize.ChartSeries{{Name: v.CentralCase, Categories: s.span(table+3, h+1, table+3, h+len(curve)),
				Values: s.span(table+2, h+1, table+2, h+len(curve)), Marker: excelize.ChartMarker{Symbol: "none"},
				Line: excelize.LineOptions{Type: excelize.LineSolid, Width: 2, Smooth: true}}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "S-curve " + v.CentralCase + ": kans dat de kosten niet hoger zijn (%)"}}},
			Legend:    excelize.ChartLegend{Position: "none"},
			YAxis:     excelize.ChartAxis{Minimum: ptr(0.0), Maximum: ptr(100.0)},
			XAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0"}, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "€ mln"}}}},
			Dimension: excelize.ChartDimension{Width: 780, Height: 250},
		})
	}
	return nil
}

// curvePoint is one point of an S-curve: percentile p and cost x.
type curvePoint struct {
	p int
	x float64
}

// curveOf is a case's S-curve as printed: P1, P5, P10, ..., P95, P99 of
// its percentiles P1..P99 (enough points for a smooth curve, and a table
// that fits beside the histogram).
func curveOf(cs raming.CaseSim) []curvePoint {
	out := []curvePoint{{1, cs.Curve[0]}}
	for p := 5; p <= 95; p += 5 {
		out = append(out, curvePoint{p, cs.Curve[p-1]})
	}
	return append(out, curvePoint{99, cs.Curve[98]})
}

// distributionNL names an assumption's distribution in Dutch, with its
// point kind.
func distributionNL(res *raming.Result, e scenario.Entry) string {
	u := e.Uncertainty
	if u.MovesWith != "" {
		return "beweegt mee met " + inputLabelFull(res, u.MovesWith)
	}
	names := map[scenario.Distribution]string{scenario.Uniform: "uniform", scenario.Triangular: "driehoek", scenario.PERT: "PERT",
		scenario.Beta: "bèta", scenario.Normal: "normaal (afgekapt)", scenario.LogNormal: "lognormaal", scenario.Discrete: "discreet"}
	name := names[u.Kind(e.Unit)]
	switch u.Point.Kind() {
	case scenario.PointBase:
		return name + "; waarde is ondergrens (risico naar boven)"
	case scenario.PointStated:
		return name + " (zoals opgegeven)"
	}
	return name + "; waarde is mediaan"
}

// inputLabelFull is an assumption's Dutch label as written: that of the
// simulation's input, or else of the scenario's entry.
func inputLabelFull(res *raming.Result, id string) string {
	if mc := res.MonteCarlo; mc != nil {
		for _, in := range mc.Inputs {
			if in.ID == id {
				return in.Label
			}
		}
	}
	for _, e := range res.Scenario.Entries() {
		if e.ID == id {
			return e.Label
		}
	}
	return id
}

// tornadoHeight is the height in pixels of a tornado chart with n bars.
func tornadoHeight(n int) uint { return uint(max(160, 28*n+80)) }

// band writes the band of each variant (its central case) beside its
// point estimate, in EUR mln: P5, P50, P80, P90, P95, the point estimate's
// percentile rank, and how much of P50 − raming comes from inputs with
// upside risk only (growth of the reporting population). A chart shows
// the band (a stacked column of P5, transparent, and P95 − P5) with
// markers for P50, the point estimate and the deck's range; its data lie
// in columns beyond the printed area.
func (wb *workbook) band(s *sheet) {
	sim := wb.res.MonteCarlo
	dec := func(x float64) excelize.Cell { return wb.cell(x, styleDeckMln) }
	s.pageBreak()
	s.row(wb.text("Onzekerheid per variant (centraal geval, Monte Carlo), € mln", styleSection))
	cols := []string{"P5", "P50", "P80", "P90", "P95", "Raming op percentiel", "P50 − raming"}
	for _, id := range sim.Risks {
		cols = append(cols, "waarvan "+inputLabel(wb.res, id))
	}
	s.printCols = 3 + len(cols)
	s.cols = s.printCols
	chart := s.printCols + 2 // first column of the chart's data
	head := []any{wb.text("Variant", styleHeader), wb.text("Centraal geval", styleHeader), wb.text("Raming", styleHeaderR)}
	for _, h := range cols {
		head = append(head, wb.text(h, styleHeaderR))
	}
	for len(head) < chart-1 {
		head = append(head, nil)
	}
	for _, h := range []string{"P5", "P95 − P5", "P50", "Raming", "Deck laag", "Deck hoog"} {
		head = append(head, wb.text(h, styleHeaderR))
	}
	bandHead := s.row(head...)
	for _, v := range wb.res.Variants {
		if wb.cells.hiddenID(v.CentralCase) {
			continue
		}
		cs := sim.Case(v.CentralCase)
		st := cs.TotalStats
		point := wb.formulaCell(wb.ref(refTotal(cs.CaseID))+"/1000000", mln(cs.Point), styleDeckMln)
		r := []any{v.ID, v.CentralCase, point, dec(mln(st.At(5))), dec(mln(st.At(50))), dec(mln(st.At(80))), dec(mln(st.At(90))),
			dec(mln(st.At(95))), wb.cell(cs.PointPercentile, styleRank), dec(mln(st.At(50) - cs.Point))}
		for _, risk := range cs.Risks {
			r = append(r, dec(mln(risk.Contribution)))
		}
		for len(r) < chart-1 {
			r = append(r, nil)
		}
		r = append(r, dec(mln(st.At(5))), dec(mln(st.At(95)-st.At(5))), dec(mln(st.At(50))), dec(mln(cs.Point)))
		if v.Deck.Text != "" {
			r = append(r, dec(v.Deck.Low.InexactFloat64()), dec(v.Deck.High.InexactFloat64()))
		}
		s.row(r...)
	}
	first, last := bandHead+1, bandHead+len(wb.res.Variants)
	s.note(bandNote(wb.res), styleNote)
	ref := func(col int) string { return s.span(col, first, col, last) }
	name := func(col int) string { return s.abs(col, bandHead) }
	cats := ref(1)
	band := &excelize.Chart{Type: excelize.ColStacked,
		Series: []excelize.ChartSeries{
			{Name: name(chart), Categories: cats, Values: ref(chart), Fill: excelize.Fill{Type: "pattern", Pattern: 0}},
			{Name: name(chart + 1), Categories: cats, Values: ref(chart + 1), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"9DC3E6"}}},
		},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Varianten: P5–P95 (band), P50, raming en deck (€ mln)"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0"}},
		Dimension: excelize.ChartDimension{Width: 720, Height: 340},
	}
	var points []excelize.ChartSeries
	for _, p := range []struct {
		col           int
		symbol, color string
	}{{chart + 2, "diamond", "1F4E79"}, {chart + 3, "triangle", "C00000"}, {chart + 4, "dash", "404040"}, {chart + 5, "dash", "404040"}} {
		points = append(points, excelize.ChartSeries{Name: name(p.col), Categories: cats, Values: ref(p.col),
			Marker: excelize.ChartMarker{Symbol: p.symbol, Size: 9, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{p.color}}},
			Line:   excelize.LineOptions{Type: excelize.LineNone}})
	}
	s.row()
	s.chart(cellName(2, s.next()), band, &excelize.Chart{Type: excelize.Line, Series: points})
	s.room(340)
}

// bandNote says in words what the band is around and why the point
// estimate sits where it sits in it.
func bandNote(res *raming.Result) string {
	sim := res.MonteCarlo
	note := fmt.Sprintf("De band beschrijft %s trekkingen van de onzekere aannames rond de raming: een aanname met een bandbreedte heeft haar waarde als mediaan", nl(decimal.NewFromInt(int64(sim.Iterations)), 0))
	if len(sim.Risks) > 0 {
		var names []string
		for _, id := range sim.Risks {
			names = append(names, inputLabel(res, id))
		}
		note += ", behalve " + strings.Join(names, ", ") + ": dat is een risico dat alleen omhoog kan (de raming gaat uit van de ondergrens), zodat P50 boven de raming ligt; " +
			"de kolom 'waarvan' geeft hoeveel (P50 met en zonder dat risico; de rest van de onzekerheid kan de P50 ook omlaag trekken, zodat 'waarvan' groter kan zijn dan het verschil zelf)"
	}
	var stated []string
	for _, in := range sim.Inputs {
		if in.Point == scenario.PointStated {
			stated = append(stated, inputLabel(res, in.ID))
		}
	}
	if len(stated) > 0 {
		note += "; " + strings.Join(stated, ", ") + " heeft de verdeling zoals het scenario die opgeeft, niet om de waarde heen (zie Onzekerheid), zodat de raming daar buiten het midden van de band kan liggen"
	}
	note += "."
	if rounded(res) {
		note += " De afrondingen van het deck (~4k enz.) gelden ook in de trekkingen, als dezelfde verhouding tot het exacte cijfer: de band ligt om de cijfers van het deck."
	}
	return note
}

// rounded reports whether any quantity of the result uses the deck's rounding.
func rounded(res *raming.Result) bool {
	for _, q := range res.Quantities {
		if q.Rounded != nil {
			return true
		}
	}
	return false
}

// inputLabel is an assumption's Dutch label, lower case, for a sentence.
func inputLabel(res *raming.Result, id string) string {
	return words.LowerFirst(inputLabelFull(res, id))
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee (maximum aantal iteraties bereikt)"
}

func idx(ps []float64, p float64) int { return slices.Index(ps, p) }
