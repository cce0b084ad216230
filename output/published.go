package output

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/internal/words"
	"raming/published"
	"raming/raming"
)

const sheetPublished = "Gepubliceerde cijfers"

// publishedSheet sets each published figure beside the estimate of the
// same scope for the case that models the adopted scheme: the figure, the
// estimate (a live formula on the variant sheet), their difference, the
// Monte Carlo band of the same scope, and in words where the scope
// differs. Amounts in euros shown as € mln; numbers of people as counts.
func (wb *workbook) publishedSheet(s *sheet) error {
	pub := wb.res.Published
	c := *wb.res.Case(pub.CaseID)
	s.width(1, 1, 6)
	s.width(2, 2, 28)
	s.width(3, 3, 13)
	s.width(4, 4, 12)
	s.width(5, 5, 22)
	s.width(6, 6, 11)
	s.width(7, 7, 12)
	s.width(8, 8, 16)
	s.width(9, 9, 33)
	s.cols, s.printCols = 9, 9
	s.row(wb.text("Gepubliceerde cijfers naast de raming", styleTitle))
	s.note(fmt.Sprintf("Elk gepubliceerd cijfer naast het cijfer van de raming met dezelfde reikwijdte, voor geval %s (%s). "+
		"Cijfers: %s (sha256 %s…). Bedragen in € mln, aantallen in personen. De raming is excl. uitvoering en excl. schuldenaanpak, zoals het deck; "+
		"waar de reikwijdte verschilt, zegt de kolom Reikwijdte dat. De ramingen zijn formules op het variantblad en volgen een wijziging van de aannames; "+
		"de band (Monte Carlo) niet.", c.ID, c.Label, publishedOriginNL(pub.Set.Origin), pub.Set.SHA256[:12]), styleNote)
	s.row()
	h := s.row(wb.text("Jaar", styleHeader), wb.text("Gepubliceerd cijfer", styleHeader), wb.text("Gepubliceerd", styleHeaderR),
		wb.text("Bandbreedte bron", styleHeaderR), wb.text("Raming met dezelfde reikwijdte", styleHeader), wb.text("Raming", styleHeaderR),
		wb.text("Verschil", styleHeaderR), wb.text("Raming P5 – P95 (Monte Carlo)", styleHeaderR),
		wb.text("Reikwijdte en bron", styleHeader))
	s.titleRows = [2]int{h, h}
	s.freeze(0, h)
	for _, pc := range pub.Comparisons {
		f := pc.Figure
		style := styleMlnTop
		if f.Unit.Base() == published.Persons {
			style = styleCountTop
		}
		rangeText := ""
		if lo, hi, ok := f.BaseRange(); ok {
			rangeText = rangeNL(lo, hi, f.Unit.Base())
		}
		source := "Bron: " + f.Source
		if f.Secondary {
			source += " (secundaire bron)"
		}
		if f.Note != "" {
			source += ". " + f.Note
		}
		scope := f.Compare.Label()
		if f.ScopeNote != "" {
			scope += ". " + f.ScopeNote
		}
		row := s.next()
		cells := []any{wb.cell(f.Year, styleYearTop), wb.text(f.Line, styleWrap), wb.cell(num(f.BaseValue()), style), wb.text(rangeText, styleWrap)}
		if !pc.Known {
			cells = append(cells, wb.text(scope, styleWrap), wb.text("geen cijfer met deze reikwijdte", styleNote), nil, nil)
		} else {
			est := wb.publishedFormula(pc, c)
			cells = append(cells, wb.text(scope, styleWrap), est,
				wb.formulaCell(fmt.Sprintf("%s-%s", cellName(6, row), cellName(3, row)), num(pc.Difference), style), wb.text(bandNL(pc.Band, style), styleWrap))
		}
		s.row(append(cells, wb.text(source, styleWrap))...)
		for _, part := range pc.Parts {
			if part.Known {
				s.row(nil, wb.text("   waarvan "+words.LowerFirst(part.Label), styleWrap), nil, nil, nil, wb.cell(num(part.Value), style))
			} else {
				s.row(nil, wb.text("   waarvan "+words.LowerFirst(part.Label), styleWrap), nil, nil, nil, wb.text("niet geraamd", styleNoteR))
			}
		}
	}
	s.row()
	s.note("Lees de vergelijking zo: een cijfer van een andere reikwijdte is context, geen toets. Het verschil in 2023 gaat vooral over timing "+
		"(wanneer de regeling openging en hoe snel er werd betaald), niet over het totaal; zie docs/backtest.md.", styleNote)
	return nil
}

// publishedFormula is the estimate of a comparison as a live formula on
// the variant sheet, with the engine's figure as its cached value.
func (wb *workbook) publishedFormula(pc raming.PublishedComparison, c raming.Case) excelize.Cell {
	if wb.cells.hiddenCase(&c) {
		return wb.text(complementNL, styleNoteR)
	}
	f := pc.Figure
	switch f.Compare {
	case published.SchemeTotal:
		return wb.formulaCell(wb.ref(refScheme(c.ID)), num(pc.Estimate), styleMlnTop)
	case published.Population:
		return wb.formulaCell(wb.ref(refPopulation(c.ID)), num(pc.Estimate), styleCountTop)
	case published.TotalWithExcluded:
		sum := wb.ref(refTotal(c.ID))
		if ref := wb.executionRef(c); ref != "" {
			sum += "+" + ref
		} else if c.Profile.ExecutionKnown {
			sum += "+" + c.Profile.Execution.String()
		}
		return wb.formulaCell(sum, num(pc.Estimate), styleMlnTop)
	case published.CashYear:
		for _, y := range c.Profile.Years {
			if y.Year != f.Year {
				continue
			}
			one := func(part, total decimal.Decimal) []decimal.Decimal {
				if total.IsZero() {
					return []decimal.Decimal{decimal.Zero}
				}
				return []decimal.Decimal{part.DivRound(total, 16)}
			}
			scheme := spread{ref: wb.ref(refScheme(c.ID)), shares: one(y.Cash.Scheme, c.Scheme.Value), amounts: []decimal.Decimal{y.Cash.Scheme}}.cells(wb, styleMlnTop)[0]
			cws := spread{ref: wb.ref(refCWS(c.ID)), shares: one(y.Cash.CWS, c.CWS.Value), amounts: []decimal.Decimal{y.Cash.CWS}}.cells(wb, styleMlnTop)[0]
			return wb.formulaCell(joinFormulas(scheme.(excelize.Cell), cws.(excelize.Cell)), num(pc.Estimate), styleMlnTop)
		}
	}
	return wb.cell(num(pc.Estimate), styleMlnTop) // a year outside the profile: 0
}

// publishedOriginNL says where a set of published figures was read from.
func publishedOriginNL(origin string) string {
	if name, ok := strings.CutPrefix(origin, "built-in "); ok {
		return "ingebouwde set " + name
	}
	return "bestand " + origin
}

// rangeNL is a source's range in Dutch: "€ 70,0 – 98,0 mln" or "7.000 – 9.800".
func rangeNL(lo, hi decimal.Decimal, base published.Unit) string {
	if base == published.Persons {
		return nl(lo, 0) + " – " + nl(hi, 0)
	}
	mln := decimal.NewFromInt(1_000_000)
	return "€ " + nl(lo.Div(mln), 1) + " – " + nl(hi.Div(mln), 1) + " mln"
}

// bandNL is a Monte Carlo band of a comparison in Dutch ("" without one).
func bandNL(b *[3]float64, style cellStyle) string {
	if b == nil || style != styleMlnTop {
		return ""
	}
	m := func(x float64) string { return nl(decimal.NewFromFloat(x/1e6), 1) }
	return fmt.Sprintf("€ %s – %s mln (P50 %s)", m(b[0]), m(b[2]), m(b[1]))
}
