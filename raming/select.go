package raming

import (
	"math"
	"math/bits"
	"slices"
)

// selection finds exact order statistics (the values at given ranks, in
// ascending order) of a series of draws without keeping the series: the
// series is produced again, in iteration order, for every pass, and a
// pass keeps only histograms or the few values near the ranks wanted. It
// serves the whole run and each of its batches (the batch-means standard
// errors: batch b is iterations [b·m, (b+1)·m)).
//
// The first pass counts the series in a histogram of the whole run, each
// bucket with its lowest and highest value, and in one histogram per batch
// over the same buckets. The buckets that hold wanted ranks, of the run or
// of a batch, become the next pass's groups: a key interval (the bucket's
// lowest to highest value) of one scope, with the count of the scope's
// values below it. A group whose values are all equal is resolved at once;
// a small one is gathered and sorted in the next pass; a large one (values
// packed extremely close together) is histogrammed again over its
// interval. The values found are the series' own (no interpolation), so
// every percentile computed from them is the one of a full sort, to the
// bit (TestSelectionMatchesSorting). Two passes suffice unless a bucket's
// values are packed extremely close together.
type selection struct {
	n, m int // the values; the batch size (0: no batches)
	k    int // buckets per histogram
	// first is the first pass's state, until its end.
	first *firstPass
	// groups are each scope's groups in this pass (0: the run; 1+b: batch
	// b), ascending; route, when set, finds a value's group by its bucket
	// of the first pass (span).
	groups [][]*group
	route  [][]int32
	span   bucketMap
	// found holds the order statistics found, by scope and rank.
	found []map[int]float64
	pend  int   // groups not yet resolved
	whole []int // ranks wanted of the run
	batch []int // ranks wanted of each batch
	keys  [lanes]uint64
	bkt   [lanes]int32
}

// firstPass holds the histograms of the first pass: the run's with each
// bucket's lowest and highest key, and each batch's counts.
type firstPass struct {
	count    []uint32
	min, max []uint64
	batch    [][]uint32
}

// group is an interval of keys of one scope that holds wanted ranks.
type group struct {
	lo, hi       uint64
	below, count int
	ranks        []int // ascending, in [below, below+count)
	// collect is set when the group's values are gathered in this pass
	// (keys), else they are counted into a histogram over the group's
	// interval.
	collect bool
	keys    []uint64
	hist    *bucketCounts
}

// bucketCounts counts a group's values in buckets of a bucketMap, with each
// bucket's lowest and highest key.
type bucketCounts struct {
	bucketMap
	count    []uint32
	min, max []uint64
}

// bucketMap maps the keys of an interval [lo, hi] to k buckets: linearly
// in value when both ends are finite numbers, unless they have one sign
// and differ by more than a factor 16 (a long tail: then the keys, which
// are linear in the exponent and the mantissa, give the buckets a width
// relative to their values); linearly in key otherwise.
type bucketMap struct {
	lo, hi     uint64
	k          int
	linear     bool
	vlo, scale float64
	shift      uint
}

// collectMin is the most values a group always gathers in a pass rather
// than histogram them: a larger group of a series of n values is gathered
// if it holds at most n/64 (sorting them costs less than another pass).
const collectMin = 256

// selectionBuckets is the number of buckets of a histogram for a series of
// n values: about 64 values a bucket (a batch's buckets then hold about 3
// of its values), from 64 to 1024 buckets (a histogram then fits a core's
// first-level cache).
func selectionBuckets(n int) int {
	return min(1024, max(64, 1<<bits.Len(uint(n/64))))
}

// newSelection prepares the search for the values at ranks whole of all
// n values (ascending), and at ranks batch of each of the 20 batches of m
// values (m = 0: none). The first pass's histograms spread the keys
// [lo, hi] over their buckets (the series' lowest and highest values, or
// estimates of them: a value beyond counts in the first or last bucket).
func newSelection(n int, lo, hi uint64, whole []int, m int, batch []int) *selection {
	s := &selection{n: n, m: m, k: selectionBuckets(n), whole: compactRanks(whole)}
	s.span = newBucketMap(lo, hi, s.k)
	scopes := 1
	if m > 0 && len(batch) > 0 {
		scopes, s.batch = 1+batches, compactRanks(batch)
	}
	s.groups, s.found = make([][]*group, scopes), make([]map[int]float64, scopes)
	for sc := range s.found {
		s.found[sc] = map[int]float64{}
	}
	s.first = &firstPass{}
	s.pend = 1
	return s
}

func compactRanks(r []int) []int {
	r = slices.Clone(r)
	slices.Sort(r)
	return slices.Compact(r)
}

// addGroup adds a group to a scope for the next pass, or resolves it when
// its values are all equal.
func (s *selection) addGroup(sc int, g *group) {
	if len(g.ranks) == 0 {
		return
	}
	if g.lo == g.hi {
		for _, r := range g.ranks {
			s.found[sc][r] = fromSortKey(g.lo)
		}
		return
	}
	s.groups[sc] = append(s.groups[sc], g)
	s.pend++
}

// extremes returns the lowest and highest key of the values of the first
// pass, before its end: those of its histogram's first and last buckets
// that hold any.
func (s *selection) extremes() (lo, hi uint64) {
	f := s.first
	first := slices.IndexFunc(f.count, func(c uint32) bool { return c > 0 })
	last := len(f.count) - 1
	for last > first && f.count[last] == 0 {
		last--
	}
	return f.min[first], f.max[last]
}

// done reports whether every wanted rank is found.
func (s *selection) done() bool { return s.pend == 0 }

// begin prepares a pass: in the first, the histograms; later, each group
// is gathered if small, else histogrammed.
func (s *selection) begin() {
	if f := s.first; f != nil {
		// Each bucket's lowest key starts above every key (an empty
		// bucket's are never read).
		f.count, f.min, f.max = make([]uint32, s.k), slices.Repeat([]uint64{math.MaxUint64}, s.k), make([]uint64, s.k)
		f.batch = make([][]uint32, len(s.groups)-1)
		for b := range f.batch {
			f.batch[b] = make([]uint32, s.k)
		}
		return
	}
	for _, groups := range s.groups {
		for _, g := range groups {
			g.collect = g.count <= max(collectMin, s.n/64)
			if g.collect {
				g.keys = make([]uint64, 0, g.count)
				continue
			}
			g.hist = &bucketCounts{bucketMap: newBucketMap(g.lo, g.hi, s.k), count: make([]uint32, s.k), min: make([]uint64, s.k), max: make([]uint64, s.k)}
		}
	}
}

// addBlock takes the values of iterations lo, lo+1, ... Within a pass
// the values come in iteration order, each once.
func (s *selection) addBlock(lo int, vals []float64) {
	keys, bkt := s.keys[:len(vals)], s.bkt[:len(vals)]
	for t, v := range vals {
		keys[t] = sortKey(v)
	}
	if s.first != nil || s.route != nil {
		for t, v := range vals {
			bkt[t] = int32(s.span.bucket(keys[t], v))
		}
	}
	if f := s.first; f != nil {
		for t, b := range bkt {
			key := keys[t]
			f.min[b], f.max[b] = min(f.min[b], key), max(f.max[b], key)
			f.count[b]++
		}
	} else {
		s.take(0, 0, keys, vals)
	}
	if len(s.groups) == 1 {
		return
	}
	for start := 0; start < len(vals); {
		b := (lo + start) / s.m
		if b >= batches {
			return
		}
		end := min(len(vals), (b+1)*s.m-lo)
		if f := s.first; f != nil {
			count := f.batch[b]
			for _, k := range bkt[start:end] {
				count[k]++
			}
		} else {
			s.take(1+b, start, keys[start:end], vals[start:end])
		}
		start = end
	}
}

// take takes values (with their keys; the first at index at of the
// block's buckets) of scope sc.
func (s *selection) take(sc, at int, keys []uint64, vals []float64) {
	groups := s.groups[sc]
	switch {
	case len(groups) == 0:
	case s.route != nil:
		route := s.route[sc]
		for t, key := range keys {
			if c := route[s.bkt[at+t]]; c >= 0 {
				groups[c].take(key, vals[t])
			}
		}
	default:
		for t, key := range keys {
			// The group whose interval holds the key, if any.
			i, found := slices.BinarySearchFunc(groups, key, func(g *group, key uint64) int {
				switch {
				case g.hi < key:
					return -1
				case g.lo > key:
					return 1
				}
				return 0
			})
			if found {
				groups[i].take(key, vals[t])
			}
		}
	}
}

// take counts or gathers a value of the group.
func (g *group) take(key uint64, v float64) {
	if key < g.lo || key > g.hi {
		return
	}
	if g.collect {
		g.keys = append(g.keys, key)
		return
	}
	h := g.hist
	b := h.bucket(key, v)
	if h.count[b] == 0 {
		h.min[b], h.max[b] = key, key
	} else {
		h.min[b], h.max[b] = min(h.min[b], key), max(h.max[b], key)
	}
	h.count[b]++
}

// end finishes a pass.
func (s *selection) end() {
	if f := s.first; f != nil {
		s.first, s.pend = nil, 0
		s.split(0, f.count, f.min, f.max, s.whole, 0)
		for b, count := range f.batch {
			s.split(1+b, count, f.min, f.max, s.batch, 0)
		}
		// The next pass finds a value's group by its bucket.
		s.route = make([][]int32, len(s.groups))
		for sc, groups := range s.groups {
			s.route[sc] = slices.Repeat([]int32{-1}, s.k)
			for i, g := range groups {
				s.route[sc][s.span.bucket(g.lo, fromSortKey(g.lo))] = int32(i)
			}
		}
		return
	}
	s.route = nil
	for sc := range s.groups {
		groups := s.groups[sc]
		s.groups[sc] = nil
		for _, g := range groups {
			s.pend--
			if g.collect {
				if len(g.keys) != g.count {
					panic("raming: a series changed between passes")
				}
				slices.Sort(g.keys)
				for _, r := range g.ranks {
					s.found[sc][r] = fromSortKey(g.keys[r-g.below])
				}
				continue
			}
			s.split(sc, g.hist.count, g.hist.min, g.hist.max, g.ranks, g.below)
		}
	}
}

// split makes the groups of the next pass of scope sc from a histogram
// (counts; each bucket's lowest and highest key, or wider) whose values
// start at rank below: one for each bucket that holds wanted ranks.
func (s *selection) split(sc int, count []uint32, lo, hi []uint64, ranks []int, below int) {
	next := 0
	for b, c32 := range count {
		c := int(c32)
		if next < len(ranks) && ranks[next] < below+c {
			g := &group{lo: lo[b], hi: hi[b], below: below, count: c}
			for next < len(ranks) && ranks[next] < below+c {
				g.ranks = append(g.ranks, ranks[next])
				next++
			}
			s.addGroup(sc, g)
		}
		below += c
	}
	if next < len(ranks) {
		panic("raming: a series changed between passes")
	}
}

// value returns the value at rank r of scope sc (0: the run, 1+b: batch b).
func (s *selection) value(sc, r int) float64 { return s.found[sc][r] }

func newBucketMap(lo, hi uint64, k int) bucketMap {
	m := bucketMap{lo: lo, hi: hi, k: k}
	vlo, vhi := fromSortKey(lo), fromSortKey(hi)
	tail := vlo > 0 && vhi > 16*vlo || vhi < 0 && vlo < 16*vhi
	if !tail && !math.IsInf(vlo, 0) && !math.IsInf(vhi, 0) && !math.IsNaN(vlo) && !math.IsNaN(vhi) && vhi-vlo > 0 && !math.IsInf(vhi-vlo, 0) {
		m.linear, m.vlo, m.scale = true, vlo, float64(k)/(vhi-vlo)
		return m
	}
	m.shift = uint(max(0, bits.Len64(hi-lo)-bits.Len(uint(k-1))))
	return m
}

// bucket returns the bucket of a key (v its value): a key below lo is in
// the first bucket, one above hi in the last.
func (m *bucketMap) bucket(key uint64, v float64) int {
	switch {
	case key <= m.lo:
		return 0
	case key >= m.hi:
		return m.k - 1
	case m.linear:
		return min(max(int((v-m.vlo)*m.scale), 0), m.k-1)
	}
	return min(int((key-m.lo)>>m.shift), m.k-1)
}
