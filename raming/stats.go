package raming

import (
	"cmp"
	"math"
	"slices"
)

// PercentileDefinition is the one definition of a percentile used
// everywhere (JSON, workbook, docs): quoted verbatim in the workbook and in
// docs/methodology.md.
const PercentileDefinition = "Percentielen: lineaire interpolatie tussen de gesorteerde trekkingen " +
	"(Hyndman-Fan type 7, gelijk aan PERCENTIEL.INC / PERCENTILE.INC in Excel): " +
	"P_p = x[h] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) met h = (n − 1)·p/100 op de oplopend gesorteerde x[0..n−1]."

// percentile returns the p-th percentile (0-100) of sorted x by Hyndman-Fan
// type 7, as Excel's PERCENTILE.INC.
func percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p / 100
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// weightedPercentile is percentile for draws that weigh unequally (B's
// amounts, each weighing with its probability of access): the same
// linear interpolation between the sorted values, at the positions
// (weight before the value) ÷ (total weight − the last value's weight),
// which are (k−1)/(n−1) when every weight is equal, so that it then is
// PERCENTILE.INC. Values of weight 0 are left out.
func weightedPercentile(sorted, weights []float64, p float64) float64 {
	var xs, ws []float64
	total := 0.0
	for i, w := range weights {
		if w > 0 {
			xs, ws = append(xs, sorted[i]), append(ws, w)
			total += w
		}
	}
	n := len(xs)
	switch {
	case n == 0:
		return math.NaN()
	case n == 1 || total == ws[n-1]:
		return xs[n-1]
	}
	target := p / 100 * (total - ws[n-1])
	before := 0.0
	for k := 0; k < n-1; k++ {
		next := before + ws[k]
		if target <= next {
			return xs[k] + (target-before)/(next-before)*(xs[k+1]-xs[k])
		}
		before = next
	}
	return xs[n-1]
}

// meanSD returns the mean and the sample standard deviation.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}

// Bin is one bar of a histogram: [Low, High) with Count draws.
type Bin struct {
	Low, High float64
	Count     int
}

// histogram returns bins equal-width bins from the lowest to the highest
// draw (the last bin includes its upper edge).
func histogram(sorted []float64, bins int) []Bin {
	lo, hi := sorted[0], sorted[len(sorted)-1]
	if hi == lo {
		return []Bin{{Low: lo, High: hi, Count: len(sorted)}}
	}
	out := make([]Bin, bins)
	w := (hi - lo) / float64(bins)
	for i := range out {
		out[i].Low, out[i].High = lo+float64(i)*w, lo+float64(i+1)*w
	}
	out[bins-1].High = hi
	for _, v := range sorted {
		i := int((v - lo) / w)
		if i >= bins {
			i = bins - 1
		}
		out[i].Count++
	}
	return out
}

// ranks returns the ranks (1..n, ties averaged) of x.
func ranks(x []float64) []float64 {
	type pair struct {
		v float64
		i int
	}
	ps := make([]pair, len(x))
	for i, v := range x {
		ps[i] = pair{v, i}
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.v, b.v) })
	r := make([]float64, len(x))
	for i := 0; i < len(ps); {
		j := i
		for j+1 < len(ps) && ps[j+1].v == ps[i].v {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[ps[k].i] = avg
		}
		i = j + 1
	}
	return r
}

// pearson returns the correlation of x and y (0 when either is constant).
func pearson(x, y []float64) float64 {
	mx, sx := meanSD(x)
	my, sy := meanSD(y)
	if sx == 0 || sy == 0 {
		return 0
	}
	var c float64
	for i := range x {
		c += (x[i] - mx) * (y[i] - my)
	}
	return c / float64(len(x)-1) / (sx * sy)
}

// batches is the number of batches of the batch-means standard error.
const batches = 20

// batchSEs returns the standard error of each percentile in ps by batch
// means: the draws, in iteration order, are cut into 20 batches; the
// percentile of each batch varies with sd s, and the standard error of the
// whole is s/√20. NaN with fewer than 40 draws.
func batchSEs(draws []float64, ps []float64) []float64 {
	out := make([]float64, len(ps))
	n := len(draws) / batches
	if n < 2 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	est := make([][]float64, len(ps))
	buf := make([]float64, n)
	for b := 0; b < batches; b++ {
		copy(buf, draws[b*n:(b+1)*n])
		slices.Sort(buf)
		for i, p := range ps {
			est[i] = append(est[i], percentile(buf, p))
		}
	}
	for i := range ps {
		_, sd := meanSD(est[i])
		out[i] = sd / math.Sqrt(batches)
	}
	return out
}

// stableRound rounds x to the digits that are stable at standard error se:
// to the power of ten at or below se (so the shown figure moves by less than
// one unit of its last digit from one run to the next, most of the time).
func stableRound(x, se float64) float64 {
	if se <= 0 || math.IsNaN(se) {
		return x
	}
	unit := math.Pow(10, math.Floor(math.Log10(se)))
	return math.Round(x/unit) * unit
}
