package raming

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"gonum.org/v1/gonum/mathext"
)

// tailsOff is how far a beta's tails below low and above high are from 5%,
// relatively: the larger of the two.
func tailsOff(a, b, low, high float64) float64 {
	lo, hi := mathext.RegIncBeta(a, b, low), mathext.RegIncBeta(b, a, 1-high)
	return max(math.Abs(lo/0.05-1), math.Abs(hi/0.05-1))
}

// TestFitBeta: the fitted beta puts 5% below low and 5% above high (each to
// 0.01%), for intervals of the kind the scenarios use and for intervals
// near 0, near 1, very narrow, very wide and skewed (where the shape has a
// pole). (The tails, not the percentiles: distuv's quantile is off where
// the shapes are huge, and an absolute check on the percentiles means
// nothing for an interval near 0.)
func TestFitBeta(t *testing.T) {
	for _, iv := range [][2]float64{
		{0.5, 0.9}, {0.3, 0.7}, {0.05, 0.3}, {0.2, 0.5}, {0.33, 0.66}, // of the kind the scenarios use
		{1e-6, 1e-4}, {0.0001, 0.001}, {0.999, 0.9999}, {0.9, 0.999999}, {1e-6, 0.999999},
		{0.4999, 0.5001}, {0.4999, 0.499999}, {0.01, 0.99}, {0.7, 0.999999},
		{1e-9, 1e-8}, {1e-8, 2e-8}, {1 - 1e-8, 1 - 1e-9}, {0.799, 0.79901},
	} {
		a, b, err := fitBeta(iv[0], iv[1])
		if err != nil {
			t.Errorf("%g-%g: %v", iv[0], iv[1], err)
			continue
		}
		if off := tailsOff(a, b, iv[0], iv[1]); !(off <= 1e-4) {
			t.Errorf("%g-%g: beta(%g, %g) has tails off by %.2g", iv[0], iv[1], a, b, off)
		}
	}
}

// TestFitBetaShapes: what a beta's shape must do, checked on the fits.
// Near 0 a beta is a gamma scaled by 1/β: an interval ten times smaller
// has the same α and a β ten times larger. A mirrored interval swaps α
// and β. (Reference: 1e-9 to 1e-8 gives α 2.4373, β 5.4379e8, whose tails
// an independent 30-digit computation puts at 0.0500000.)
func TestFitBetaShapes(t *testing.T) {
	near := func(x, y, tol float64) bool { return math.Abs(x/y-1) <= tol }
	a6, b6, err := fitBeta(1e-6, 1e-5)
	if err != nil {
		t.Fatal(err)
	}
	for _, scale := range []float64{1e-1, 1e-2, 1e-3} {
		a, b, err := fitBeta(1e-6*scale, 1e-5*scale)
		if err != nil {
			t.Fatal(err)
		}
		if !near(a, a6, 1e-4) || !near(b*scale, b6, 1e-4) {
			t.Errorf("interval x%g: beta(%g, %g), want alpha %g and beta %g", scale, a, b, a6, b6/scale)
		}
	}
	if !near(a6, 2.43727, 1e-5) || !near(b6, 543783, 1e-5) {
		t.Errorf("1e-6-1e-5: beta(%g, %g), want about beta(2.43727, 543783)", a6, b6)
	}
	for _, iv := range [][2]float64{{0.05, 0.3}, {1e-8, 2e-8}, {0.6, 0.999}} {
		a, b, err1 := fitBeta(iv[0], iv[1])
		ma, mb, err2 := fitBeta(1-iv[1], 1-iv[0])
		if err1 != nil || err2 != nil || !near(a, mb, 1e-6) || !near(b, ma, 1e-6) {
			t.Errorf("%g-%g: beta(%g, %g); mirrored beta(%g, %g) (%v, %v)", iv[0], iv[1], a, b, ma, mb, err1, err2)
		}
	}
}

// TestFitBetaRefusesImpossibleIntervals: an interval that no beta has, or
// that no beta fits closely, is an error that names it, not a panic or a
// poor fit.
func TestFitBetaRefusesImpossibleIntervals(t *testing.T) {
	for _, iv := range [][2]float64{{0, 0.5}, {0.5, 1}, {0.6, 0.4}, {0.5, 0.5}, {-0.1, 0.5}, {0.2, 1.5}, {math.NaN(), 0.5}, {1e-300, 1e-299}} {
		if a, b, err := fitBeta(iv[0], iv[1]); err == nil {
			t.Errorf("%g-%g: fitted beta(%g, %g), want an error", iv[0], iv[1], a, b)
		}
	}
}

// BenchmarkFitBeta is one fit of a beta to a 90% interval: every run
// makes one per interval of its scenario.
func BenchmarkFitBeta(b *testing.B) {
	for b.Loop() {
		if _, _, err := fitBeta(0.5, 0.9); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGammaAndBetaDraws: the gamma and beta samplers (Marsaglia and Tsang,
// with the boost below a shape of 1) follow their exact distributions: a
// Kolmogorov-Smirnov test against gonum's distribution functions, for
// shapes below 1, at 1 and above, passes at the 10⁻⁴ level.
func TestGammaAndBetaDraws(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	const n = 100_000
	ks := func(name string, draw func() float64, cdf func(float64) float64) {
		t.Helper()
		x := make([]float64, n)
		for i := range x {
			x[i] = draw()
		}
		slices.Sort(x)
		d := 0.0
		for i, v := range x {
			f := cdf(v)
			d = max(d, math.Abs(f-float64(i)/n), math.Abs(float64(i+1)/n-f))
		}
		// P(√n·D > 2.0) ≈ 6·10⁻⁴, P(√n·D > 2.2) ≈ 10⁻⁴ (Kolmogorov).
		if sd := math.Sqrt(n) * d; sd > 2.2 {
			t.Errorf("%s: Kolmogorov-Smirnov √n·D = %.2f over %d draws", name, sd, n)
		}
	}
	for _, a := range []float64{0.05, 0.3, 1, 2.5, 40} {
		g := newGammaDraw(a)
		exact := distuv.Gamma{Alpha: a, Beta: 1}
		ks(fmt.Sprintf("Gamma(%g)", a), func() float64 { return g.draw(r) }, exact.CDF)
		ks(fmt.Sprintf("log Gamma(%g)", a), func() float64 { return g.logDraw(r) }, func(x float64) float64 { return exact.CDF(math.Exp(x)) })
	}
	for _, ab := range [][2]float64{{0.5, 0.5}, {0.2, 3}, {2, 5}, {1, 5}, {30, 10}, {2.43727, 543783}} {
		b := newBetaDraw(ab[0], ab[1])
		ks(fmt.Sprintf("Beta(%g, %g)", ab[0], ab[1]), func() float64 { return b.draw(r) }, distuv.Beta{Alpha: ab[0], Beta: ab[1]}.CDF)
	}
}
