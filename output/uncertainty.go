package output

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"raming/raming"
)

const sheetUncertainty = "Onzekerheid"

// mln converts euros to EUR million for chart tables.
func mln(x float64) float64 { return x / 1e6 }

// uncertainty writes the Monte Carlo results: the spread of every case, the
// variants' bands beside the deck's ranges, the pairwise comparisons, the
// inputs, the sensitivity (with a tornado chart per variant) and the
// histograms of the central cases. Figures are rounded to the digits that are
// stable at their standard error, which stands beside them.
func (wb *workbook) uncertainty(s *sheet) error {
	sim := wb.res.MonteCarlo
	s.width(1, 1, 30)
	s.width(2, 2, 16)
	s.width(3, 14, 15)
	add := func(r []any) int { return s.row(r...) }
	head := func(cells ...string) int {
		r := []any{wb.text(cells[0], "header")}
		for _, c := range cells[1:] {
			r = append(r, wb.text(c, "headerR"))
		}
		return add(r)
	}
	eur := func(x float64) any {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil // a standard error needs at least 40 iterations
		}
		return excelize.Cell{Value: x, StyleID: wb.styles["eur0"]}
	}
	pct := func(x float64) excelize.Cell { return excelize.Cell{Value: x, StyleID: wb.styles["share"]} }
	dec := func(x float64) excelize.Cell { return excelize.Cell{Value: x, StyleID: wb.styles["deckMln"]} }

	add([]any{wb.text("Onzekerheid (Monte Carlo)", "title")})
	conv := ""
	if sim.Auto {
		conv = fmt.Sprintf(" Automatisch: doorgerekend tot de P95 van elk geval stabiel is op %.1f%% (batch means, 20 batches); bereikt: %s.", raming.AutoTolerance*100, yesNo(sim.Converged))
	}
	add([]any{wb.text(fmt.Sprintf("%d iteraties, seed %d. Elke iteratie trekt de onzekere aannames (blad Aannames, bron per verdeling hieronder) en rekent alle varianten op dezelfde trekkingen door. "+
		"Bedragen in euro excl. uitvoering, afgerond op de cijfers die stabiel zijn bij hun standaardfout (SE). De afrondingen van het deck gelden niet in de simulatie.%s", sim.Iterations, sim.Seed, conv), "note")})
	add([]any{wb.text(raming.PercentileDefinition, "note")})
	add(nil)

	// Spread per case.
	cols := []string{"Geval", "Deterministisch", "Gemiddelde", "SE gemiddelde"}
	for _, p := range sim.Percentiles {
		cols = append(cols, fmt.Sprintf("P%g", p))
	}
	cols = append(cols, "SE P95")
	head(cols...)
	for _, v := range wb.res.Variants {
		for _, c := range v.Cases {
			st := simCase(sim, c.ID).TotalStats
			r := []any{c.ID + ": " + c.Label, excelize.Cell{Value: num(c.Total.Value), StyleID: wb.styles["eur0"]},
				eur(st.MeanStable), eur(st.SE)}
			var se95 float64
			for _, p := range st.Percentiles {
				r = append(r, eur(p.Stable))
				if p.P == 95 {
					se95 = p.SE
				}
			}
			add(append(r, eur(se95)))
		}
	}
	add(nil)

	// Comparisons.
	add([]any{wb.text("Vergelijking van varianten (centrale gevallen, zelfde trekkingen): X − Y", "section")})
	head("X − Y", "Gemiddeld verschil", "P5", "P50", "P95", "Kans X duurder dan Y")
	for _, c := range sim.Comparisons {
		add([]any{c.X + " − " + c.Y, eur(c.Diff.MeanStable), eur(c.Diff.Percentiles[idx(sim.Percentiles, 5)].Stable),
			eur(c.Diff.Percentiles[idx(sim.Percentiles, 50)].Stable), eur(c.Diff.Percentiles[idx(sim.Percentiles, 95)].Stable), pct(c.PXMore)})
	}
	add(nil)

	// Inputs.
	add([]any{wb.text("Onzekere aannames", "section")})
	head("Aanname", "Verdeling", "Puntwaarde", "P5", "P50", "P95")
	entries := map[string]float64{}
	for _, e := range wb.res.Scenario.Entries() {
		entries[e.ID] = num(e.Value)
	}
	for _, in := range sim.Inputs {
		add([]any{in.ID, in.Distribution, excelize.Cell{Value: entries[in.ID], StyleID: wb.unitStyle(wb.units[in.ID])},
			excelize.Cell{Value: in.Stats.At(5), StyleID: wb.unitStyle(wb.units[in.ID])},
			excelize.Cell{Value: in.Stats.At(50), StyleID: wb.unitStyle(wb.units[in.ID])},
			excelize.Cell{Value: in.Stats.At(95), StyleID: wb.unitStyle(wb.units[in.ID])}})
	}
	add([]any{wb.text("Waarom elke aanname onzeker is en waar de bandbreedte vandaan komt: zie het scenario (raming scenario show) en docs/methodology.md.", "note")})
	add(nil)

	// Sensitivity per central case, with a tornado chart each.
	for _, vs := range sim.Variants {
		cs := simCase(sim, vs.CentralCase)
		add([]any{wb.text("Gevoeligheid "+vs.ID+" ("+vs.CentralCase+"): rangcorrelatie (Spearman) van elke aanname met de totale kosten", "section")})
		h := head("Aanname", "Rangcorrelatie")
		n := 0
		for _, s := range cs.Sensitivity {
			if math.Abs(s.Rho) < 0.05 {
				continue // indistinguishable from noise at these iteration counts
			}
			add([]any{s.InputID, excelize.Cell{Value: s.Rho, StyleID: wb.styles["ratio"]}})
			n++
		}
		if n == 0 {
			add([]any{wb.text("geen aanname met |rangcorrelatie| ≥ 0,05", "note")})
		} else {
			tornado := &excelize.Chart{Type: excelize.Bar,
				Series: []excelize.ChartSeries{{Name: "Rangcorrelatie", Categories: s.span(1, h+1, 1, h+n),
					Values: s.span(2, h+1, 2, h+n), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2E75B6"}}}},
				Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Gevoeligheid " + vs.CentralCase}}},
				Legend:    excelize.ChartLegend{Position: "none"},
				XAxis:     excelize.ChartAxis{ReverseOrder: true},
				Dimension: excelize.ChartDimension{Width: 480, Height: tornadoHeight(n)},
			}
			s.chart(cellName(4, h), tornado)
		}
		for len(s.rows) < h+max(n, int(tornadoHeight(n))/20+1) {
			s.row()
		}
	}

	// Histograms of the central cases.
	add([]any{wb.text("Histogrammen (centrale gevallen): klassen in € mln, aantal trekkingen", "section")})
	hh := []string{}
	for _, vs := range sim.Variants {
		hh = append(hh, vs.CentralCase+" midden", vs.CentralCase+" aantal")
	}
	h := head(hh...)
	bins := 0
	for _, vs := range sim.Variants {
		bins = max(bins, len(vs.Stats.Histogram))
	}
	for b := 0; b < bins; b++ {
		var r []any
		for _, vs := range sim.Variants {
			if b < len(vs.Stats.Histogram) {
				bin := vs.Stats.Histogram[b]
				r = append(r, dec(mln((bin.Low+bin.High)/2)), bin.Count)
			} else {
				r = append(r, nil, nil)
			}
		}
		add(r)
	}
	for k, vs := range sim.Variants {
		n := len(vs.Stats.Histogram)
		hist := &excelize.Chart{Type: excelize.Col,
			Series: []excelize.ChartSeries{{Name: vs.CentralCase, Categories: s.span(1+2*k, h+1, 1+2*k, h+n),
				Values: s.span(2+2*k, h+1, 2+2*k, h+n), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2E75B6"}}}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Totale kosten " + vs.CentralCase + " (€ mln)"}}},
			Legend:    excelize.ChartLegend{Position: "none"},
			GapWidth:  ptr(uint(10)),
			Dimension: excelize.ChartDimension{Width: 420, Height: 240},
		}
		s.chart(cellName(1+(k%3)*5, h+bins+2+(k/3)*14), hist)
	}
	return nil
}

// tornadoHeight is the height in pixels of a tornado chart with n bars.
func tornadoHeight(n int) uint { return uint(max(160, 28*n+80)) }

// band writes the band of each variant (its central case) beside its
// point estimate, in EUR mln, and charts it on the sheet: a stacked column
// of P5 (transparent) and P95 − P5 makes the band, with markers for P50,
// the point estimate and the deck's range. Beside it: the point
// estimate's percentile rank and how much of P50 − raming comes from
// inputs with upside risk only (growth of the reporting population).
func (wb *workbook) band(s *sheet) {
	sim := wb.res.MonteCarlo
	dec := func(x float64) excelize.Cell { return wb.cell(x, "deckMln") }
	s.row(wb.text("Onzekerheidsband per variant (centraal geval), € mln", "section"))
	head := []any{wb.text("Variant", "header")}
	cols := []string{"P5", "P95 − P5", "P50", "P95", "Raming", "Deck laag", "Deck hoog", "Gemiddelde", "P80", "P90",
		"Raming op percentiel", "P50 − raming"}
	for _, id := range sim.Risks {
		cols = append(cols, "waarvan "+inputLabel(wb.res, id))
	}
	for _, h := range cols {
		head = append(head, wb.text(h, "headerR"))
	}
	bandHead := s.row(head...)
	for _, v := range wb.res.Variants {
		cs := sim.Case(v.CentralCase)
		st := cs.TotalStats
		r := []any{v.ID + " (" + v.CentralCase + ")", dec(mln(st.At(5))), dec(mln(st.At(95) - st.At(5))), dec(mln(st.At(50))), dec(mln(st.At(95))),
			dec(mln(cs.Point))}
		if v.Deck.Text != "" {
			r = append(r, dec(v.Deck.Low.InexactFloat64()), dec(v.Deck.High.InexactFloat64()))
		} else {
			r = append(r, nil, nil)
		}
		r = append(r, dec(mln(st.Mean)), dec(mln(st.At(80))), dec(mln(st.At(90))), wb.cell(cs.PointPercentile/100, "share"),
			dec(mln(st.At(50)-cs.Point)))
		for _, risk := range cs.Risks {
			r = append(r, dec(mln(risk.Contribution)))
		}
		s.row(r...)
	}
	first, last := bandHead+1, bandHead+len(wb.res.Variants)
	s.row(wb.text(bandNote(wb.res), "note"))
	ref := func(col int) string { return s.span(col, first, col, last) }
	name := func(col int) string { return s.abs(col, bandHead) }
	cats := ref(1)
	band := &excelize.Chart{Type: excelize.ColStacked,
		Series: []excelize.ChartSeries{
			{Name: name(2), Categories: cats, Values: ref(2), Fill: excelize.Fill{Type: "pattern", Pattern: 0}},
			{Name: name(3), Categories: cats, Values: ref(3), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"9DC3E6"}}},
		},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Varianten: P5–P95 (band), P50, raming en deck (€ mln)"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
	}
	var points []excelize.ChartSeries
	for _, p := range []struct {
		col    int
		symbol string
	}{{4, "diamond"}, {6, "triangle"}, {7, "dash"}, {8, "dash"}} {
		points = append(points, excelize.ChartSeries{Name: name(p.col), Categories: cats, Values: ref(p.col),
			Marker: excelize.ChartMarker{Symbol: p.symbol, Size: 8}, Line: excelize.LineOptions{Width: 0.25}})
	}
	s.row()
	s.chart(cellName(2, s.next()), band, &excelize.Chart{Type: excelize.Line, Series: points})
}

// bandNote says in words what the band is around and why the point
// estimate sits where it sits in it.
func bandNote(res *raming.Result) string {
	sim := res.MonteCarlo
	note := fmt.Sprintf("De band beschrijft %d trekkingen van de onzekere aannames rond de raming: een aanname met een bandbreedte heeft haar waarde als mediaan", sim.Iterations)
	if len(sim.Risks) > 0 {
		var names []string
		for _, id := range sim.Risks {
			names = append(names, inputLabel(res, id))
		}
		note += ", behalve " + strings.Join(names, ", ") + ": dat is een risico dat alleen omhoog kan (de raming gaat uit van de ondergrens), zodat P50 boven de raming ligt; de kolom 'waarvan' geeft hoeveel"
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

// inputLabel is an assumption's Dutch label.
func inputLabel(res *raming.Result, id string) string {
	for _, e := range res.Scenario.Entries() {
		if e.ID == id {
			return lowerFirst(e.Label)
		}
	}
	return id
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee (maximum aantal iteraties bereikt)"
}

func idx(ps []float64, p float64) int { return slices.Index(ps, p) }
