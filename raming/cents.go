package raming

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// fixed is an exact non-negative decimal num ÷ 10^scale: the form the
// per-record arithmetic of variant B takes in whole numbers. Products go
// through 128 bits (math/bits), so the results are the exact decimals'
// (shopspring/decimal, which computes with big integers), rounded the same
// way, for as long as every figure fits; a function that finds one that
// does not says so, and the caller computes with decimals.
type fixed struct {
	num   uint64
	scale int // 0 to 19
}

// pow10 are the powers of ten that fit in a uint64.
var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = 10 * p[i-1]
	}
	return p
}()

// fixedOf returns d as a fixed, if it is non-negative with at most 18
// digits and 19 decimals.
func fixedOf(d decimal.Decimal) (fixed, bool) {
	if d.Sign() < 0 || d.NumDigits() > 18 {
		return fixed{}, false
	}
	num, exp := uint64(d.CoefficientInt64()), int(d.Exponent())
	for ; exp > 0; exp-- { // a whole number written with an exponent: 3E+1
		if num > (1<<63)/10 {
			return fixed{}, false
		}
		num *= 10
	}
	if -exp >= len(pow10) {
		return fixed{}, false
	}
	return fixed{num, -exp}, true
}

// less reports whether x < y.
func (x fixed) less(y fixed) bool {
	// Compare x.num × 10^y.scale with y.num × 10^x.scale in 128 bits.
	xh, xl := bits.Mul64(x.num, pow10[y.scale])
	yh, yl := bits.Mul64(y.num, pow10[x.scale])
	return xh < yh || xh == yh && xl < yl
}

// mulDivRound returns a × b ÷ c rounded half away from zero (a whole
// number), or false when it does not fit in 63 bits.
func mulDivRound(a, b, c uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	if c == 0 || hi >= c {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, c)
	if q >= 1<<63 {
		return 0, false
	}
	if r >= c-r { // 2r ≥ c: the half rounds away from zero
		q++
	}
	return q, q < 1<<63
}

// quotient returns x ÷ y rounded half away from zero to places decimals,
// as decimal.Decimal.DivRound does, or false when it does not fit.
func (x fixed) quotient(y fixed, places int) (fixed, bool) {
	// x ÷ y = x.num × 10^k ÷ y.num in units of 10^−places, with
	// k = y.scale + places − x.scale; a power beyond a uint64's moves
	// into the numerator (k > 19) or the denominator (k < 0).
	num, den, k := x.num, y.num, y.scale+places-x.scale
	for ; k >= len(pow10); k-- {
		if num > math.MaxUint64/10 {
			return fixed{}, false
		}
		num *= 10
	}
	for ; k < 0; k++ {
		if den > math.MaxUint64/10 {
			return fixed{}, false
		}
		den *= 10
	}
	q, ok := mulDivRound(num, pow10[k], den)
	return fixed{q, places}, ok
}

// product returns x × y exactly, or false when it does not fit.
func (x fixed) product(y fixed) (fixed, bool) {
	hi, lo := bits.Mul64(x.num, y.num)
	if hi != 0 || lo >= 1<<63 || x.scale+y.scale >= len(pow10) {
		return fixed{}, false
	}
	return fixed{lo, x.scale + y.scale}, true
}

// timesCents returns x × cents rounded half away from zero to whole cents,
// or false when it does not fit.
func (x fixed) timesCents(cents int64) (int64, bool) {
	if cents < 0 {
		return 0, false
	}
	c, ok := mulDivRound(x.num, uint64(cents), pow10[x.scale])
	return int64(c), ok
}
