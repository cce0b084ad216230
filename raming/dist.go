package raming

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/shopspring/decimal"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"raming/scenario"
)

// z95 is the 95th percentile of the unit normal: a 90% interval is mean ± z95 sd.
const z95 = 1.6448536269514722

// logTail is the log of the probability outside a 90% interval on each side.
var logTail = math.Log(0.05)

// sampler draws one value of an uncertain assumption from a random stream.
// Samplers are shared by the workers: they copy any distribution value they
// set a source on, so a draw always uses its own iteration's stream.
type sampler func(r *rand.Rand) float64

// shape is an assumption's distribution as the scenario states it: how to
// draw from it, its median and its minimum.
type shape struct {
	draw        sampler
	median, min float64
}

// multiplicative reports whether a unit's values move by scaling (amounts,
// counts, rates: a distribution around EUR 35k moved to EUR 45k keeps its
// relative spread) rather than by shifting (shares and years: 65%-85%
// around 75% moved to 70% is 60%-80%).
func multiplicative(u scenario.Unit) bool {
	switch u {
	case scenario.EUR, scenario.EURPerHour, scenario.Persons, scenario.Files, scenario.FilesPerYear, scenario.Hours:
		return true
	}
	return false
}

// newSampler builds the sampler of an assumption's uncertainty: its shape
// from the stated parameters, moved to the assumption's value as its point
// kind says (docs/methodology.md, "Distributions"):
//
//   - median (default): shifted (shares, years) or scaled (amounts,
//     counts) so that its median is the value;
//   - base: shifted so that its minimum is the value (upside risk only);
//   - stated: as written.
//
// Draws stay within the unit's bounds (never below 0, shares at most 1),
// and are rounded to single precision (24 significant bits: a relative
// 6·10⁻⁸, a fraction of a cent on EUR 100,000), so that an iteration's
// record keeps each in four bytes and replaying it gives the iteration's
// figures to the bit (record.go).
func newSampler(e scenario.Entry) (sampler, error) {
	sh, err := newShape(e)
	if err != nil {
		return nil, err
	}
	value := e.Value.InexactFloat64()
	hi := math.Inf(1)
	if e.Unit == scenario.Share {
		hi = 1
	}
	clamp := func(x float64) float64 { return float64(float32(math.Min(hi, math.Max(0, x)))) }
	draw := sh.draw
	switch e.Uncertainty.Point.Kind() {
	case scenario.PointStated:
		return func(r *rand.Rand) float64 { return clamp(draw(r)) }, nil
	case scenario.PointBase:
		d := value - sh.min
		return func(r *rand.Rand) float64 { return clamp(draw(r) + d) }, nil
	}
	if multiplicative(e.Unit) && sh.median > 0 {
		f := value / sh.median
		return func(r *rand.Rand) float64 { return clamp(draw(r) * f) }, nil
	}
	d := value - sh.median
	return func(r *rand.Rand) float64 { return clamp(draw(r) + d) }, nil
}

// newShape builds the distribution the parameters state. A mode or mean
// left out defaults to the value the file states with the uncertainty.
// The scenario package has validated the parameters, so gonum's
// constructors, which panic on bad ones, never see them; what remains to
// fail is a fit (beta) that has no solution.
func newShape(e scenario.Entry) (shape, error) {
	u := e.Uncertainty
	fl := func(d *decimal.Decimal) float64 { return d.InexactFloat64() }
	point := e.Value.InexactFloat64()
	if a, ok := u.Anchor(); ok {
		point = a.InexactFloat64()
	}
	lo, hi := 0.0, math.Inf(1)
	if e.Unit == scenario.Share {
		hi = 1
	}
	switch u.Kind(e.Unit) {
	case scenario.Uniform:
		a, b := fl(u.Min), fl(u.Max)
		return shape{func(r *rand.Rand) float64 { return a + (b-a)*r.Float64() }, (a + b) / 2, a}, nil
	case scenario.Triangular:
		a, b, c := fl(u.Min), fl(u.Max), point
		if u.Mode != nil {
			c = fl(u.Mode)
		}
		t := distuv.NewTriangle(a, b, c, nil)
		return shape{func(r *rand.Rand) float64 { return t.Quantile(r.Float64()) }, t.Quantile(0.5), a}, nil
	case scenario.PERT:
		a, b, c := fl(u.Min), fl(u.Max), point
		if u.Mode != nil {
			c = fl(u.Mode)
		}
		beta := distuv.Beta{Alpha: 1 + 4*(c-a)/(b-a), Beta: 1 + 4*(b-c)/(b-a)}
		d := newBetaDraw(beta.Alpha, beta.Beta)
		return shape{func(r *rand.Rand) float64 { return a + (b-a)*d.draw(r) }, a + (b-a)*beta.Quantile(0.5), a}, nil
	case scenario.Beta:
		alpha, beta, err := betaParams(u, point)
		if err != nil {
			return shape{}, fmt.Errorf("%s: %w", e.ID, err)
		}
		d := newBetaDraw(alpha, beta)
		return shape{d.draw, distuv.Beta{Alpha: alpha, Beta: beta}.Quantile(0.5), 0}, nil
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
		return shape{func(r *rand.Rand) float64 { return n.Quantile(pLo + (pHi-pLo)*r.Float64()) }, n.Quantile(pLo + (pHi-pLo)/2), lo}, nil
	case scenario.LogNormal:
		l, h := math.Log(fl(u.Low)), math.Log(fl(u.High))
		mu, sigma := (l+h)/2, (h-l)/(2*z95)
		return shape{func(r *rand.Rand) float64 { return math.Exp(r.NormFloat64()*sigma + mu) }, math.Exp(mu), 0}, nil
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
			return shape{}, fmt.Errorf("%s: discrete weights add up to 0", e.ID)
		}
		at := func(x float64) float64 {
			for i, c := range cum {
				if x < c {
					return values[i]
				}
			}
			return values[len(values)-1]
		}
		return shape{func(r *rand.Rand) float64 { return at(r.Float64() * total) }, at(total / 2), slices.Min(values)}, nil
	}
	return shape{}, fmt.Errorf("%s: unknown distribution %q", e.ID, u.Kind(e.Unit))
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

// fitBeta finds the beta whose 5th and 95th percentiles are low and
// high: Newton's method on the log shape parameters for the two equations
// log I(low; α, β) = log 0.05 and log (1 − I(high; α, β)) = log 0.05, I the
// regularised incomplete beta (the beta's distribution function), started at the
// method of moments for mean (low+high)/2 and sd (high−low)/3.29, each
// step halved until the error falls. The fit must put each tail within
// 0.01% of 5%, or it is an error.
// A fit takes some microseconds (a Nelder-Mead search on the percentiles
// took milliseconds, and found the same shapes to 1e-11 or better where
// it converged).
func fitBeta(low, high float64) (alpha, beta float64, err error) {
	defer func() { // a panic of the special functions is an error, not a crash
		if r := recover(); r != nil {
			alpha, beta, err = 0, 0, fmt.Errorf("fitting a beta to the interval %g-%g: %v", low, high, r)
		}
	}()
	if !(0 < low && low < high && high < 1) {
		return 0, 0, fmt.Errorf("no beta has the 90%% interval %g-%g: it must lie strictly between 0 and 1, low below high", low, high)
	}
	m, sd := (low+high)/2, (high-low)/(2*z95)
	k := m*(1-m)/(sd*sd) - 1
	if k <= 0 {
		k = 1
	}
	// Both tails as log probabilities (1 − I(high; α, β) = I(1 − high; β, α)):
	// well scaled even where a start far off puts a tail near 0 or 1.
	miss := func(x [2]float64) [2]float64 {
		a, b := math.Exp(x[0]), math.Exp(x[1])
		if !(a > 0 && b > 0 && a < 1e15 && b < 1e15) {
			return [2]float64{math.NaN(), math.NaN()} // never "better"
		}
		return [2]float64{math.Log(mathext.RegIncBeta(a, b, low)) - logTail, math.Log(mathext.RegIncBeta(b, a, 1-high)) - logTail}
	}
	size := func(f [2]float64) float64 { return math.Hypot(f[0], f[1]) }
	x := [2]float64{math.Log(m * k), math.Log((1 - m) * k)}
	f := miss(x)
	// The Jacobian by central differences of step h (relative to the log
	// parameters). Where the shapes are huge (intervals near 0 or 1, or
	// very narrow) the incomplete beta is noisy in its last digits: when
	// no step improves, h grows tenfold, up to 1%.
	for h, steps := 1e-5, 0; h <= 1e-2 && steps < 200 && size(f) > 1e-14; steps++ {
		var jac [2][2]float64 // ∂miss/∂x
		for j := range x {
			d := h * max(1, math.Abs(x[j]))
			up, down := x, x
			up[j] += d
			down[j] -= d
			fu, fd := miss(up), miss(down)
			jac[0][j], jac[1][j] = (fu[0]-fd[0])/(2*d), (fu[1]-fd[1])/(2*d)
		}
		det := jac[0][0]*jac[1][1] - jac[0][1]*jac[1][0]
		step := [2]float64{(jac[0][1]*f[1] - jac[1][1]*f[0]) / det, (jac[1][0]*f[0] - jac[0][0]*f[1]) / det}
		if l := math.Hypot(step[0], step[1]); l > 2 { // at most a factor e^2 on a parameter
			step[0], step[1] = 2*step[0]/l, 2*step[1]/l
		}
		better := false
		for t := 1.0; t > 1e-6 && !better; t /= 2 {
			xt := [2]float64{x[0] + t*step[0], x[1] + t*step[1]}
			if ft := miss(xt); size(ft) < size(f) {
				x, f, better = xt, ft, true
			}
		}
		if !better {
			h *= 10
		}
	}
	// Each tail within 0.01% of 5% (its log within 1e-4): the percentiles
	// are low and high to far below any figure's precision.
	if off := size(f); !(off <= 1e-4) {
		return 0, 0, fmt.Errorf("no beta fits the 90%% interval %g-%g closely (its tails are off by %.2g%%); widen the interval or give mean and sd", low, high, 100*off)
	}
	alpha, beta = math.Exp(x[0]), math.Exp(x[1])
	return alpha, beta, nil
}

// gammaDraw draws Gamma(a, 1) by Marsaglia and Tsang's method ("A simple
// method for generating gamma variables", ACM Transactions on Mathematical
// Software 26(3), 2000): for a ≥ 1, d·v with v = (1 + c·x)³, x normal,
// accepted on a squeeze or on the exact log-density ratio; for a < 1, a
// draw for a + 1 times U^(1/a) (their boost). Exact; its constants are
// worked out once per shape.
type gammaDraw struct {
	d, c, invA float64
	boost      bool // a < 1
}

func newGammaDraw(a float64) gammaDraw {
	g := gammaDraw{}
	if a < 1 {
		g.boost, g.invA = true, 1/a
		a++
	}
	g.d = a - 1.0/3
	g.c = 1 / math.Sqrt(9*g.d)
	return g
}

// core draws Gamma(shape) for a shape of at least 1 (Marsaglia and
// Tsang's rejection); the draw is d·v.
func (g gammaDraw) core(r *rand.Rand) (d, v float64) {
	for {
		x := r.NormFloat64()
		v := 1 + g.c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+g.d*(1-v+math.Log(v)) {
			return g.d, v
		}
	}
}

// logDraw returns the log of a draw.
func (g gammaDraw) logDraw(r *rand.Rand) float64 {
	d, v := g.core(r)
	y := math.Log(d * v)
	if g.boost {
		y += math.Log(1-r.Float64()) * g.invA // U in (0, 1]
	}
	return y
}

// draw returns a draw.
func (g gammaDraw) draw(r *rand.Rand) float64 {
	d, v := g.core(r)
	y := d * v
	if g.boost {
		y *= math.Pow(1-r.Float64(), g.invA) // U in (0, 1]
	}
	return y
}

// betaDraw draws Beta(α, β) as X / (X + Y) of X ~ Gamma(α), Y ~ Gamma(β),
// in logs when a shape is below 1 (where a gamma draw can underflow).
type betaDraw struct {
	x, y gammaDraw
}

func newBetaDraw(alpha, beta float64) betaDraw {
	return betaDraw{newGammaDraw(alpha), newGammaDraw(beta)}
}

func (b betaDraw) draw(r *rand.Rand) float64 {
	if b.x.boost || b.y.boost {
		lx := b.x.logDraw(r)
		return 1 / (1 + math.Exp(b.y.logDraw(r)-lx))
	}
	x := b.x.draw(r)
	return x / (x + b.y.draw(r))
}
