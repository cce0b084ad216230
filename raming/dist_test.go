package raming

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestFitBeta: the fitted beta's 5th and 95th percentiles are the interval
// to 1e-9, for the built-in scenarios' intervals and for intervals near 0,
// near 1, very narrow, very wide and skewed (where the shape has a pole).
func TestFitBeta(t *testing.T) {
	for _, iv := range [][2]float64{
		{0.5, 0.9}, {0.3, 0.7}, {0.05, 0.3}, {0.2, 0.5}, {0.33, 0.66}, // of the kind the scenarios use
		{1e-6, 1e-4}, {0.0001, 0.001}, {0.999, 0.9999}, {0.9, 0.999999}, {1e-6, 0.999999},
		{0.4999, 0.5001}, {0.4999, 0.499999}, {0.01, 0.99}, {0.7, 0.999999},
	} {
		a, b, err := fitBeta(iv[0], iv[1])
		if err != nil {
			t.Errorf("%g-%g: %v", iv[0], iv[1], err)
			continue
		}
		d := distuv.Beta{Alpha: a, Beta: b}
		if lo, hi := d.Quantile(0.05), d.Quantile(0.95); math.Abs(lo-iv[0]) > 1e-9 || math.Abs(hi-iv[1]) > 1e-9 {
			t.Errorf("%g-%g: beta(%g, %g) has P5 %g, P95 %g", iv[0], iv[1], a, b, lo, hi)
		}
	}
}

// TestFitBetaRefusesImpossibleIntervals: an interval that no beta has is an
// error that names it, not a panic or a poor fit.
func TestFitBetaRefusesImpossibleIntervals(t *testing.T) {
	for _, iv := range [][2]float64{{0, 0.5}, {0.5, 1}, {0.6, 0.4}, {0.5, 0.5}, {-0.1, 0.5}, {0.2, 1.5}, {math.NaN(), 0.5}} {
		if a, b, err := fitBeta(iv[0], iv[1]); err == nil {
			t.Errorf("%g-%g: fitted beta(%g, %g), want an error", iv[0], iv[1], a, b)
		}
	}
}

// BenchmarkFitBeta is one fit of a beta to a 90% interval: every run
// makes one per interval of its scenario (then cached for the process).
func BenchmarkFitBeta(b *testing.B) {
	for b.Loop() {
		if _, _, err := fitBeta(0.5, 0.9); err != nil {
			b.Fatal(err)
		}
	}
}
