package raming

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The generic phasing (phasing.go) on float64, the reference the bands'
// own float64 code (bands.go) is tested against.

// f64 is a float64 with the methods of number.
type f64 float64

func (a f64) Add(b f64) f64       { return a + b }
func (a f64) Sub(b f64) f64       { return a - b }
func (a f64) Mul(b f64) f64       { return a * b }
func (a f64) LessThan(b f64) bool { return a < b }
func (a f64) Sign() int           { return cmpSign(float64(a)) }
func f64FromInt(n int64) f64      { return f64(n) }
func f64Div(a, b f64) f64         { return a / b }
func cmpSign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// proportional splits total over the years in proportion to weights
// (float64, for the simulation: the exact budget uses allocate), into
// out's backing array. Without any weight, everything falls in the first
// year.
func proportional(out []f64, total f64, weights []f64) []f64 {
	var sum f64
	for _, w := range weights {
		sum += w
	}
	out = slices.Grow(out[:0], len(weights))[:len(weights)]
	clear(out)
	if sum == 0 {
		if len(out) > 0 {
			out[0] = total
		}
		return out
	}
	for i, w := range weights {
		out[i] = total * (w / sum)
	}
	return out
}

// referenceCashYears is the bands' cash per budget year of one case in one
// iteration by the generic phasing: decisions, then per line proportional
// and cashWeights, later years counted in the last one.
func referenceCashYears(s *simulator, p phaseLane, uhtFiles, cwsFiles, scheme, cws float64) (cash [bandYears]float64) {
	ph := phaseParams[f64]{intake: s.intake, lag: s.lag, uhtCap: f64(p.uhtCap), cwsCap: f64(p.cwsCap), cashLag: f64(p.cashLag),
		openShare: f64(p.openShare), cwsStart: f64(p.cwsStart), ramp: s.ramp}
	uht, cwsD := decisions(f64(uhtFiles), f64(cwsFiles), ph, f64FromInt, f64Div, &phaseBuffers[f64]{})
	for _, line := range []struct {
		total     float64
		decisions []f64
	}{{scheme, uht}, {cws, cwsD}} {
		lines := proportional(nil, f64(line.total), line.decisions)
		for y, x := range cashWeights(nil, lines, ph.cashLag, 1) {
			cash[min(y, bandYears-1)] += float64(x)
		}
	}
	return cash
}

// TestBandYearsMatchGenericPhasing: the bands' float64 phasing (a flow's
// shares per lane, then a case's cash per year) gives, to the bit, what
// the generic phasing gives on f64, on random files, capacities (binding
// or not), cash lags, opening shares and ramps, and negative costs.
func TestBandYearsMatchGenericPhasing(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for trial := range 40 {
		s := &simulator{intake: 1 + r.IntN(3), lag: r.IntN(3)}
		if r.IntN(2) == 0 {
			s.ramp = 1 + r.IntN(3)
		}
		pick := func(xs ...float64) float64 { return xs[r.IntN(len(xs))] }
		var fl flowLanes
		var ps [lanes]phaseLane
		files, cwsFiles, scheme, cws := make([]float64, lanes), make([]float64, lanes), make([]float64, lanes), make([]float64, lanes)
		for l := range lanes {
			ps[l] = phaseLane{uhtCap: pick(100, 3000, 1e4) * (0.5 + r.Float64()), cwsCap: pick(50, 1000, 5000) * (0.5 + r.Float64()),
				cashLag: pick(0, 0.1, 0.35*r.Float64()), openShare: pick(1, 0.25+0.75*r.Float64()), cwsStart: pick(10, 300*r.Float64())}
			files[l] = pick(0, 1, float64(r.IntN(20000)), 1e5*r.Float64())
			cwsFiles[l] = pick(0, files[l], files[l]*r.Float64())
			scheme[l], cws[l] = pick(0, 1e8*r.Float64(), -3e6*r.Float64()), pick(0, 2e7*r.Float64())
		}
		fl.phase = ps
		s.flowShares(&fl, files, cwsFiles)
		var years [bandYears][]float64
		for y := range years {
			years[y] = make([]float64, lanes)
		}
		caseYears(&fl, scheme, cws, lanes, &years)
		for l := range lanes {
			want := referenceCashYears(s, ps[l], files[l], cwsFiles[l], scheme[l], cws[l])
			for y := range want {
				if got := years[y][l]; !sameBits(got, want[y]) && !(got == 0 && want[y] == 0) {
					t.Fatalf("trial %d, lane %d, year %d: %v, want %v (%s)", trial, l, y, got, want[y], fmt.Sprint(ps[l], files[l], cwsFiles[l], scheme[l], cws[l]))
				}
			}
		}
	}
}
