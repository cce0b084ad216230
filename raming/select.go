package raming

import (
	"math"
	"math/bits"
	"slices"
)

// selection finds exact order statistics (the values at given ranks, in
// ascending order) of a series of draws without keeping the series: the
// series is produced again, in iteration order, for every pass, and a
// pass keeps only a histogram or the few values near the ranks wanted. It
// serves the whole run and each of its batches (the batch-means standard
// errors: batch b is iterations [b·m, (b+1)·m)).
//
// A pass narrows each group of wanted ranks: a group is a key interval
// [lo, hi] of one scope (the run or a batch) that holds the ranks, with the
// count of the scope's values below it. A large group is histogrammed into
// buckets, each with its count and its lowest and highest value; the
// buckets that hold wanted ranks become the next pass's groups, tight to
// their lowest and highest value. A group whose values are all equal is
// resolved at once; a small one is collected and sorted. The values found
// are the series' own (no interpolation), so every percentile computed
// from them is the one of a full sort, to the bit (TestSelectionMatchesSorting).
// Two passes (one histogram, one collection) suffice unless the values of
// a bucket are packed extremely close together.
type selection struct {
	n, m   int // the values; the batch size (0: no batches)
	k      int // buckets per histogram
	scopes []scope
	// found holds the order statistics found, by scope and rank.
	found []map[int]float64
	pend  int // groups not yet resolved
	// batch is the batch whose values come now (−1: none yet); a batch's
	// groups are finished when its last value has come, and their
	// histograms (pool) serve the next batch.
	batch int
	pool  []*bucketCounts
	keys  [lanes]uint64 // a block's keys
}

// scope is the state of one scope (0: the run; 1+b: batch b) in a pass.
type scope struct {
	// groups are the scope's groups in this pass, ascending; route, when
	// set, finds a value's group by the bucket of the histogram it came
	// from (parent).
	groups []*group
	parent *bucketMap
	route  []int32 // group of each bucket of parent (−1: none)
}

// group is an interval of keys of one scope that holds wanted ranks.
type group struct {
	lo, hi       uint64
	span         *bucketMap // if set, the histogram's buckets (else over [lo, hi])
	below, count int
	ranks        []int // ascending, in [below, below+count)
	// collect is set when the group's values are gathered in this pass
	// (keys), else they are counted into a histogram over hist.
	collect bool
	keys    []uint64
	hist    *bucketCounts
}

// bucketCounts counts a group's values in buckets of a bucketMap, with each
// bucket's lowest and highest key.
type bucketCounts struct {
	bucketMap
	count    []int
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
// n values: about 16 values a bucket, from 64 to 4096 buckets.
func selectionBuckets(n int) int {
	return min(4096, max(64, 1<<bits.Len(uint(n/16))))
}

// newSelection prepares the search for the values at ranks whole of all
// n values (ascending), and at ranks batch of each of the 20 batches of m
// values (m = 0: none). The first pass's histograms spread the keys
// [lo, hi] over their buckets (the series' lowest and highest values, or
// estimates of them: a value beyond counts in the first or last bucket).
func newSelection(n int, lo, hi uint64, whole []int, m int, batch []int) *selection {
	s := &selection{n: n, m: m, k: selectionBuckets(n)}
	span := newBucketMap(lo, hi, s.k)
	s.scopes = make([]scope, 1)
	s.found = []map[int]float64{{}}
	s.addGroup(0, &group{lo: 0, hi: math.MaxUint64, span: &span, count: n, ranks: compactRanks(whole)})
	if m > 0 && len(batch) > 0 {
		for b := range batches {
			s.scopes = append(s.scopes, scope{})
			s.found = append(s.found, map[int]float64{})
			s.addGroup(1+b, &group{lo: 0, hi: math.MaxUint64, span: &span, count: m, ranks: compactRanks(batch)})
		}
	}
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
	s.scopes[sc].groups = append(s.scopes[sc].groups, g)
	s.pend++
}

// done reports whether every wanted rank is found.
func (s *selection) done() bool { return s.pend == 0 }

// begin prepares a pass: each group is collected if small, else
// histogrammed.
func (s *selection) begin() {
	s.batch = -1
	s.prepare(0)
}

// prepare readies the groups of scope sc for the values to come.
func (s *selection) prepare(sc int) {
	for _, g := range s.scopes[sc].groups {
		g.collect = g.count <= max(collectMin, s.n/64)
		if g.collect {
			g.keys = make([]uint64, 0, g.count)
			continue
		}
		span := newBucketMap(g.lo, g.hi, s.k)
		if g.span != nil {
			span = *g.span
		}
		if n := len(s.pool); n > 0 {
			g.hist, s.pool = s.pool[n-1], s.pool[:n-1]
			g.hist.bucketMap = span
			clear(g.hist.count)
		} else {
			g.hist = &bucketCounts{bucketMap: span, count: make([]int, s.k), min: make([]uint64, s.k), max: make([]uint64, s.k)}
		}
	}
}

// addBlock takes the values of iterations lo, lo+1, ... Within a pass
// the values come in iteration order, each once.
func (s *selection) addBlock(lo int, vals []float64) {
	keys := s.keys[:len(vals)]
	for t, v := range vals {
		keys[t] = sortKey(v)
	}
	s.take(0, keys, vals)
	if len(s.scopes) == 1 {
		return
	}
	for start := 0; start < len(vals); {
		b := (lo + start) / s.m
		end := len(vals)
		if b < batches {
			end = min(end, (b+1)*s.m-lo)
		}
		if b != s.batch {
			if s.batch >= 0 && s.batch < batches {
				s.finish(1 + s.batch)
			}
			s.batch = b
			if b < batches {
				s.prepare(1 + b)
			}
		}
		if b < batches {
			s.take(1+b, keys[start:end], vals[start:end])
		}
		start = end
	}
}

// take takes values (with their keys) of scope sc.
func (s *selection) take(sc int, keys []uint64, vals []float64) {
	st := &s.scopes[sc]
	switch {
	case len(st.groups) == 0:
	case len(st.groups) == 1 && st.route == nil:
		g := st.groups[0]
		for t, key := range keys {
			if key >= g.lo && key <= g.hi {
				g.take(key, vals[t])
			}
		}
	case st.route != nil:
		p := st.parent
		for t, key := range keys {
			if c := st.route[p.bucket(key, vals[t])]; c >= 0 {
				if g := st.groups[c]; key >= g.lo && key <= g.hi {
					g.take(key, vals[t])
				}
			}
		}
	default:
		for t, key := range keys {
			// The group whose interval holds the key, if any.
			i, found := slices.BinarySearchFunc(st.groups, key, func(g *group, key uint64) int {
				switch {
				case g.hi < key:
					return -1
				case g.lo > key:
					return 1
				}
				return 0
			})
			if found {
				st.groups[i].take(key, vals[t])
			}
		}
	}
}

// take counts or gathers a value of the group.
func (g *group) take(key uint64, v float64) {
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
	s.finish(0)
	if s.batch >= 0 && s.batch < batches {
		s.finish(1 + s.batch)
	}
	s.batch = -1
}

// finish ends the pass for scope sc: its collected groups are resolved,
// its histogrammed ones split into the groups of the next pass, routed by
// their histogram when the scope had one group.
func (s *selection) finish(sc int) {
	st := &s.scopes[sc]
	groups := st.groups
	st.groups, st.parent, st.route = nil, nil, nil
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
			g.keys = nil
			continue
		}
		h := g.hist
		below, next := g.below, 0
		for b, c := range h.count {
			if next < len(g.ranks) && g.ranks[next] < below+c {
				child := &group{lo: h.min[b], hi: h.max[b], below: below, count: c}
				for next < len(g.ranks) && g.ranks[next] < below+c {
					child.ranks = append(child.ranks, g.ranks[next])
					next++
				}
				s.addGroup(sc, child)
			}
			below += c
		}
		if below != g.below+g.count {
			panic("raming: a series changed between passes")
		}
		if len(groups) == 1 && len(st.groups) > 0 {
			m := h.bucketMap
			st.parent = &m
			st.route = make([]int32, h.k)
			for b := range st.route {
				st.route[b] = -1
			}
			for i, c := range st.groups {
				st.route[m.bucket(c.lo, fromSortKey(c.lo))] = int32(i)
			}
		}
		g.hist = nil
		s.pool = append(s.pool, h)
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
