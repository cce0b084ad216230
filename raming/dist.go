package raming

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/shopspring/decimal"

	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"

	"raming/scenario"
)

// z95 is the 95th percentile of the unit normal: a 90% interval is mean ± z95 sd.
const z95 = 1.6448536269514722

// sampler draws one value of an uncertain assumption from a random stream.
// Samplers are shared by the workers: they copy any distribution value they
// set a source on, so a draw always uses its own iteration's stream.
type sampler func(r *rand.Rand) float64

// newSampler builds the sampler of an assumption's uncertainty. The
// scenario package has validated the parameters, so gonum's constructors,
// which panic on bad ones, never see them; what remains to fail is a fit
// (beta by mean and sd) that has no solution.
func newSampler(e scenario.Entry) (sampler, error) {
	u := e.Uncertainty
	fl := func(d *decimal.Decimal) float64 { return d.InexactFloat64() }
	point := e.Value.InexactFloat64()
	lo, hi := 0.0, math.Inf(1)
	if e.Unit == scenario.Share {
		hi = 1
	}
	switch u.Kind(e.Unit) {
	case scenario.Uniform:
		a, b := fl(u.Min), fl(u.Max)
		return func(r *rand.Rand) float64 { return a + (b-a)*r.Float64() }, nil
	case scenario.Triangular:
		a, b, c := fl(u.Min), fl(u.Max), point
		if u.Mode != nil {
			c = fl(u.Mode)
		}
		t := distuv.NewTriangle(a, b, c, nil)
		return func(r *rand.Rand) float64 { return t.Quantile(r.Float64()) }, nil
	case scenario.PERT:
		a, b, c := fl(u.Min), fl(u.Max), point
		if u.Mode != nil {
			c = fl(u.Mode)
		}
		beta := distuv.Beta{Alpha: 1 + 4*(c-a)/(b-a), Beta: 1 + 4*(b-c)/(b-a)}
		return func(r *rand.Rand) float64 { d := beta; d.Src = r; return a + (b-a)*d.Rand() }, nil
	case scenario.Beta:
		alpha, beta, err := betaParams(u, point)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.ID, err)
		}
		d := distuv.Beta{Alpha: alpha, Beta: beta}
		return func(r *rand.Rand) float64 { c := d; c.Src = r; return c.Rand() }, nil
	case scenario.Normal:
		mean, sd := point, 0.0
		if u.Mean != nil {
			mean = fl(u.Mean)
		}
		if u.Low != nil {
			mean, sd = (fl(u.Low)+fl(u.High))/2, (fl(u.High)-fl(u.Low))/(2*z95)
		} else {
			sd = fl(u.SD)
		}
		n := distuv.Normal{Mu: mean, Sigma: sd}
		pLo, pHi := n.CDF(lo), n.CDF(hi)
		// Truncated by inverse CDF: never below 0 (and never above 1 for a share).
		return func(r *rand.Rand) float64 { return n.Quantile(pLo + (pHi-pLo)*r.Float64()) }, nil
	case scenario.LogNormal:
		l, h := math.Log(fl(u.Low)), math.Log(fl(u.High))
		d := distuv.LogNormal{Mu: (l + h) / 2, Sigma: (h - l) / (2 * z95)}
		return func(r *rand.Rand) float64 { c := d; c.Src = r; return c.Rand() }, nil
	case scenario.Discrete:
		values := make([]float64, len(u.Values))
		cum := make([]float64, len(u.Weights))
		total := 0.0
		for i := range u.Values {
			values[i] = u.Values[i].InexactFloat64()
			total += u.Weights[i].InexactFloat64()
			cum[i] = total
		}
		if total <= 0 {
			return nil, fmt.Errorf("%s: discrete weights add up to 0", e.ID)
		}
		return func(r *rand.Rand) float64 {
			x := r.Float64() * total
			for i, c := range cum {
				if x < c {
					return values[i]
				}
			}
			return values[len(values)-1]
		}, nil
	}
	return nil, fmt.Errorf("%s: unknown distribution %q", e.ID, u.Kind(e.Unit))
}

// betaParams returns a beta's shape parameters: from mean and sd by the
// method of moments, or from a 90% interval by fitting both percentiles.
func betaParams(u *scenario.Uncertainty, point float64) (alpha, beta float64, err error) {
	if u.Low == nil {
		m := point
		if u.Mean != nil {
			m = u.Mean.InexactFloat64()
		}
		v := u.SD.InexactFloat64() * u.SD.InexactFloat64()
		if m <= 0 || m >= 1 || v >= m*(1-m) {
			return 0, 0, fmt.Errorf("no beta has mean %g and sd %g (the sd must be below √(mean × (1 − mean)))", m, math.Sqrt(v))
		}
		k := m*(1-m)/v - 1
		return m * k, (1 - m) * k, nil
	}
	return fitBeta(u.Low.InexactFloat64(), u.High.InexactFloat64())
}

// fitBeta finds the beta whose 5th and 95th percentiles are low and high
// (Nelder-Mead on the log shape parameters, started at the method of
// moments for mean (low+high)/2 and sd (high−low)/3.29).
func fitBeta(low, high float64) (alpha, beta float64, err error) {
	m, sd := (low+high)/2, (high-low)/(2*z95)
	k := m*(1-m)/(sd*sd) - 1
	if k <= 0 {
		k = 1
	}
	loss := func(x []float64) float64 {
		d := distuv.Beta{Alpha: math.Exp(x[0]), Beta: math.Exp(x[1])}
		a, b := d.Quantile(0.05)-low, d.Quantile(0.95)-high
		return a*a + b*b
	}
	res, err := optimize.Minimize(optimize.Problem{Func: loss}, []float64{math.Log(m * k), math.Log((1 - m) * k)},
		&optimize.Settings{Converger: &optimize.FunctionConverge{Absolute: 1e-14, Iterations: 200}}, &optimize.NelderMead{})
	if err != nil && res == nil {
		return 0, 0, fmt.Errorf("no beta fits the 90%% interval %g-%g: %v", low, high, err)
	}
	if res.F > 1e-8 {
		return 0, 0, fmt.Errorf("no beta fits the 90%% interval %g-%g closely (off by %.2g)", low, high, math.Sqrt(res.F))
	}
	return math.Exp(res.X[0]), math.Exp(res.X[1]), nil
}
