package raming

import (
	"math"
	"math/rand/v2"
)

// binomialInversionMax is the largest n·min(p, 1−p) drawn by inversion;
// above it BTRS is faster (Hörmann's choice: inversion costs a step per
// expected count, BTRS about the same at every n·p).
const binomialInversionMax = 10

// binomial draws Binomial(n, p) from r: how many of n (a whole number) have
// a property of probability p. It is exact: by inversion of the cumulative
// distribution when n·min(p, 1−p) ≤ 10, else by BTRS (Hörmann, "The
// generation of binomial random variates", Journal of Statistical
// Computation and Simulation 46, 1993), a transformed rejection method
// that accepts a draw only on the exact probability ratio (or a box in
// which the hat is exact). It draws for min(p, 1−p) and mirrors the count,
// so the cost does not grow with n. A draw costs a fraction of gonum's
// distuv.Binomial (BenchmarkBinomial), which evaluates three log-gamma
// functions per trial. A p that is not a number (a drawn share ÷ a drawn
// share of 0) draws none, as p ≤ 0 does; p ≥ 1 draws all n.
func binomial(r *rand.Rand, n, p float64) float64 {
	switch {
	case n == 0 || !(p > 0):
		return 0
	case p >= 1:
		return n
	}
	q := min(p, 1-p)
	var k int64
	if n*q <= binomialInversionMax {
		k = binomialInversion(r, int64(n), q)
	} else {
		k = binomialBTRS(r, int64(n), q)
	}
	if q != p {
		k = int64(n) - k
	}
	return float64(k)
}

// binomialInversion draws Binomial(n, p) for a small n·p by walking the
// probabilities from 0 until a uniform draw is used up:
// P(k) = P(k−1) × (n−k+1)/k × p/(1−p), from P(0) = (1−p)^n. A walk past
// n·p + 10 standard deviations (probability below 10⁻²⁰) starts again.
func binomialInversion(r *rand.Rand, n int64, p float64) int64 {
	q := 1 - p
	q0 := math.Exp(float64(n) * math.Log1p(-p))
	np := float64(n) * p
	bound := int64(min(float64(n), np+10*math.Sqrt(np*q+1)))
	var k int64
	pk := q0
	u := r.Float64()
	for u > pk {
		k++
		if k > bound {
			k, pk, u = 0, q0, r.Float64()
			continue
		}
		u -= pk
		pk = float64(n-k+1) * p * pk / (float64(k) * q)
	}
	return k
}

// binomialBTRS draws Binomial(n, p) for p ≤ ½ and n·p > 10 by BTRS
// ("Binomial, Transformed Rejection with Squeeze"): a point (u, v) under a
// hat that the transformation k = ⌊(2a/us + b)·u + c⌋ maps onto the
// distribution. Inside a box where the hat lies under the distribution it
// is accepted at once (most draws); elsewhere it is accepted when
// v·α/(a/us² + b) is at most f(k)/f(m), m the mode: near the mode the
// product of the ratios of successive probabilities, further out in logs
// from Stirling's series with its correction (exact to far below 10⁻¹⁰).
func binomialBTRS(r *rand.Rand, n int64, p float64) int64 {
	nf := float64(n)
	q := 1 - p
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	vr := 0.92 - 4.2/b
	// What the test outside the box needs, made when first needed.
	var alpha, m, lpq, h float64
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if us >= 0.07 && v <= vr {
			return int64(k)
		}
		if k < 0 || k > nf || us <= 0 {
			continue
		}
		if alpha == 0 {
			alpha = (2.83 + 5.1/b) * spq
			m = math.Floor((nf + 1) * p)
		}
		v *= alpha / (a/(us*us) + b)
		if d := k - m; d >= -20 && d <= 20 {
			// Near the mode: f(k)/f(m) as the product of the ratios of
			// successive probabilities, f(i)/f(i−1) = (n−i+1)/i × p/q.
			f, r := 1.0, p/q
			for i := m + 1; i <= k; i++ {
				f *= (nf - i + 1) / i * r
			}
			for i := k + 1; i <= m; i++ {
				f /= (nf - i + 1) / i * r
			}
			if v <= f {
				return int64(k)
			}
			continue
		}
		if h == 0 {
			lpq = math.Log(p / q)
			h = lgammaStirling(m) + lgammaStirling(nf-m)
		}
		if math.Log(v) <= h-lgammaStirling(k)-lgammaStirling(nf-k)+(k-m)*lpq {
			return int64(k)
		}
	}
}

// lgammaStirling is log(k!) for a whole k ≥ 0: from a table below 10, else
// Stirling's series (k+½)·log(k+1) − (k+1) + ½·log(2π) + 1/(12(k+1))
// − 1/(360(k+1)³) + 1/(1260(k+1)⁵), whose error is below 10⁻¹⁰.
func lgammaStirling(k float64) float64 {
	if k < float64(len(logFactorial)) {
		return logFactorial[int(k)]
	}
	x := k + 1
	x2 := x * x
	return (x-0.5)*math.Log(x) - x + 0.5*math.Log(2*math.Pi) + (1.0/12-(1.0/360-1.0/(1260*x2))/x2)/x
}

// logFactorial[k] is log(k!).
var logFactorial = [...]float64{
	0, 0, 0.69314718055994530942, 1.79175946922805500081, 3.17805383034794561964,
	4.78749174278204599424, 6.57925121201010099506, 8.52516136106541430016,
	10.60460290274525022842, 12.80182748008146961120,
}
