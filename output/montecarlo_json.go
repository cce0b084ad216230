package output

import (
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"raming/raming"
)

// jsonMonteCarlo describes the simulation as a whole.
type jsonMonteCarlo struct {
	Seed                 uint64      `json:"seed"`
	Iterations           int         `json:"iterations"`
	Auto                 bool        `json:"auto"`
	Converged            bool        `json:"converged"`
	PercentileDefinition string      `json:"percentile_definition"`
	ExtractDraws         bool        `json:"extract_draws"`
	Inputs               []jsonInput `json:"inputs"`
	// Risks are the inputs whose value is a floor with upside risk only.
	Risks       []string         `json:"risks,omitempty"`
	Comparisons []jsonComparison `json:"comparisons"`
}

// jsonInput is one uncertain assumption and the spread of its draws.
type jsonInput struct {
	ID           string `json:"id"`
	Distribution string `json:"distribution"`
	Point        string `json:"point"`
	P5           string `json:"p5"`
	P50          string `json:"p50"`
	P95          string `json:"p95"`
}

// jsonStats summarises simulated euros. Amounts are rounded to cents at the
// edge (the simulation runs in float64); se is the standard error.
type jsonStats struct {
	Mean        string           `json:"mean"`
	MeanStable  string           `json:"mean_stable"`
	SE          string           `json:"se"`
	P5          string           `json:"p5"`
	P50         string           `json:"p50"`
	P80         string           `json:"p80"`
	P90         string           `json:"p90"`
	P95         string           `json:"p95"`
	Percentiles []jsonPercentile `json:"percentiles"`
	Histogram   []jsonBin        `json:"histogram,omitempty"`
}

// jsonTotalStats summarises a case's simulated total, with the point
// estimate's place in it: Point is the deterministic total,
// PointPercentile its percentile rank among the draws (0-100), and Risks
// how much each input with upside risk only raises the P50.
type jsonTotalStats struct {
	jsonStats
	Point           string     `json:"point"`
	PointPercentile string     `json:"point_percentile"`
	P50MinusPoint   string     `json:"p50_minus_point"`
	Risks           []jsonRisk `json:"risks,omitempty"`
}

// jsonRisk is one input with upside risk only and its share of the
// distance between P50 and the point estimate.
type jsonRisk struct {
	Input        string `json:"input"`
	P50Without   string `json:"p50_without"`
	Contribution string `json:"contribution"`
}

// jsonPercentile is one percentile with its batch-means standard error and
// the figure rounded to the digits that are stable at that error.
type jsonPercentile struct {
	P      float64 `json:"p"`
	Value  string  `json:"value"`
	SE     string  `json:"se"`
	Stable string  `json:"stable"`
}

// jsonBin is one histogram bar.
type jsonBin struct {
	Low   string `json:"low"`
	High  string `json:"high"`
	Count int    `json:"count"`
}

// jsonSensitivity is an input's rank correlation with a case's total.
type jsonSensitivity struct {
	Input string `json:"input"`
	Rho   string `json:"rho"`
}

// jsonCaseMonteCarlo is cases[].monte_carlo.
type jsonCaseMonteCarlo struct {
	jsonTotalStats
	SchemeCost  jsonStats         `json:"scheme_cost"`
	CWSCost     jsonStats         `json:"cws_cost"`
	Sensitivity []jsonSensitivity `json:"sensitivity"`
}

// jsonComparison is the difference x − y of two variants' central cases.
type jsonComparison struct {
	X          string    `json:"x"`
	Y          string    `json:"y"`
	Difference jsonStats `json:"difference"`
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

func statsJSON(s raming.Stats, withHistogram bool) jsonStats {
	j := jsonStats{Mean: euros(s.Mean), MeanStable: euros(s.MeanStable), SE: euros(s.SE), P5: euros(s.At(5)), P50: euros(s.At(50)),
		P80: euros(s.At(80)), P90: euros(s.At(90)), P95: euros(s.At(95))}
	for _, p := range s.Percentiles {
		j.Percentiles = append(j.Percentiles, jsonPercentile{P: p.P, Value: euros(p.Value), SE: euros(p.SE), Stable: euros(p.Stable)})
	}
	if withHistogram {
		for _, b := range s.Histogram {
			j.Histogram = append(j.Histogram, jsonBin{Low: euros(b.Low), High: euros(b.High), Count: b.Count})
		}
	}
	return j
}

// totalStatsJSON summarises a case's total with the point estimate's place.
func totalStatsJSON(c raming.CaseSim) jsonTotalStats {
	j := jsonTotalStats{jsonStats: statsJSON(c.TotalStats, true), Point: euros(c.Point),
		PointPercentile: strconv.FormatFloat(c.PointPercentile, 'f', 1, 64), P50MinusPoint: euros(c.TotalStats.At(50) - c.Point)}
	for _, r := range c.Risks {
		j.Risks = append(j.Risks, jsonRisk{Input: r.InputID, P50Without: euros(r.P50Without), Contribution: euros(r.Contribution)})
	}
	return j
}

func caseMonteCarloJSON(c raming.CaseSim) *jsonCaseMonteCarlo {
	j := &jsonCaseMonteCarlo{jsonTotalStats: totalStatsJSON(c), SchemeCost: statsJSON(c.SchemeStats, false), CWSCost: statsJSON(c.CWSStats, false)}
	for _, s := range c.Sensitivity {
		j.Sensitivity = append(j.Sensitivity, jsonSensitivity{Input: s.InputID, Rho: ratio(s.Rho)})
	}
	return j
}

func monteCarloJSON(res *raming.Result, cells *smallCells) *jsonMonteCarlo {
	sim := res.MonteCarlo
	j := &jsonMonteCarlo{Seed: sim.Seed, Iterations: sim.Iterations, Auto: sim.Auto, Converged: sim.Converged,
		PercentileDefinition: raming.PercentileDefinition, ExtractDraws: sim.ExtractDraws, Risks: sim.Risks}
	for _, in := range sim.Inputs {
		f := func(p float64) string { return strconv.FormatFloat(in.Stats.At(p), 'g', 8, 64) }
		j.Inputs = append(j.Inputs, jsonInput{ID: in.ID, Distribution: in.Distribution, Point: string(in.Point), P5: f(5), P50: f(50), P95: f(95)})
	}
	for _, c := range sim.Comparisons {
		if cells.hiddenVariant(res.Variant(c.X)) || cells.hiddenVariant(res.Variant(c.Y)) {
			continue
		}
		j.Comparisons = append(j.Comparisons, jsonComparison{X: c.X, Y: c.Y, Difference: statsJSON(c.Diff, false), PXMore: ratio(c.PXMore)})
	}
	return j
}
