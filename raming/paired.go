package raming

import "slices"

// pairing makes a simulation the other side of a comparison of two
// scenarios (Engine.Compare): the base scenario's simulation, run before
// on the same iterations, is replayed from its record beside each block
// of this one, and the summaries describe, per case the two share, the
// difference other − base of each iteration's total and of its cash in
// each budget year. So the difference's percentiles are those of the
// paired differences, found by the same exact selection as every other
// series, and no series of totals is kept.
type pairing struct {
	base *simulator
	// cases are the cases both have: the base's index, this simulator's.
	cases [][2]int
	// first is the first calendar year of the per-year differences and
	// years their number: from the earlier opening year to bandYears
	// after the later one.
	first, years int
	// needs is what the base's replay computes: the years of its cases
	// in the comparison.
	needs *needs
	// out is each case's outcome, after the summaries.
	out []pairedCase
}

// pairedCase is the summary of one case's paired differences.
type pairedCase struct {
	diff Stats
	// cheaper is the share of iterations in which the other costs less,
	// ties counted half.
	cheaper float64
	years   []YearBand // per calendar year from pairing.first
}

// stride is the number of series of one case: its total and its years.
func (p *pairing) stride() int { return 1 + p.years }

// pairWith makes s the other side of a comparison with base, whose
// simulation has run (its record is complete) on the same iterations;
// cases are the cases both have (base index, s index).
func (s *simulator) pairWith(base *simulator, cases [][2]int) {
	p := &pairing{base: base, cases: cases, first: min(s.opening, base.opening)}
	p.years = max(s.opening, base.opening) + bandYears - p.first
	p.needs = &needs{years: make([]bool, len(base.cases)), flows: make([]bool, len(base.flows))}
	for _, c := range cases {
		j := base.own(c[0])
		p.needs.years[j], p.needs.flows[base.cases[j].flow] = true, true
	}
	s.pair = p
	// The series are shared with a simulator the engine keeps: add to a copy.
	s.series = slices.Clip(s.series)
	for k := range cases {
		for b := range p.stride() {
			s.series = append(s.series, series{seriesPair, k, b})
		}
	}
}

// pairBlock replays the base's iterations lo to lo+n−1 beside the
// worker's block and computes each case's differences.
func (s *simulator) pairBlock(w *worker, lo, n int) {
	p := s.pair
	if w.partner == nil {
		w.partner = p.base.newWorker()
		w.pdiff = make([][lanes]float64, len(p.cases)*p.stride())
	}
	b := w.partner
	p.base.blockFor(b, lo, n, p.base.rec, false, p.needs)
	for k, c := range p.cases {
		jb, jo := p.base.own(c[0]), s.own(c[1])
		out, x, y := w.pdiff[k*p.stride()][:n], w.total[jo][:n], b.total[jb][:n]
		for t := range out {
			out[t] = x[t] - y[t]
		}
		for i := range p.years {
			out := w.pdiff[k*p.stride()+1+i][:n]
			clear(out)
			if y := p.first + i - s.opening; y >= 0 && y < bandYears {
				copy(out, w.years[jo][y][:n])
			}
			if y := p.first + i - p.base.opening; y >= 0 && y < bandYears {
				for t, v := range b.years[jb][y][:n] {
					out[t] -= v
				}
			}
		}
	}
}

// pairedOutcomes summarises each case's differences from the summaries.
func (s *simulator) pairedOutcomes(sums []*summary, ps []float64) {
	p := s.pair
	p.out = make([]pairedCase, len(p.cases))
	for k := range p.cases {
		sm := sums[s.seriesOf(seriesPair, k, 0)]
		pc := pairedCase{diff: sm.stats(ps), cheaper: (float64(sm.below) + float64(sm.upTo-sm.below)/2) / float64(sm.n)}
		for i := range p.years {
			ym := sums[s.seriesOf(seriesPair, k, 1+i)]
			b := YearBand{Year: p.first + i, Mean: ym.mean, Percentiles: ym.percentiles(ps)}
			b.P5, b.P50, b.P95 = b.At(5), b.At(50), b.At(95)
			pc.years = append(pc.years, b)
		}
		p.out[k] = pc
	}
}
