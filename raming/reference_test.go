package raming

import (
	"math"
	"slices"
	"sort"
)

// The statistics of a series from a full sort of it: the reference the
// summaries (summary.go), which never keep a series, are tested against.

// histogram returns bins equal-width bins from the lowest to the highest
// draw (the last bin includes its upper edge).
func histogram(sorted []float64, bins int) []Bin {
	lo, hi := sorted[0], sorted[len(sorted)-1]
	if hi == lo {
		return []Bin{{Low: lo, High: hi, Count: len(sorted)}}
	}
	w := (hi - lo) / float64(bins)
	if math.IsNaN(w) || math.IsInf(w, 0) {
		return nil // draws that are not finite have no histogram
	}
	out := make([]Bin, bins)
	for i := range out {
		out[i].Low, out[i].High = lo+float64(i)*w, lo+float64(i+1)*w
	}
	out[bins-1].High = hi
	for _, v := range sorted {
		i := min(max(int((v-lo)/w), 0), bins-1)
		out[i].Count++
	}
	return out
}

// stats summarises the series: mean and sd in iteration order, the
// percentiles ps with their batch-means standard errors, and the
// histogram.
func (s sorted) stats(ps []float64) Stats {
	mean, sd := meanSD(s.draws)
	se := sd / math.Sqrt(float64(len(s.draws)))
	return Stats{Mean: mean, SD: sd, SE: se, MeanStable: stableRound(mean, se), Histogram: histogram(s.vals, HistogramBins),
		Percentiles: s.percentiles(ps)}
}

// percentiles returns the percentiles ps with their batch-means standard
// errors, and each value rounded to the digits stable at its error.
func (s sorted) percentiles(ps []float64) []PercentileValue {
	out := make([]PercentileValue, len(ps))
	for i, se := range s.batchSEs(ps) {
		v := percentile(s.vals, ps[i])
		out[i] = PercentileValue{P: ps[i], Value: v, SE: se, Stable: stableRound(v, se)}
	}
	return out
}

// rank is the percentile rank (0-100) of x among the draws: the share of
// draws below x, draws equal to x counted half. Draws within a thousandth
// of a cent of x count as equal (the float64 rounding of the exact figure).
func (s sorted) rank(x float64) float64 {
	tol := 1e-5 + 1e-12*math.Abs(x)
	lo, hi := x-tol, x+tol
	below := sort.Search(len(s.vals), func(k int) bool { return s.vals[k] >= lo })
	upTo := sort.Search(len(s.vals), func(k int) bool { return s.vals[k] > hi })
	return 100 * (float64(below) + float64(upTo-below)/2) / float64(len(s.vals))
}

// batches is the number of batches of the batch-means standard error.
// batchSEs returns the standard error of each percentile in ps by batch
// means: the draws, in iteration order, are cut into 20 batches; the
// percentile of each batch varies with sd s, and the standard error of the
// whole is s/√20. NaN with fewer than 40 draws. One pass over the sorted
// draws finds every batch's percentiles: a batch's values come in its own
// sorted order.
func (s sorted) batchSEs(ps []float64) []float64 {
	out := make([]float64, len(ps))
	m := len(s.draws) / batches
	if m < 2 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	// The positions in a sorted batch that the percentiles interpolate
	// between, ascending.
	var need []int
	for _, p := range ps {
		lo, _ := position(m, p)
		need = append(need, lo, min(lo+1, m-1))
	}
	slices.Sort(need)
	need = slices.Compact(need)
	var seen, next [batches]int
	at := make([][batches]float64, len(need)) // [position][batch]
	for k, it := range s.iter {
		b := int(it) / m
		if b >= batches {
			continue // the draws after the last whole batch
		}
		if j := next[b]; j < len(need) && need[j] == seen[b] {
			at[j][b] = s.vals[k]
			next[b]++
		}
		seen[b]++
	}
	est := make([]float64, batches)
	for i, p := range ps {
		lo, frac := position(m, p)
		j := slices.Index(need, lo)
		for b := range est {
			if lo >= m-1 {
				est[b] = at[j][b]
			} else {
				est[b] = at[j][b] + frac*(at[j+1][b]-at[j][b])
			}
		}
		_, sd := meanSD(est)
		out[i] = sd / math.Sqrt(batches)
	}
	return out
}
