package output

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/shopspring/decimal"

	"raming/raming"
)

// Baseline compares tonight's figures with a previous summary, and splits
// each change of a case's total into its causes:
//
//	data     = (previous scenario on tonight's extract) − previous total
//	scenario = tonight's total − (previous scenario on tonight's extract)
//
// so data + scenario = the change, exactly. A change of a Monte Carlo
// figure within 1.96 × the combined standard errors is flagged as noise.
// docs/nightly.md explains how to read it.
type Baseline struct {
	File string `json:"file"`
	// ScenarioChanged and DataChanged compare the SHA-256 of the inputs.
	ScenarioChanged bool `json:"scenario_changed"`
	DataChanged     bool `json:"data_changed"`
	// Attribution is false when the previous summary carries no readable
	// scenario, so the split into causes could not be made.
	Attribution bool              `json:"attribution"`
	Note        string            `json:"note,omitempty"`
	RowsBefore  int               `json:"rows_used_before"`
	RowsNow     int               `json:"rows_used"`
	Funnel      []BaselineFunnel  `json:"funnel"`
	Variants    []BaselineVariant `json:"variants"`
	Cases       []BaselineCase    `json:"cases"`
}

// BaselineFunnel is one funnel step before and now.
type BaselineFunnel struct {
	Step   string `json:"step"`
	Before string `json:"before"`
	Now    string `json:"now"`
}

// BaselineVariant is a variant's range before and now.
type BaselineVariant struct {
	ID              string `json:"id"`
	TotalLowBefore  string `json:"total_low_before"`
	TotalLow        string `json:"total_low"`
	TotalLowDelta   string `json:"total_low_delta"`
	TotalHighBefore string `json:"total_high_before"`
	TotalHigh       string `json:"total_high"`
	TotalHighDelta  string `json:"total_high_delta"`
}

// BaselineCase is a case's total before and now, with the change split
// into causes, and its Monte Carlo P50 with the noise flag.
type BaselineCase struct {
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

// ReadSummary reads a JSON summary written by an earlier run.
func ReadSummary(path string) (*Summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("baseline %s is not a raming JSON summary: %w", path, err)
	}
	if len(s.Variants) == 0 {
		return nil, fmt.Errorf("baseline %s has no variants: is it a raming JSON summary?", path)
	}
	return &s, nil
}

// NewBaseline compares now with before. inputSHA256 is tonight's extract's
// SHA-256 ("" without one). sameScenario is the previous scenario evaluated
// on tonight's population (nil when it could not be read); note says why.
func NewBaseline(file string, before *Summary, now *raming.Result, inputSHA256 string, sameScenario *raming.Result, note string) *Baseline {
	b := &Baseline{File: file, ScenarioChanged: before.Scenario.SHA256 != now.Scenario.SHA256,
		DataChanged: before.Population.SHA256 != inputSHA256, Attribution: sameScenario != nil, Note: note,
		RowsBefore: before.Population.RowsUsed, RowsNow: now.Population.RowsUsed}
	nowFunnel := map[string]string{}
	for _, st := range now.Population.Funnel {
		nowFunnel[st.ID] = count(st.Value())
	}
	for _, f := range before.Population.Funnel {
		b.Funnel = append(b.Funnel, BaselineFunnel{Step: f.Step, Before: f.Count, Now: nowFunnel[f.Step]})
	}
	prevCases := map[string]CaseSummary{}
	prevVariants := map[string]VariantSummary{}
	for _, v := range before.Variants {
		prevVariants[v.ID] = v
		for _, c := range v.Cases {
			prevCases[c.ID] = c
		}
	}
	attributed := map[string]decimal.Decimal{}
	if sameScenario != nil {
		for _, v := range sameScenario.Variants {
			for _, c := range v.Cases {
				attributed[c.ID] = c.Total.Value.Round(2)
			}
		}
	}
	for _, v := range now.Variants {
		pv, ok := prevVariants[v.ID]
		if ok {
			lo, hi := dec(pv.TotalLow), dec(pv.TotalHigh)
			b.Variants = append(b.Variants, BaselineVariant{ID: v.ID,
				TotalLowBefore: pv.TotalLow, TotalLow: money(v.TotalLow), TotalLowDelta: money(v.TotalLow.Sub(lo)),
				TotalHighBefore: pv.TotalHigh, TotalHigh: money(v.TotalHigh), TotalHighDelta: money(v.TotalHigh.Sub(hi))})
		}
		for _, c := range v.Cases {
			bc := BaselineCase{ID: c.ID, Total: ptrTo(money(c.Total.Value))}
			pc, had := prevCases[c.ID]
			if had {
				before := dec(pc.Total)
				total := c.Total.Value.Round(2)
				bc.TotalBefore = ptrTo(pc.Total)
				bc.Delta = ptrTo(money(total.Sub(before)))
				if mid, ok := attributed[c.ID]; ok {
					bc.DataEffect = ptrTo(money(mid.Sub(before)))
					bc.ScenarioEffect = ptrTo(money(total.Sub(mid)))
				}
			}
			if sim := now.MonteCarlo; sim != nil {
				cs := simCase(sim, c.ID).TotalStats
				bc.P50 = ptrTo(euros(cs.At(50)))
				if p50b, seb := seOfSummary(pc.MonteCarlo); had && !math.IsNaN(p50b) && !math.IsNaN(seb) {
					p50, se := cs.At(50), cs.Percentiles[idx(sim.Percentiles, 50)].SE
					delta := p50 - p50b
					noise := math.Abs(delta) <= 1.96*math.Sqrt(se*se+seb*seb)
					bc.P50Before, bc.P50Delta, bc.P50Noise = ptrTo(euros(p50b)), ptrTo(euros(delta)), &noise
				}
			}
			b.Cases = append(b.Cases, bc)
		}
	}
	return b
}

func dec(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// seOfSummary returns a previous summary's P50 and its standard error
// (NaN when it has none).
func seOfSummary(mc *CaseMonteCarloJSON) (value, se float64) {
	if mc == nil {
		return math.NaN(), math.NaN()
	}
	for _, x := range mc.Percentiles {
		if x.P == 50 {
			v, err1 := decimal.NewFromString(x.Value)
			e, err2 := decimal.NewFromString(x.SE)
			if err1 == nil && err2 == nil {
				return v.InexactFloat64(), e.InexactFloat64()
			}
		}
	}
	return math.NaN(), math.NaN()
}

func ptrTo[T any](v T) *T { return &v }
