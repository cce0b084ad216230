package raming

import (
	"fmt"
	"math"

	"raming/scenario"
)

// MC configures a Monte Carlo simulation.
type MC struct {
	// Seed and the iteration number select each iteration's random stream
	// (PCG with the seed and the iteration as its two words), so the result
	// depends on (scenario, population, Seed, Iterations) only, never on Workers.
	Seed uint64
	// Iterations is the number of draws; with Auto it is the minimum.
	Iterations int
	// Auto keeps drawing, in rounds, until the P95 of every case is stable
	// to AutoTolerance (batch means), or MaxIterations is reached.
	Auto bool
	// Workers run blocks of iterations in parallel (at least 1).
	Workers int
	// Percentiles to report besides DefaultPercentiles (0-100).
	Percentiles []float64
	// Progress, if set, is told the iterations done so far and the total
	// planned; it is called from several goroutines.
	Progress func(done, total int)
	// MaxMemory, if positive, refuses (MemoryError) a run whose estimated
	// peak memory (Simulation.Memory) is larger, before the first draw; an
	// Auto run stops earlier instead (at MaxIterations halved until it fits,
	// but not below Iterations).
	MaxMemory int64
}

// DefaultPercentiles are reported for every case: the band P5-P95, the
// median, and P10, P20, P80, P90 for a budget's risk levels.
var DefaultPercentiles = []float64{5, 10, 20, 50, 80, 90, 95}

// AutoTolerance is the relative half-width of the 95% confidence interval
// of each case's P95 at which Auto stops: 0.5%.
const AutoTolerance = 0.005

// MaxIterations caps an Auto run.
const MaxIterations = 1_000_000

// IterationLimit is the most iterations a simulation or a sweep's bands
// accept: beyond it the memory estimate itself would not be meaningful
// (100 million iterations of the built-in scenario need about 30 GB).
const IterationLimit = 100_000_000

// HistogramBins is the number of bars of each histogram.
const HistogramBins = 30

// Simulation is the outcome of a Monte Carlo run.
type Simulation struct {
	Seed        uint64
	Iterations  int
	Percentiles []float64 // reported percentiles, ascending; DefaultPercentiles always among them
	// Converged is false when an Auto run hit MaxIterations first.
	Converged bool
	Auto      bool
	// Memory is the estimate, made before the first draw, of the bytes
	// the simulation holds at its peak (see MC.MaxMemory).
	Memory int64
	// Inputs are the uncertain assumptions with the spread of their draws.
	Inputs []Input
	// Risks are the inputs whose value is a floor with upside risk only
	// (point = "base"): each case reports how much of its P50 above the
	// point estimate they account for (CaseSim.Risks).
	Risks []string
	// Cases hold every case's statistics, in variant order.
	Cases []CaseSim
	// Variants summarise each variant by its central case.
	Variants []VariantSim
	// Comparisons are every pair of variants, on their central cases.
	Comparisons []Comparison
	// ExtractDraws is true when unknown values of an extract were drawn
	// (binomial counts), adding sampling noise to the assumptions' spread.
	ExtractDraws bool
}

// Input is one uncertain assumption.
type Input struct {
	ID, Label    string
	Distribution string // e.g. "beta", or "moves with A.cws_average_damage"
	// MovesWith names the input whose draw this one copies in proportion
	// ("" for an input with its own distribution).
	MovesWith string
	// Point is what the assumption's value is to its distribution.
	Point scenario.PointKind
	Stats Stats
}

// CaseSim is a case's simulated cost.
type CaseSim struct {
	VariantID, CaseID string
	// TotalStats, SchemeStats and CWSStats summarise the draws of the
	// total, the scheme cost and the CWS cost.
	TotalStats, SchemeStats, CWSStats Stats
	// Curve is the total's distribution as percentiles P1 to P99
	// (Curve[k-1] is P_k), for an S-curve.
	Curve [99]float64
	// Sensitivity ranks the inputs by their rank correlation with the total.
	Sensitivity []Sensitivity
	// Years are the bands of the cash total (excl. uitvoering) per budget year.
	Years []YearBand
	// Point is the deterministic estimate of the case's total, and
	// PointPercentile its percentile rank among the draws (0-100): the
	// share of draws below it, counting draws equal to it half.
	Point, PointPercentile float64
	// Risks split the P50's distance from the point estimate: for each
	// input with upside risk only, the P50 minus the P50 of the same draws
	// with that input held at its value.
	Risks []RiskContribution
}

// RiskContribution is how much an input with upside risk only (such as
// growth of the reporting population) raises a case's P50.
type RiskContribution struct {
	InputID      string
	P50Without   float64 // the P50 with the input held at its value
	Contribution float64 // P50 − P50Without
}

// YearBand is the spread of a case's cash in one budget year, over every
// iteration of the run, with each percentile's batch-means standard error.
type YearBand struct {
	Year         int
	Mean         float64
	P5, P50, P95 float64
	// Percentiles are the band at every reported percentile
	// (Simulation.Percentiles), with their standard errors.
	Percentiles []PercentileValue
}

// At returns the band's value at percentile p (NaN if not reported).
func (b YearBand) At(p float64) float64 { return percentileAt(b.Percentiles, p).Value }

// Stats summarise draws.
type Stats struct {
	Mean, SD float64
	// SE is the standard error of the mean (SD/√n); MeanStable the mean
	// rounded to the digits that are stable at that error.
	SE, MeanStable float64
	Percentiles    []PercentileValue
	Histogram      []Bin
}

// PercentileValue is one percentile with its batch-means standard error,
// and the value rounded to the digits that are stable at that error.
type PercentileValue struct {
	P, Value, SE, Stable float64
}

// percentileAt returns percentile p of ps (NaN values if not computed).
func percentileAt(ps []PercentileValue, p float64) PercentileValue {
	for _, pv := range ps {
		if pv.P == p {
			return pv
		}
	}
	return PercentileValue{P: p, Value: math.NaN(), SE: math.NaN(), Stable: math.NaN()}
}

// At returns the value of percentile p (NaN if not computed).
func (s Stats) At(p float64) float64 { return percentileAt(s.Percentiles, p).Value }

// SEAt returns the standard error of percentile p (NaN if not computed).
func (s Stats) SEAt(p float64) float64 { return percentileAt(s.Percentiles, p).SE }

// Case returns the simulated case with the given id; the simulation covers
// every case of its result, so an unknown id is a programming error.
func (s *Simulation) Case(id string) *CaseSim {
	for i := range s.Cases {
		if s.Cases[i].CaseID == id {
			return &s.Cases[i]
		}
	}
	panic("raming: no simulated case " + id)
}

// Sensitivity is the Spearman rank correlation of an input with a case's
// total. Inputs that move with another are left out: they carry no
// information of their own.
type Sensitivity struct {
	InputID string
	Rho     float64
}

// VariantSim is a variant's spread, that of its central case
// (Variant.CentralCase).
type VariantSim struct {
	ID, CentralCase string
	Stats           Stats
}

// Comparison is the difference X − Y of two variants' central cases, drawn
// on common random numbers.
type Comparison struct {
	X, Y string
	Diff Stats
	// PXMore is the share of iterations in which X costs more than Y.
	PXMore float64
}

// MemoryError refuses a simulation whose estimated memory exceeds
// MC.MaxMemory.
type MemoryError struct {
	Iterations  int
	Need, Limit int64 // bytes
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("%d Monte Carlo iterations need about %d MB, more than the %d MB allowed: use fewer iterations or --workers, or allow more memory (--max-memory)",
		e.Iterations, e.Need>>20, e.Limit>>20)
}
