package raming

import "math"

// summary accumulates what the summaries report of one series over the
// passes: its sum and squared deviations in iteration order (the mean and
// sd, as meanSD computes them), its histogram, and its order statistics
// (selection). A series whose draws are all equal needs no selection.
type summary struct {
	n        int
	lo, hi   float64 // the lowest and highest value (sort order), after the first pass
	constant bool
	sum, ss  float64
	mean     float64
	// histogram: the bins' width, and their counts (nil: no histogram)
	width float64
	bins  []int
	want  want
	// the ranks the selection wants: of all draws, and of each batch of m
	whole, batch []int
	m            int
	sel          *selection
	// rank of the point estimate: the draws below it and up to it (totals)
	point       float64
	below, upTo int
	// more counts the draws above 0 (differences)
	more int
}

// want says what a series reports besides its mean and percentiles: the
// percentiles' batch-means errors, its sd, a histogram, a curve (P1 to
// P99).
type want struct {
	batches, sd, histogram, curve bool
}

// newSummary prepares the summary of a series of n draws whose values
// lie between keys lo and hi, or are estimated to (the first pass's
// histograms spread that range; a series equal there starts its
// selection only when the first pass finds it is not constant).
func newSummary(n int, lo, hi uint64, ps []float64, w want) *summary {
	sm := &summary{n: n, want: w}
	add := func(ranks []int, n int, p float64) []int {
		l, _ := position(n, p)
		return append(ranks, l, min(l+1, n-1))
	}
	for _, p := range ps {
		sm.whole = add(sm.whole, n, p)
	}
	if w.curve {
		for k := 1; k <= 99; k++ {
			sm.whole = add(sm.whole, n, float64(k))
		}
	}
	if m := n / batches; w.batches && m >= 2 {
		sm.m = m
		for _, p := range ps {
			sm.batch = add(sm.batch, m, p)
		}
	}
	if lo != hi {
		sm.sel = newSelection(n, lo, hi, sm.whole, sm.m, sm.batch)
	}
	return sm
}

// first takes the draws of iterations lo, lo+1, ... in the first pass:
// their sum and the selection's first pass.
func (sm *summary) first(lo int, x []float64) {
	sum := sm.sum
	for _, v := range x {
		sum += v
	}
	sm.sum = sum
	if sm.sel != nil {
		sm.sel.addBlock(lo, x)
	}
}

// afterFirst sets what the first pass found: the mean, and the lowest and
// highest draw (keys lo, hi), from which the histogram's bins and, for a
// series that is not constant, its selection (if the first pass had none).
func (sm *summary) afterFirst(lo, hi uint64) {
	sm.mean = sm.sum / float64(sm.n)
	sm.lo, sm.hi, sm.constant = fromSortKey(lo), fromSortKey(hi), lo == hi
	if sm.constant {
		sm.sel = nil
		return
	}
	if sm.want.histogram && sm.lo != sm.hi {
		sm.width = (sm.hi - sm.lo) / HistogramBins
		if !math.IsNaN(sm.width) && !math.IsInf(sm.width, 0) {
			sm.bins = make([]int, HistogramBins)
		}
	}
	if sm.sel == nil {
		sm.sel = newSelection(sm.n, lo, hi, sm.whole, sm.m, sm.batch)
	} else {
		sm.sel.end()
	}
	if !sm.sel.done() {
		sm.sel.begin()
	}
}

// second takes the draws in the second pass: the squared deviations from
// the mean, the histogram and the selection's second pass; later passes
// only select.
func (sm *summary) second(lo int, x []float64) {
	if sm.want.sd {
		ss, mean := sm.ss, sm.mean
		for _, v := range x {
			ss += (v - mean) * (v - mean)
		}
		sm.ss = ss
	}
	if bins := sm.bins; bins != nil {
		lo, width := sm.lo, sm.width
		for _, v := range x {
			bins[min(max(int((v-lo)/width), 0), HistogramBins-1)]++
		}
	}
	if sm.sel != nil && !sm.sel.done() {
		sm.sel.addBlock(lo, x)
	}
}

// order returns the draw at rank r of scope sc (0: all; 1+b: batch b).
func (sm *summary) order(sc, r int) float64 {
	if sm.constant {
		return sm.lo
	}
	return sm.sel.value(sc, r)
}

// percentile is percentile p of the draws, as percentile of the sorted
// draws.
func (sm *summary) percentile(p float64) float64 {
	l, frac := position(sm.n, p)
	if l >= sm.n-1 {
		return sm.order(0, sm.n-1)
	}
	a := sm.order(0, l)
	return a + frac*(sm.order(0, l+1)-a)
}

// sd is the sample standard deviation, as meanSD computes it.
func (sm *summary) sd() float64 {
	if sm.n < 2 {
		return 0
	}
	return math.Sqrt(sm.ss / float64(sm.n-1))
}

// percentiles returns the percentiles ps with their batch-means standard
// errors (batchSEs), each value rounded to the digits stable at its error.
func (sm *summary) percentiles(ps []float64) []PercentileValue {
	out := make([]PercentileValue, len(ps))
	m := sm.n / batches
	est := make([]float64, batches)
	for i, p := range ps {
		v := sm.percentile(p)
		se := math.NaN()
		if m >= 2 {
			l, frac := position(m, p)
			for b := range est {
				est[b] = sm.order(1+b, l)
				if l < m-1 {
					est[b] += frac * (sm.order(1+b, l+1) - est[b])
				}
			}
			_, sd := meanSD(est)
			se = sd / math.Sqrt(batches)
		}
		out[i] = PercentileValue{P: p, Value: v, SE: se, Stable: stableRound(v, se)}
	}
	return out
}

// stats summarises the series as sorted.stats does.
func (sm *summary) stats(ps []float64) Stats {
	sd := sm.sd()
	se := sd / math.Sqrt(float64(sm.n))
	st := Stats{Mean: sm.mean, SD: sd, SE: se, MeanStable: stableRound(sm.mean, se), Percentiles: sm.percentiles(ps)}
	switch {
	case sm.lo == sm.hi:
		st.Histogram = []Bin{{Low: sm.lo, High: sm.hi, Count: sm.n}}
	case sm.bins != nil:
		st.Histogram = make([]Bin, HistogramBins)
		for i := range st.Histogram {
			st.Histogram[i] = Bin{Low: sm.lo + float64(i)*sm.width, High: sm.lo + float64(i+1)*sm.width, Count: sm.bins[i]}
		}
		st.Histogram[HistogramBins-1].High = sm.hi
	}
	return st
}

// rank is the percentile rank (0-100) of the point among the draws, as
// sorted.rank computes it.
func (sm *summary) rank() float64 {
	return 100 * (float64(sm.below) + float64(sm.upTo-sm.below)/2) / float64(sm.n)
}

// rankBounds are the values within which a draw counts as equal to x
// (sorted.rank).
func rankBounds(x float64) (lo, hi float64) {
	tol := 1e-5 + 1e-12*math.Abs(x)
	return x - tol, x + tol
}
