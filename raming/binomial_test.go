package raming

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestBinomialChiSquare checks the sampler against the exact distribution
// (gonum's distuv.Binomial.Prob) with a chi-square goodness-of-fit test on
// a grid of n from 1 to 10⁶ and p from 0.001 to 0.999, covering both
// methods (inversion and BTRS) and both halves of p. Outcomes are pooled
// into classes of at least 10 expected draws, the tails into the outer
// classes. Each cell must pass at the 10⁻⁴ level, and so must the sum of
// all cells' statistics (which sees a small bias no single cell could).
func TestBinomialChiSquare(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 11))
	var sumChi2, sumDF float64
	for _, n := range []float64{1, 2, 5, 10, 31, 60, 61, 100, 1000, 1e4, 1e5, 1e6} {
		for _, p := range []float64{0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999} {
			chi2, df := binomialChiSquare(t, r, n, p, 40000)
			sumChi2 += chi2
			sumDF += df
		}
	}
	if pv := (distuv.ChiSquared{K: sumDF}).Survival(sumChi2); pv < 1e-4 {
		t.Errorf("all cells together: chi-square %.1f on %g degrees of freedom, p-value %.2g", sumChi2, sumDF, pv)
	}
}

// TestBinomialChiSquareDeep tests a few cells drawn by BTRS with millions
// of draws, enough to see an error of a percent in the rarely used parts
// of its hat (the tails beyond the box).
func TestBinomialChiSquareDeep(t *testing.T) {
	if testing.Short() {
		t.Skip("millions of draws")
	}
	r := rand.New(rand.NewPCG(2024, 12))
	for _, c := range []struct{ n, p float64 }{{80, 0.45}, {1000, 0.3}, {1e5, 0.62}} {
		binomialChiSquare(t, r, c.n, c.p, 2_000_000)
	}
}

// binomialChiSquare draws Binomial(n, p) draws times and returns the
// chi-square statistic against the exact probabilities with its degrees
// of freedom; it fails the test below the 10⁻⁴ level.
func binomialChiSquare(t *testing.T, r *rand.Rand, n, p float64, draws int) (chi2, df float64) {
	t.Helper()
	classes := binomialClasses(n, p, draws)
	if len(classes) < 2 {
		return 0, 0 // (almost) all mass on one outcome: nothing to test
	}
	observed := make([]float64, len(classes))
	for range draws {
		k := binomial(r, n, p)
		if k != math.Trunc(k) || k < 0 || k > n {
			t.Fatalf("Binomial(%g, %g): draw %v is not a count from 0 to n", n, p, k)
		}
		observed[classOf(classes, k)]++
	}
	for i, c := range classes {
		e := c.prob * float64(draws)
		chi2 += (observed[i] - e) * (observed[i] - e) / e
	}
	df = float64(len(classes) - 1)
	if pv := (distuv.ChiSquared{K: df}).Survival(chi2); pv < 1e-4 {
		t.Errorf("Binomial(%g, %g), %d draws: chi-square %.1f on %g degrees of freedom, p-value %.2g", n, p, draws, chi2, df, pv)
	}
	return chi2, df
}

// binomialClass is a run of outcomes [lo, hi] with its exact probability.
type binomialClass struct {
	lo, hi float64
	prob   float64
}

// binomialClasses cuts the outcomes 0..n of Binomial(n, p) into runs of at
// least 10 expected draws out of draws; the first and last run take the
// tails (beyond 12 standard deviations) too.
func binomialClasses(n, p float64, draws int) []binomialClass {
	exact := distuv.Binomial{N: n, P: p}
	sd := math.Sqrt(n * p * (1 - p))
	lo := math.Max(0, math.Floor(n*p-12*sd-10))
	hi := math.Min(n, math.Ceil(n*p+12*sd+10))
	minProb := 10 / float64(draws)
	var out []binomialClass
	cur := binomialClass{lo: lo}
	for k := lo; k <= hi; k++ {
		cur.prob += exact.Prob(k)
		cur.hi = k
		if cur.prob >= minProb {
			out = append(out, cur)
			cur = binomialClass{lo: k + 1}
		}
	}
	if len(out) == 0 {
		out = append(out, cur)
	} else {
		last := &out[len(out)-1]
		last.hi, last.prob = hi, last.prob+cur.prob
	}
	// The tails beyond [lo, hi] (negligible) count in the outer classes.
	out[0].lo, out[len(out)-1].hi = 0, n
	return out
}

func classOf(classes []binomialClass, k float64) int {
	for i, c := range classes {
		if k <= c.hi {
			return i
		}
	}
	return len(classes) - 1
}

// TestBinomialEdges: no draw for n = 0, p = 0 or p not a number (0 ÷ 0),
// all n for p = 1 or more, and the same stream gives the same draws.
func TestBinomialEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	if got := binomial(r, 0, 0.5); got != 0 {
		t.Errorf("Binomial(0, 0.5) = %v, want 0", got)
	}
	if got := binomial(r, 10, 0); got != 0 {
		t.Errorf("Binomial(10, 0) = %v, want 0", got)
	}
	if got := binomial(r, 10, 1); got != 10 {
		t.Errorf("Binomial(10, 1) = %v, want 10", got)
	}
	if got := binomial(r, 10, math.NaN()); got != 0 {
		t.Errorf("Binomial(10, NaN) = %v, want 0", got)
	}
	if got := binomial(r, 10, math.Inf(1)); got != 10 {
		t.Errorf("Binomial(10, +Inf) = %v, want 10", got)
	}
	a, b := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(5, 6))
	for _, n := range []float64{7, 500, 123456} {
		if x, y := binomial(a, n, 0.37), binomial(b, n, 0.37); x != y {
			t.Errorf("Binomial(%g, 0.37) on the same stream: %v and %v", n, x, y)
		}
	}
}

// BenchmarkBinomial compares one draw with gonum's distuv.Binomial, for
// counts like an extract's groups (tens to thousands) and beyond.
func BenchmarkBinomial(b *testing.B) {
	for _, n := range []float64{20, 200, 2000, 1e6} {
		b.Run(fmt.Sprintf("n=%g/raming", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			for b.Loop() {
				binomial(r, n, 0.75)
			}
		})
		b.Run(fmt.Sprintf("n=%g/gonum", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			for b.Loop() {
				distuv.Binomial{N: n, P: 0.75, Src: r}.Rand()
			}
		})
	}
}
