package raming

import (
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
	lo, frac := position(n, p)
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}

// position is where percentile p of n sorted values lies: between the
// values at lo and lo+1, frac of the way (h = (n−1)·p/100, lo = ⌊h⌋).
func position(n int, p float64) (lo int, frac float64) {
	h := float64(n-1) * p / 100
	lo = int(math.Floor(h))
	return lo, h - float64(lo)
}

// weightedPercentile is percentile for draws that weigh unequally (B's
// amounts, each weighing with its probability of access): the same
// linear interpolation between the sorted values, at the positions
// (weight before the value) ÷ (total weight − the last value's weight),
// which are (k−1)/(n−1) when every weight is equal, so that it then is
// PERCENTILE.INC. Values of weight 0 are left out.
func weightedPercentile(sorted, weights []float64, p float64) float64 {
	n, total, last := 0, 0.0, -1
	for i, w := range weights {
		if w > 0 {
			n, total, last = n+1, total+w, i
		}
	}
	switch {
	case n == 0:
		return math.NaN()
	case n == 1 || total == weights[last]:
		return sorted[last]
	}
	target := p / 100 * (total - weights[last])
	before := 0.0
	for k := 0; k < last; k++ {
		if weights[k] <= 0 {
			continue
		}
		next := before + weights[k]
		if target <= next {
			// Interpolate to the next value of positive weight.
			k1 := k + 1
			for weights[k1] <= 0 {
				k1++
			}
			return sorted[k] + (target-before)/(next-before)*(sorted[k1]-sorted[k])
		}
		before = next
	}
	return sorted[last]
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

// sorterBytes is what a sorter holds per value of a series (its values
// ascending, vals, take 8 more).
const sorterBytes = 2*8 + 2*4

// sorter sorts series of draws, keeping each value's iteration, for the
// ranks of a series (the sensitivity) and, with its values, for
// percentiles (the option sweep's bands). Its buffers are reused from one
// series to the next: a sorted series lives until the next sort.
type sorter struct {
	keys, keys2 []uint64
	iter, iter2 []uint32
	vals        []float64
}

// sorted is a series of draws in iteration order (draws) and ascending
// (keys, and vals when asked for), with the iteration of each sorted
// value; equal values keep their iteration order.
type sorted struct {
	draws, vals []float64
	keys        []uint64
	iter        []uint32
}

// sort sorts x by radix on the bits of its values, in linear time: first
// on their upper 32 bits (sign, exponent and the leading 20 bits of the
// mantissa: a millionth of the value), least significant byte first,
// skipping a byte every value shares; then each run of values with the same
// upper bits on their lower 32 bits, by insertion when it is short (as
// nearly all are) and by radix when it is long.
func (s *sorter) sort(x []float64) sorted {
	n := len(x)
	s.keys, s.iter = resize(s.keys, n), resize(s.iter, n)
	for i, v := range x {
		s.keys[i], s.iter[i] = sortKey(v), uint32(i)
	}
	if slices.IsSorted(s.keys) { // a constant series, such as a year without payments
		return sorted{draws: x, keys: s.keys, iter: s.iter}
	}
	s.keys2, s.iter2 = resize(s.keys2, n), resize(s.iter2, n)
	s.radix(0, n, 4, 8)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && s.keys[hi]>>32 == s.keys[lo]>>32 {
			hi++
		}
		if hi-lo > 32 {
			s.radix(lo, hi, 0, 4)
		} else {
			s.insertion(lo, hi)
		}
		lo = hi
	}
	return sorted{draws: x, keys: s.keys, iter: s.iter}
}

// sortValues sorts x as sort does, with its values ascending (vals).
func (s *sorter) sortValues(x []float64) sorted {
	out := s.sort(x)
	s.vals = resize(s.vals, len(x))
	for i, k := range out.keys {
		s.vals[i] = fromSortKey(k)
	}
	out.vals = s.vals
	return out
}

// radix sorts keys[lo:hi] (with their iterations) stably on bytes
// [from, to) of the keys, least significant first.
func (s *sorter) radix(lo, hi, from, to int) {
	keys, iter := s.keys[lo:hi], s.iter[lo:hi]
	keys2, iter2 := s.keys2[lo:hi], s.iter2[lo:hi]
	var count [8][256]int
	for _, k := range keys {
		for d := from; d < to; d++ {
			count[d][byte(k>>(8*d))]++
		}
	}
	swapped := false
	for d := from; d < to; d++ {
		c, shift := &count[d], 8*d
		if c[byte(keys[0]>>shift)] == len(keys) {
			continue // every value has this byte
		}
		sum := 0
		for b := range c {
			c[b], sum = sum, sum+c[b]
		}
		for i, k := range keys {
			b := byte(k >> shift)
			keys2[c[b]], iter2[c[b]] = k, iter[i]
			c[b]++
		}
		keys, keys2, iter, iter2 = keys2, keys, iter2, iter
		swapped = !swapped
	}
	if swapped {
		copy(keys2, keys)
		copy(iter2, iter)
	}
}

// insertion sorts keys[lo:hi] (with their iterations) stably.
func (s *sorter) insertion(lo, hi int) {
	for i := lo + 1; i < hi; i++ {
		k, it := s.keys[i], s.iter[i]
		j := i
		for ; j > lo && s.keys[j-1] > k; j-- {
			s.keys[j], s.iter[j] = s.keys[j-1], s.iter[j-1]
		}
		s.keys[j], s.iter[j] = k, it
	}
}

// sortKey maps a float64 to an integer in the same order: negative values
// (sign bit set) have their bits inverted, the others the sign bit set.
func sortKey(x float64) uint64 {
	b := math.Float64bits(x)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

func fromSortKey(k uint64) float64 {
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// resize returns a slice of length n, reusing b's backing array when it is
// large enough (the contents are not kept).
func resize[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// rankSeries are a series' ranks, doubled, with the mean and sd of the
// ranks.
type rankSeries struct {
	r2       []uint32
	mean, sd float64
}

// rank is the rank a doubled rank stands for.
func (rankSeries) rank(r2 uint32) float64 { return float64(r2) / 2 }

// spearman returns the rank correlation of two series: the Pearson
// correlation of their ranks (0 when either is constant).
func spearman(x, y rankSeries) float64 {
	if x.sd == 0 || y.sd == 0 {
		return 0
	}
	var c float64
	for i, r := range x.r2 {
		c += (x.rank(r) - x.mean) * (y.rank(y.r2[i]) - y.mean)
	}
	return c / float64(len(x.r2)-1) / (x.sd * y.sd)
}

// batches is the number of batches of the batch-means standard error: the
// draws, in iteration order, are cut into 20 batches; a percentile of
// each batch varies with sd s, and the standard error of the whole is
// s/√20. NaN with fewer than 40 draws.
const batches = 20

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

// rankSorter ranks a series from the sort keys of its draws in 20 bytes a
// draw: the upper 32 bits of the keys sorted by radix with the draws'
// iterations, then each run of equal upper bits by the lower 32 bits.
type rankSorter struct {
	hi, hi2, it, it2, lo []uint32
	count                []int // the radix's counts
}

// rankSorterBytes is what a rankSorter holds per draw.
const rankSorterBytes = 5 * 4

// reset readies r for a series of n draws.
func (r *rankSorter) reset(n int) {
	r.hi, r.hi2, r.it, r.it2, r.lo = resize(r.hi, n), resize(r.hi2, n), resize(r.it, n), resize(r.it2, n), resize(r.lo, n)
}

// put sets the sort key of draw i.
func (r *rankSorter) put(i int, k uint64) {
	r.hi[i], r.lo[i], r.it[i] = uint32(k>>32), uint32(k), uint32(i)
}

// rank ranks the draws put (ranks).
func (r *rankSorter) rank(dst []uint32) rankSeries {
	n := len(r.hi)
	r.radix16(r.hi, r.hi2, r.it, r.it2)
	// The lower bits in the order of the upper (in hi2, the radix's
	// buffer), gathered once, so that the runs below sort them in place
	// rather than reach into the iterations' order for every comparison;
	// lo is a buffer from here on.
	lo := r.hi2
	for k, i := range r.it {
		lo[k] = r.lo[i]
	}
	// Within each run of equal upper bits, by the lower bits.
	for a := 0; a < n; {
		b := a + 1
		for b < n && r.hi[b] == r.hi[a] {
			b++
		}
		switch run, keys := r.it[a:b], lo[a:b]; {
		case len(run) > 64:
			r.radix16(keys, r.lo[a:b], run, r.it2[a:b])
		default:
			for k := 1; k < len(run); k++ {
				i, key, j := run[k], keys[k], k
				for ; j > 0 && keys[j-1] > key; j-- {
					run[j], keys[j] = run[j-1], keys[j-1]
				}
				run[j], keys[j] = i, key
			}
		}
		a = b
	}
	// Ties: equal keys, or −0 and +0 (adjacent in key order).
	dst = resize(dst, n)
	for a := 0; a < n; {
		ka, b := uint64(r.hi[a])<<32|uint64(lo[a]), a
		for b+1 < n {
			kb := uint64(r.hi[b+1])<<32 | uint64(lo[b+1])
			if kb != ka && fromSortKey(kb) != fromSortKey(ka) {
				break
			}
			b++
		}
		r.tie(dst, a, b)
		a = b + 1
	}
	return newRankSeries(dst)
}

// ranksFloat32 is ranks for draws recorded in single precision (an
// assumption's, record.inputs): their 32-bit keys (sortKey32) order them
// as the sort keys of their float64 values do, so one radix of them ranks
// them, without runs.
func (r *rankSorter) ranksFloat32(x []float32, dst []uint32) rankSeries {
	n := len(x)
	r.hi, r.hi2, r.it, r.it2 = resize(r.hi, n), resize(r.hi2, n), resize(r.it, n), resize(r.it2, n)
	for i, v := range x {
		r.hi[i], r.it[i] = sortKey32(v), uint32(i)
	}
	r.radix16(r.hi, r.hi2, r.it, r.it2)
	// Ties: equal values, as ranks counts them.
	dst = resize(dst, n)
	for a := 0; a < n; {
		ka, b := r.hi[a], a
		for b+1 < n {
			kb := r.hi[b+1]
			if kb != ka && fromSortKey32(kb) != fromSortKey32(ka) {
				break
			}
			b++
		}
		r.tie(dst, a, b)
		a = b + 1
	}
	return newRankSeries(dst)
}

// tie gives the draws sorted at a to b (in r.it) their mean rank, doubled,
// in dst.
func (r *rankSorter) tie(dst []uint32, a, b int) {
	twice := uint32(a + b + 2)
	for _, i := range r.it[a : b+1] {
		dst[i] = twice
	}
}

// sortKey32 is sortKey for a float32: an integer in the same order.
func sortKey32(x float32) uint32 {
	b := math.Float32bits(x)
	if b>>31 == 1 {
		return ^b
	}
	return b | 1<<31
}

func fromSortKey32(k uint32) float32 {
	if k>>31 == 1 {
		return math.Float32frombits(k &^ (1 << 31))
	}
	return math.Float32frombits(^k)
}

// radix16 sorts keys (with their iterations it) stably, least
// significant digit first: three passes of 11 bits (2,048 counts, which a
// core's cache holds while the keys stream past), or for fewer than 65,536
// keys four of 8 (the counts then cost less than the keys), with buf and
// itBuf as buffers. The keys and iterations end where they began.
func (r *rankSorter) radix16(keys, buf, it, itBuf []uint32) {
	bits := uint(11)
	if len(keys) < 1<<16 {
		bits = 8
	}
	r.count = resize(r.count, 1<<11)
	count := r.count[:1<<bits]
	mask := uint32(len(count) - 1)
	src, dst, si, di := keys, buf, it, itBuf
	for shift := uint(0); shift < 32; shift += bits {
		clear(count)
		for _, k := range src {
			count[(k>>shift)&mask]++
		}
		if count[(src[0]>>shift)&mask] == len(src) {
			continue // every key has these bits
		}
		sum := 0
		for b := range count {
			count[b], sum = sum, sum+count[b]
		}
		for i, k := range src {
			b := (k >> shift) & mask
			dst[count[b]], di[count[b]] = k, si[i]
			count[b]++
		}
		src, dst, si, di = dst, src, di, si
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
		copy(it, si)
	}
}

// newRankSeries is a rankSeries of doubled ranks r2, with the mean and sd
// of the ranks as meanSD computes them.
func newRankSeries(r2 []uint32) rankSeries {
	r := rankSeries{r2: r2}
	n := len(r2)
	for _, x := range r2 {
		r.mean += r.rank(x)
	}
	r.mean /= float64(n)
	if n >= 2 {
		var ss float64
		for _, x := range r2 {
			ss += (r.rank(x) - r.mean) * (r.rank(x) - r.mean)
		}
		r.sd = math.Sqrt(ss / float64(n-1))
	}
	return r
}
