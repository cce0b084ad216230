package output

import (
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"raming/raming"
)

// MonteCarloJSON describes the simulation as a whole.
type MonteCarloJSON struct {
	Seed       uint64 `json:"seed"`
	Iterations int    `json:"iterations"`
	// BandIterations is how many (the first) iterations the per-year
	// bands describe.
	BandIterations       int         `json:"band_iterations"`
	Auto                 bool        `json:"auto"`
	Converged            bool        `json:"converged"`
	PercentileDefinition string      `json:"percentile_definition"`
	ExtractDraws         bool        `json:"extract_draws"`
	Inputs               []InputJSON `json:"inputs"`
	// Risks are the inputs whose value is a floor with upside risk only.
	Risks       []string         `json:"risks,omitempty"`
	Comparisons []ComparisonJSON `json:"comparisons"`
}

// InputJSON is one uncertain assumption and the spread of its draws.
type InputJSON struct {
	ID           string `json:"id"`
	Distribution string `json:"distribution"`
	Point        string `json:"point"`
	P5           string `json:"p5"`
	P50          string `json:"p50"`
	P95          string `json:"p95"`
}

// StatsJSON summarises simulated euros. Amounts are rounded to cents at the
// edge (the simulation runs in float64); se is the standard error.
type StatsJSON struct {
	Mean        string           `json:"mean"`
	MeanStable  string           `json:"mean_stable"`
	SE          string           `json:"se"`
	P5          string           `json:"p5"`
	P50         string           `json:"p50"`
	P80         string           `json:"p80"`
	P90         string           `json:"p90"`
	P95         string           `json:"p95"`
	Percentiles []PercentileJSON `json:"percentiles"`
	Histogram   []BinJSON        `json:"histogram,omitempty"`
}

// TotalStatsJSON summarises a case's simulated total, with the point
// estimate's place in it: Point is the deterministic total,
// PointPercentile its percentile rank among the draws (0-100), and Risks
// how much each input with upside risk only raises the P50.
type TotalStatsJSON struct {
	StatsJSON
	Point           string     `json:"point"`
	PointPercentile string     `json:"point_percentile"`
	P50MinusPoint   string     `json:"p50_minus_point"`
	Risks           []RiskJSON `json:"risks,omitempty"`
}

// RiskJSON is one input with upside risk only and its share of the
// distance between P50 and the point estimate.
type RiskJSON struct {
	Input        string `json:"input"`
	P50Without   string `json:"p50_without"`
	Contribution string `json:"contribution"`
}

// PercentileJSON is one percentile with its batch-means standard error and
// the figure rounded to the digits that are stable at that error.
type PercentileJSON struct {
	P      float64 `json:"p"`
	Value  string  `json:"value"`
	SE     string  `json:"se"`
	Stable string  `json:"stable"`
}

// BinJSON is one histogram bar.
type BinJSON struct {
	Low   string `json:"low"`
	High  string `json:"high"`
	Count int    `json:"count"`
}

// SensitivityJSON is an input's rank correlation with a case's total.
type SensitivityJSON struct {
	Input string `json:"input"`
	Rho   string `json:"rho"`
}

// CaseMonteCarloJSON is cases[].monte_carlo.
type CaseMonteCarloJSON struct {
	TotalStatsJSON
	SchemeCost  StatsJSON         `json:"scheme_cost"`
	CWSCost     StatsJSON         `json:"cws_cost"`
	Sensitivity []SensitivityJSON `json:"sensitivity"`
}

// ComparisonJSON is the difference x − y of two variants' central cases.
type ComparisonJSON struct {
	X          string    `json:"x"`
	Y          string    `json:"y"`
	Difference StatsJSON `json:"difference"`
	PXMore     string    `json:"p_x_more"`
}

// euros rounds a simulated amount to cents at the edge; "" when it is not
// a number (a batch-means standard error needs at least 40 iterations).
func euros(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return decimal.NewFromFloat(x).StringFixed(2)
}

func ratio(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

func statsJSON(s raming.Stats, withHistogram bool) StatsJSON {
	j := StatsJSON{Mean: euros(s.Mean), MeanStable: euros(s.MeanStable), SE: euros(s.SE), P5: euros(s.At(5)), P50: euros(s.At(50)),
		P80: euros(s.At(80)), P90: euros(s.At(90)), P95: euros(s.At(95))}
	for _, p := range s.Percentiles {
		j.Percentiles = append(j.Percentiles, PercentileJSON{P: p.P, Value: euros(p.Value), SE: euros(p.SE), Stable: euros(p.Stable)})
	}
	if withHistogram {
		for _, b := range s.Histogram {
			j.Histogram = append(j.Histogram, BinJSON{Low: euros(b.Low), High: euros(b.High), Count: b.Count})
		}
	}
	return j
}

// totalStatsJSON summarises a case's total with the point estimate's place.
func totalStatsJSON(c raming.CaseSim) TotalStatsJSON {
	j := TotalStatsJSON{StatsJSON: statsJSON(c.TotalStats, true), Point: euros(c.Point),
		PointPercentile: strconv.FormatFloat(c.PointPercentile, 'f', 1, 64), P50MinusPoint: euros(c.TotalStats.At(50) - c.Point)}
	for _, r := range c.Risks {
		j.Risks = append(j.Risks, RiskJSON{Input: r.InputID, P50Without: euros(r.P50Without), Contribution: euros(r.Contribution)})
	}
	return j
}

func caseMonteCarloJSON(c raming.CaseSim) *CaseMonteCarloJSON {
	j := &CaseMonteCarloJSON{TotalStatsJSON: totalStatsJSON(c), SchemeCost: statsJSON(c.SchemeStats, false), CWSCost: statsJSON(c.CWSStats, false)}
	for _, s := range c.Sensitivity {
		j.Sensitivity = append(j.Sensitivity, SensitivityJSON{Input: s.InputID, Rho: ratio(s.Rho)})
	}
	return j
}

func monteCarloJSON(sim *raming.Simulation) *MonteCarloJSON {
	j := &MonteCarloJSON{Seed: sim.Seed, Iterations: sim.Iterations, BandIterations: sim.BandIterations, Auto: sim.Auto, Converged: sim.Converged,
		PercentileDefinition: raming.PercentileDefinition, ExtractDraws: sim.ExtractDraws, Risks: sim.Risks}
	for _, in := range sim.Inputs {
		f := func(p float64) string { return strconv.FormatFloat(in.Stats.At(p), 'g', 8, 64) }
		j.Inputs = append(j.Inputs, InputJSON{ID: in.ID, Distribution: in.Distribution, Point: string(in.Point), P5: f(5), P50: f(50), P95: f(95)})
	}
	for _, c := range sim.Comparisons {
		j.Comparisons = append(j.Comparisons, ComparisonJSON{X: c.X, Y: c.Y, Difference: statsJSON(c.Diff, false), PXMore: ratio(c.PXMore)})
	}
	return j
}
