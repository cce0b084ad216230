package raming

import (
	"math"
	"math/rand/v2"
)

// binomialInversionMax is the largest n·min(p, 1−p) drawn by inversion;
// above it BTPE is faster (numpy's choice).
const binomialInversionMax = 30

// binomial draws Binomial(n, p) from r: how many of n (a whole number) have
// a property of probability p. It is exact: by inversion of the cumulative
// distribution when n·min(p, 1−p) ≤ 30, else by BTPE (Kachitvichyanukul &
// Schmeiser, "Binomial random variate generation", Communications of the
// ACM 31(2), 1988), a rejection method that accepts a draw only on the
// exact probability (or bounds of it that decide). Both follow numpy's
// random_binomial. It draws for min(p, 1−p) and mirrors the count, so the
// cost does not grow with n. A draw costs about a tenth of gonum's
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
		k = binomialBTPE(r, int64(n), q)
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

// binomialBTPE draws Binomial(n, p) for p ≤ ½ and n·p > 30 by BTPE
// ("Binomial, Triangle, Parallelogram, Exponential"): a uniform point under
// a hat made of a triangle at the mode, two parallelograms beside it and
// two exponential tails. The triangle accepts at once (most draws); a
// point elsewhere is accepted when it lies under the probability ratio
// f(y)/f(mode), evaluated exactly by its product near the mode and, far
// from it, first against a squeeze and then by Stirling's series.
func binomialBTPE(r *rand.Rand, n int64, p float64) int64 {
	nf := float64(n)
	q := 1 - p
	npq := nf * p * q
	fm := nf*p + p
	m := math.Floor(fm) // the mode
	p1 := math.Floor(2.195*math.Sqrt(npq)-4.6*q) + 0.5
	xm := m + 0.5
	xl, xr := xm-p1, xm+p1
	c := 0.134 + 20.5/(15.3+m)
	a := (fm - xl) / (fm - xl*p)
	lamL := a * (1 + a/2)
	a = (xr - fm) / (xr * q)
	lamR := a * (1 + a/2)
	p2 := p1 * (1 + 2*c)
	p3 := p2 + c/lamL
	p4 := p3 + c/lamR
	for {
		u := r.Float64() * p4
		v := r.Float64()
		var y float64
		switch {
		case u <= p1: // the triangle
			return int64(math.Floor(xm - p1*v + u))
		case u <= p2: // the parallelograms
			x := xl + (u-p1)/c
			v = v*c + 1 - math.Abs(m-x+0.5)/p1
			if v > 1 {
				continue
			}
			y = math.Floor(x)
		case u <= p3: // the left tail
			y = math.Floor(xl + math.Log(v)/lamL)
			if y < 0 || v == 0 {
				continue
			}
			v *= (u - p2) * lamL
		default: // the right tail
			y = math.Floor(xr - math.Log(v)/lamR)
			if y > nf || v == 0 {
				continue
			}
			v *= (u - p3) * lamR
		}
		if btpeAccept(int64(y), int64(m), nf, p, npq, v) {
			return int64(y)
		}
	}
}

// btpeAccept reports whether BTPE accepts y for the point v under the
// hat: whether v ≤ f(y)/f(m), with m the mode.
func btpeAccept(y, m int64, n, p, npq, v float64) bool {
	q := 1 - p
	k := y - m
	if k < 0 {
		k = -k
	}
	kf := float64(k)
	if k <= 20 || kf >= npq/2-1 {
		// Near the mode: f(y)/f(m) as the product of the ratios of
		// successive probabilities, f(i)/f(i−1) = (n+1)/i × p/q − p/q.
		s := p / q
		a := s * (n + 1)
		f := 1.0
		if m < y {
			for i := m + 1; i <= y; i++ {
				f *= a/float64(i) - s
			}
		} else {
			for i := y + 1; i <= m; i++ {
				f /= a/float64(i) - s
			}
		}
		return v <= f
	}
	// Far from it: a squeeze on log f(y)/f(m) by the normal approximation,
	// then the exact bound from Stirling's series.
	rho := (kf / npq) * ((kf*(kf/3+0.625)+1.0/6)/npq + 0.5)
	t := -kf * kf / (2 * npq)
	logV := math.Log(v)
	if logV < t-rho {
		return true
	}
	if logV > t+rho {
		return false
	}
	yf, mf := float64(y), float64(m)
	x1, f1, z, w := yf+1, mf+1, n+1-mf, n-yf+1
	return logV <= (mf+0.5)*math.Log(f1/x1)+(n-mf+0.5)*math.Log(z/w)+(yf-mf)*math.Log(w*p/(x1*q))+
		stirlingTail(f1)+stirlingTail(z)+stirlingTail(x1)+stirlingTail(w)
}

// stirlingTail is the correction of Stirling's series for log x! beyond
// its first terms: 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹).
func stirlingTail(x float64) float64 {
	x2 := x * x
	return (13860 - (462-(132-(99-140/x2)/x2)/x2)/x2) / x / 166320
}
