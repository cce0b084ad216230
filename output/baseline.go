package output

import "raming/raming"

// jsonBaseline is the comparison with a previous summary (--baseline), as
// raming.Compare computes it; see raming.Baseline. Amounts are strings
// with two decimals; a figure that cannot be given is null.
type jsonBaseline struct {
	File string `json:"file"`
	// ScenarioChanged and DataChanged compare the SHA-256 of the inputs.
	ScenarioChanged bool `json:"scenario_changed"`
	DataChanged     bool `json:"data_changed"`
	// Attribution is false when the previous summary carries no readable
	// scenario, so the split into causes could not be made.
	Attribution bool                  `json:"attribution"`
	Note        string                `json:"note,omitempty"`
	RowsBefore  int                   `json:"rows_used_before"`
	RowsNow     int                   `json:"rows_used"`
	Funnel      []jsonBaselineFunnel  `json:"funnel"`
	Variants    []jsonBaselineVariant `json:"variants"`
	Cases       []jsonBaselineCase    `json:"cases"`
}

// jsonBaselineFunnel is one funnel step before and now.
type jsonBaselineFunnel struct {
	Step   string `json:"step"`
	Before string `json:"before"`
	Now    string `json:"now"`
}

// jsonBaselineVariant is a variant's range before and now.
type jsonBaselineVariant struct {
	ID              string `json:"id"`
	TotalLowBefore  string `json:"total_low_before"`
	TotalLow        string `json:"total_low"`
	TotalLowDelta   string `json:"total_low_delta"`
	TotalHighBefore string `json:"total_high_before"`
	TotalHigh       string `json:"total_high"`
	TotalHighDelta  string `json:"total_high_delta"`
}

// jsonBaselineCase is a case's total before and now, with the change split
// into causes, and its Monte Carlo P50 with the noise flag.
type jsonBaselineCase struct {
	ID             string  `json:"id"`
	TotalBefore    *string `json:"total_before"`
	Total          *string `json:"total"`
	Delta          *string `json:"delta"`
	DataEffect     *string `json:"data_effect"`
	ScenarioEffect *string `json:"scenario_effect"`
	P50Before      *string `json:"p50_before"`
	P50            *string `json:"p50"`
	P50Delta       *string `json:"p50_delta"`
	// P50Noise is true when the P50 moved by less than 1.96 × the combined
	// standard errors of the two runs: not a real change.
	P50Noise *bool `json:"p50_noise"`
}

// baselineJSON renders a comparison for the summary; a case that is
// small-cell suppressed in res, and the range of a variant that is, are
// left out.
func baselineJSON(b *raming.Baseline, res *raming.Result, cells *smallCells) *jsonBaseline {
	if b == nil {
		return nil
	}
	j := &jsonBaseline{File: b.File, ScenarioChanged: b.ScenarioChanged, DataChanged: b.DataChanged, Attribution: b.Attribution,
		Note: b.Note, RowsBefore: b.RowsBefore, RowsNow: b.Rows}
	for _, f := range b.Funnel {
		now := ""
		if f.NowKnown {
			now = count(f.Now)
		}
		if q := cells.qs[f.Step]; q != nil && cells.hiddenQuantity(q) {
			continue // a small count now: not shown, nor its change
		}
		j.Funnel = append(j.Funnel, jsonBaselineFunnel{Step: f.Step, Before: count(f.Before), Now: now})
	}
	for _, v := range b.Variants {
		if rv := res.Variant(v.ID); rv != nil && cells.hiddenVariant(rv) {
			continue
		}
		j.Variants = append(j.Variants, jsonBaselineVariant{ID: v.ID, TotalLowBefore: money(v.LowBefore), TotalLow: money(v.Low),
			TotalLowDelta: money(v.Low.Sub(v.LowBefore)), TotalHighBefore: money(v.HighBefore), TotalHigh: money(v.High),
			TotalHighDelta: money(v.High.Sub(v.HighBefore))})
	}
	for _, c := range b.Cases {
		if cells.hiddenID(c.ID) {
			continue
		}
		bc := jsonBaselineCase{ID: c.ID, Total: ptr(money(c.Total))}
		if c.Had {
			bc.TotalBefore, bc.Delta = ptr(money(c.TotalBefore)), ptr(money(c.Delta()))
		}
		if c.Attributed {
			bc.DataEffect, bc.ScenarioEffect = ptr(money(c.DataEffect)), ptr(money(c.ScenarioEffect))
		}
		if c.Simulated {
			bc.P50 = ptr(euros(c.P50))
		}
		if c.P50Compared {
			bc.P50Before, bc.P50Delta, bc.P50Noise = ptr(euros(c.P50Before)), ptr(euros(c.P50-c.P50Before)), ptr(c.P50Noise)
		}
		j.Cases = append(j.Cases, bc)
	}
	return j
}
