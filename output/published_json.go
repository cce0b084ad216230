package output

import "raming/raming"

// jsonPublished sets published figures beside the estimate of the same
// scope, for the case that models the scheme as adopted (JSON "published").
type jsonPublished struct {
	Origin  string                `json:"origin"`
	SHA256  string                `json:"sha256"`
	Variant string                `json:"variant"`
	Case    string                `json:"case"`
	Figures []jsonPublishedFigure `json:"figures"`
}

// jsonPublishedFigure is one published figure and the estimate beside it.
// Amounts are in euros (value_base, estimate, difference, band) or persons,
// whatever the figure's own unit; value is as the source gives it.
type jsonPublishedFigure struct {
	ID        string  `json:"id"`
	Year      int     `json:"year"`
	Line      string  `json:"line"`
	Value     string  `json:"value"`
	Unit      string  `json:"unit"`
	ValueBase string  `json:"value_base"`
	Low       *string `json:"low_base"`
	High      *string `json:"high_base"`
	Source    string  `json:"source"`
	Note      string  `json:"note,omitempty"`
	Secondary bool    `json:"secondary"`
	Compare   string  `json:"compare"`
	// CompareLabel says in Dutch which figure of the tool stands beside it.
	CompareLabel string `json:"compare_label"`
	ScopeNote    string `json:"scope_note,omitempty"`
	// Estimate is null when the tool has no figure of the same scope.
	Estimate   *string `json:"estimate"`
	Difference *string `json:"difference"`
	// InRange says whether the estimate lies within the source's range
	// (null when the source gives one figure or there is no estimate).
	InRange *bool               `json:"in_range"`
	Parts   []jsonPublishedPart `json:"parts,omitempty"`
	Band    *jsonPublishedBand  `json:"monte_carlo,omitempty"`
}

// jsonPublishedBand is the Monte Carlo band of an estimate's scope.
type jsonPublishedBand struct {
	P5  string `json:"p5"`
	P50 string `json:"p50"`
	P95 string `json:"p95"`
}

// jsonPublishedPart is a component of a total that covers what the tool
// leaves out; Value is null for a part the tool does not estimate.
type jsonPublishedPart struct {
	Label string  `json:"label"`
	Value *string `json:"value"`
}

// publishedJSON is res.Published as JSON (nil when not asked for).
// publishedJSON renders the published figures beside the estimate;
// hidden says the case compared with is small-cell suppressed (its
// estimate, difference and band are then left out).
func publishedJSON(p *raming.Published, hidden bool) *jsonPublished {
	if p == nil {
		return nil
	}
	out := &jsonPublished{Origin: p.Set.Origin, SHA256: p.Set.SHA256, Variant: p.VariantID, Case: p.CaseID}
	for _, pc := range p.Comparisons {
		f := pc.Figure
		j := jsonPublishedFigure{ID: f.ID, Year: f.Year, Line: f.Line, Value: f.Value.String(), Unit: f.Unit.String(),
			ValueBase: money(f.BaseValue()), Source: f.Source, Note: f.Note, Secondary: f.Secondary,
			Compare: f.Compare.String(), CompareLabel: f.Compare.Label(), ScopeNote: f.ScopeNote}
		lo, hi, hasRange := f.BaseRange()
		if hasRange {
			j.Low, j.High = optMoney(true, lo), optMoney(true, hi)
		}
		if pc.Known && !hidden {
			j.Estimate, j.Difference = optMoney(true, pc.Estimate), optMoney(true, pc.Difference)
			if hasRange {
				j.InRange = &pc.InRange
			}
		}
		for _, part := range pc.Parts {
			j.Parts = append(j.Parts, jsonPublishedPart{Label: part.Label, Value: optMoney(part.Known && !hidden, part.Value)})
		}
		if b := pc.Band; b != nil && !hidden {
			j.Band = &jsonPublishedBand{P5: euros(b[0]), P50: euros(b[1]), P95: euros(b[2])}
		}
		out.Figures = append(out.Figures, j)
	}
	return out
}

// publishedCaseID is the case published figures are compared with ("" without any).
func publishedCaseID(p *raming.Published) string {
	if p == nil {
		return ""
	}
	return p.CaseID
}
