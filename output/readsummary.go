package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/shopspring/decimal"

	"raming/raming"
)

// maxSummaryBytes bounds what ReadSummary reads: a summary of a run with
// every option is a few MB; anything much larger is not one.
const maxSummaryBytes = 64 << 20

// ReadSummary reads back a JSON summary that WriteJSON wrote, in an
// earlier run, as the figures a comparison needs (raming.SetBaseline).
// It reads at most 64 MB. Previous.File is left for the caller to name.
func ReadSummary(r io.Reader) (*raming.Previous, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSummaryBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSummaryBytes {
		return nil, fmt.Errorf("larger than %d MB: not a raming JSON summary", maxSummaryBytes>>20)
	}
	var s jsonSummary
	if err := json.Unmarshal(b, &s); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, fmt.Errorf("not a raming JSON summary: %s holds a %s where the summary has a %s", typeErr.Field, typeErr.Value, typeErr.Type)
		}
		return nil, fmt.Errorf("not a raming JSON summary: %w", err)
	}
	if len(s.Variants) == 0 {
		return nil, fmt.Errorf("no variants: not a raming JSON summary")
	}
	p := &raming.Previous{ScenarioSHA256: s.Scenario.SHA256, DataSHA256: s.Population.SHA256, ScenarioText: s.Scenario.Text, ScenarioSet: s.Scenario.Set,
		RowsUsed: s.Population.RowsUsed,
		Variants: map[string]raming.PreviousVariant{}, Cases: map[string]raming.PreviousCase{}}
	// Every figure the comparison reads must be an amount: a damaged one
	// read as 0 would put the whole estimate down to a change in the data.
	var bad error
	amount := func(key, v string) decimal.Decimal {
		d, err := decimal.NewFromString(v)
		switch {
		case bad != nil:
		case err != nil:
			bad = fmt.Errorf("not a raming JSON summary: %s is %q, not an amount", key, v)
		case d.Abs().GreaterThan(maxAmount):
			bad = fmt.Errorf("not a raming JSON summary: %s is %q, beyond the 10^30 any summary holds", key, v)
		}
		return d
	}
	for _, f := range s.Population.Funnel {
		if d, err := decimal.NewFromString(f.Count); err == nil { // a suppressed count ("<10") is not compared
			p.Funnel = append(p.Funnel, raming.PreviousStep{Step: f.Step, Count: d})
		}
	}
	for i, v := range s.Variants {
		if v.TotalLow != complementJSON { // a small-cell suppressed range is not compared
			p.Variants[v.ID] = raming.PreviousVariant{TotalLow: amount(fmt.Sprintf("variants[%d].total_low", i), v.TotalLow),
				TotalHigh: amount(fmt.Sprintf("variants[%d].total_high", i), v.TotalHigh)}
		}
		for j, c := range v.Cases {
			if c.Total == complementJSON {
				continue // a small-cell suppressed case is not compared
			}
			pc := raming.PreviousCase{Total: amount(fmt.Sprintf("variants[%d].cases[%d].total", i, j), c.Total), P50: math.NaN(), P50SE: math.NaN()}
			if c.MonteCarlo != nil {
				for _, x := range c.MonteCarlo.Percentiles {
					v, err1 := decimal.NewFromString(x.Value)
					e, err2 := decimal.NewFromString(x.SE)
					if x.P == 50 && err1 == nil && err2 == nil {
						pc.P50, pc.P50SE = v.InexactFloat64(), e.InexactFloat64()
					}
				}
			}
			for k, y := range c.PerYear {
				key := fmt.Sprintf("variants[%d].cases[%d].per_year[%d]", i, j, k)
				pc.Years = append(pc.Years, raming.PreviousYear{Year: y.Year, Scheme: amount(key+".scheme_cost", y.SchemeCost), CWS: amount(key+".cws_cost", y.CWSCost)})
			}
			p.Cases[c.ID] = pc
		}
	}
	if bad != nil {
		return nil, bad
	}
	return p, nil
}

// maxAmount bounds an amount read from a summary: above any figure the
// tool writes (an assumption in euros is at most 10^12, a population 10^8,
// and an extract's sums of cents fit an int64), so that a summary the tool
// wrote is always read back; a damaged one beyond it is refused.
var maxAmount = decimal.New(1, 30)
