package raming

import (
	"math"
	"slices"

	"github.com/shopspring/decimal"
)

// Previous is what a comparison needs of an earlier run: output reads it
// from that run's JSON summary (--baseline).
type Previous struct {
	// File names the summary.
	File string
	// ScenarioSHA256 and DataSHA256 identify its inputs ("" without an extract).
	ScenarioSHA256, DataSHA256 string
	// ScenarioText is the earlier run's scenario file ("" if it carries
	// none) and ScenarioSet its --set changes (KEY=VALUE), to evaluate it
	// on tonight's population.
	ScenarioText string
	ScenarioSet  []string
	RowsUsed     int
	// Funnel maps each step to its count, as the summary printed it.
	Funnel []PreviousStep
	// PassedOver are the newer summaries passed over to find this one
	// (--baseline latest), each its file and why it could not be read;
	// the comparison's note names them.
	PassedOver []error
	// Variants and Cases are the earlier figures, by id.
	Variants map[string]PreviousVariant
	Cases    map[string]PreviousCase
}

// PreviousStep is a funnel step of an earlier run.
type PreviousStep struct {
	Step  string
	Count decimal.Decimal
}

// PreviousVariant is a variant's range in an earlier run.
type PreviousVariant struct{ TotalLow, TotalHigh decimal.Decimal }

// PreviousCase is a case of an earlier run: its total and, when it was
// simulated, its P50 with its standard error (NaN when it has none).
type PreviousCase struct {
	Total      decimal.Decimal
	P50, P50SE float64
	// Years are its cash per budget year at its scenario's price level
	// (the summary's per_year), for the suppletoire form's stand.
	Years []PreviousYear
}

// PreviousYear is an earlier run's cash in a budget year: the scheme's
// and the CWS's (excl. uitvoering).
type PreviousYear struct {
	Year        int
	Scheme, CWS decimal.Decimal
}

// Baseline sets tonight's figures beside an earlier run's, and splits
// each change of a case's total into its causes:
//
//	data     = (earlier scenario on tonight's extract) − earlier total
//	scenario = tonight's total − (earlier scenario on tonight's extract)
//
// so data + scenario = the change, exactly. A change of a Monte Carlo P50
// within 1.96 × the combined standard errors is flagged as noise.
// docs/nightly.md explains how to read it.
type Baseline struct {
	File                         string
	ScenarioChanged, DataChanged bool
	// Attribution is false when the earlier run's scenario could not be
	// evaluated on tonight's population, so the split into causes could not
	// be made; Note says why. Note also names the newer summaries passed
	// over (Previous.PassedOver).
	Attribution      bool
	Note             string
	RowsBefore, Rows int
	Funnel           []FunnelChange
	Variants         []VariantChange
	Cases            []CaseChange
}

// FunnelChange is one funnel step before and now.
type FunnelChange struct {
	Step        string
	Before, Now decimal.Decimal
	// NowKnown is false when tonight's funnel has no such step.
	NowKnown bool
}

// VariantChange is a variant's range before and now.
type VariantChange struct {
	ID               string
	LowBefore, Low   decimal.Decimal
	HighBefore, High decimal.Decimal
}

// CaseChange is a case's total before and now, with the change split into
// causes, and its Monte Carlo P50 with the noise flag. Had is false for a
// case the earlier run did not have; Attributed false when the split could
// not be made; Simulated false without tonight's simulation; P50Compared
// false when the earlier run has no P50 with a standard error.
type CaseChange struct {
	ID                         string
	Had, Attributed            bool
	TotalBefore, Total         decimal.Decimal
	DataEffect, ScenarioEffect decimal.Decimal
	Simulated, P50Compared     bool
	P50Before, P50             float64
	P50Noise                   bool
	// YearsBefore are the earlier run's cash per budget year (nil when it
	// did not have the case).
	YearsBefore []PreviousYear
}

// Delta is the change of the case's total (zero when it is new).
func (c CaseChange) Delta() decimal.Decimal { return c.Total.Sub(c.TotalBefore) }

// Compare compares now with an earlier run. dataSHA256 is tonight's
// extract's ("" without one). same is the earlier scenario evaluated on
// tonight's population (nil when it could not be; note says why).
func Compare(before *Previous, now *Result, dataSHA256 string, same *Result, note string) *Baseline {
	c := &Baseline{File: before.File, ScenarioChanged: before.ScenarioSHA256 != now.Scenario.SHA256 || !slices.Equal(before.ScenarioSet, now.Scenario.Settings),
		DataChanged: before.DataSHA256 != dataSHA256, Attribution: same != nil, Note: note,
		RowsBefore: before.RowsUsed, Rows: now.Population.RowsUsed}
	nowFunnel := map[string]decimal.Decimal{}
	for _, st := range now.Population.Funnel {
		nowFunnel[st.ID] = st.Value()
	}
	for _, f := range before.Funnel {
		n, ok := nowFunnel[f.Step]
		c.Funnel = append(c.Funnel, FunnelChange{Step: f.Step, Before: f.Count, Now: n, NowKnown: ok})
	}
	for _, v := range now.Variants {
		if pv, ok := before.Variants[v.ID]; ok {
			c.Variants = append(c.Variants, VariantChange{ID: v.ID, LowBefore: pv.TotalLow, Low: v.TotalLow, HighBefore: pv.TotalHigh, High: v.TotalHigh})
		}
		for _, cs := range v.Cases {
			ch := CaseChange{ID: cs.ID, Total: cs.Total.Value.Round(2)}
			pc, had := before.Cases[cs.ID]
			if had {
				ch.Had, ch.TotalBefore, ch.YearsBefore = true, pc.Total, pc.Years
				if same != nil {
					if mid := same.Case(cs.ID); mid != nil {
						m := mid.Total.Value.Round(2)
						ch.Attributed, ch.DataEffect, ch.ScenarioEffect = true, m.Sub(pc.Total), ch.Total.Sub(m)
					}
				}
			}
			if sim := now.MonteCarlo; sim != nil {
				st := sim.Case(cs.ID).TotalStats
				ch.Simulated, ch.P50 = true, st.At(50)
				if had && !math.IsNaN(pc.P50) && !math.IsNaN(pc.P50SE) {
					se := st.SEAt(50)
					ch.P50Compared, ch.P50Before = true, pc.P50
					ch.P50Noise = math.Abs(ch.P50-pc.P50) <= 1.96*math.Sqrt(se*se+pc.P50SE*pc.P50SE)
				}
			}
			c.Cases = append(c.Cases, ch)
		}
	}
	return c
}
