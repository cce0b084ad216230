package raming

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// selectAll runs the passes of a selection over x until every rank is
// found, and returns the number of passes.
func selectAll(s *selection, x []float64) int {
	passes := 0
	for !s.done() {
		s.begin()
		for lo := 0; lo < len(x); lo += lanes {
			s.addBlock(lo, x[lo:min(lo+lanes, len(x))])
		}
		s.end()
		passes++
	}
	return passes
}

// sortedKeys returns x sorted as the summaries order draws (sortKey).
func sortedKeys(x []float64) []float64 {
	s := slices.Clone(x)
	slices.SortStableFunc(s, func(a, b float64) int {
		ka, kb := sortKey(a), sortKey(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	return s
}

// TestSelectionMatchesSorting: the order statistics a selection finds, of
// the run and of each batch, are the values a full sort puts at those
// ranks, to the bit, for series with ties, point masses, heavy tails, an
// outlier, zeros of both signs, and values that are not finite; and two
// passes suffice for the series of a simulation.
func TestSelectionMatchesSorting(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	series := map[string]func(n int) []float64{
		"normal":    func(n int) []float64 { return gen(n, func() float64 { return 1e8 + 1e7*r.NormFloat64() }) },
		"lognormal": func(n int) []float64 { return gen(n, func() float64 { return math.Exp(15 + 1.2*r.NormFloat64()) }) },
		"point masses": func(n int) []float64 {
			return gen(n, func() float64 {
				switch r.IntN(4) {
				case 0:
					return 0
				case 1:
					return 11390229
				}
				return 1e6 + 1e7*r.Float64()
			})
		},
		"few values": func(n int) []float64 { return gen(n, func() float64 { return float64(r.IntN(7)) * 0.1 }) },
		"outlier": func(n int) []float64 {
			x := gen(n, func() float64 { return 1 + r.Float64()*1e-9 })
			x[n/2] = 1e300
			return x
		},
		"signed zeros": func(n int) []float64 {
			return gen(n, func() float64 { return []float64{0, math.Copysign(0, -1), -1, 1}[r.IntN(4)] * r.Float64() })
		},
		"not finite": func(n int) []float64 {
			return gen(n, func() float64 {
				switch r.IntN(50) {
				case 0:
					return math.Inf(1)
				case 1:
					return math.Inf(-1)
				case 2:
					return math.NaN()
				}
				return r.NormFloat64()
			})
		},
	}
	for name, make := range series {
		for _, n := range []int{1, 2, 39, 40, 59, 1001, 20_000, 300_000} {
			x := make(n)
			var whole []int
			for p := range 101 {
				lo, _ := position(n, float64(p))
				whole = append(whole, lo, min(lo+1, n-1))
			}
			m := n / batches
			var batch []int
			if m >= 2 {
				for _, p := range DefaultPercentiles {
					lo, _ := position(m, p)
					batch = append(batch, lo, min(lo+1, m-1))
				}
			} else {
				m = 0
			}
			lo, hi := sortKey(slices.MinFunc(x, cmpKey)), sortKey(slices.MaxFunc(x, cmpKey))
			s := newSelection(n, lo, hi, whole, m, batch)
			passes := selectAll(s, x)
			if passes > 2 && name != "outlier" && name != "signed zeros" && name != "not finite" {
				t.Errorf("%s, %d values: %d passes, want at most 2", name, n, passes)
			}
			sorted := sortedKeys(x)
			for _, r := range whole {
				if got, want := s.value(0, r), sorted[r]; !sameBits(got, want) {
					t.Fatalf("%s, %d values: rank %d: %v, want %v", name, n, r, got, want)
				}
			}
			for b := range batches {
				if m == 0 {
					break
				}
				sb := sortedKeys(x[b*m : (b+1)*m])
				for _, r := range batch {
					if got, want := s.value(1+b, r), sb[r]; !sameBits(got, want) {
						t.Fatalf("%s, %d values, batch %d: rank %d: %v, want %v", name, n, b, r, got, want)
					}
				}
			}
		}
	}
}

func gen(n int, f func() float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = f()
	}
	return x
}

func cmpKey(a, b float64) int {
	ka, kb := sortKey(a), sortKey(b)
	switch {
	case ka < kb:
		return -1
	case ka > kb:
		return 1
	}
	return 0
}

// sameBits reports whether two floats are the same value, bit for bit.
func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
