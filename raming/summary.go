package raming

import (
	"cmp"
	"math"
	"slices"

	"raming/internal/goroutine"
)

// summaryScratch is one worker's buffers for the summaries: a sorter, a
// series computed from the draws (a total, a difference) and its ranks,
// and a case's cash per budget year (caseYears).
type summaryScratch struct {
	sorter
	series, ranks []float64
	cash          []float64
	years         [][]float64
	cashBuffers
}

// summaryBuffers returns the number of workers for the summaries and
// their buffers, kept from one round of an Auto run to the next.
func (s *simulator) summaryBuffers() (int, []summaryScratch) {
	workers := max(1, s.mc.Workers)
	if s.scratch == nil {
		s.scratch = make([]summaryScratch, workers)
	}
	return workers, s.scratch
}

// sortTotal sorts case j's total (scheme + CWS) per iteration.
func (w *summaryScratch) sortTotal(d *draws, j int) sorted {
	w.series = resize(w.series, d.n)
	for i, x := range d.scheme[j] {
		w.series[i] = x + d.cws[j][i]
	}
	return w.sort(w.series)
}

// summarise computes the statistics of the draws. Every series is sorted
// once (sorter), and that sort gives its percentiles, their standard
// errors, its histogram and, for the sensitivity, its ranks. First the
// cases (their totals' ranks kept), then the inputs, each correlated with
// every case's total.
func (s *simulator) summarise(d *draws, converged bool) *Simulation {
	ps := slices.Clone(DefaultPercentiles)
	for _, p := range s.mc.Percentiles {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	sim := &Simulation{Seed: s.mc.Seed, Iterations: d.n, Percentiles: ps, Converged: converged,
		Auto: s.mc.Auto, BandIterations: d.bandN, ExtractDraws: s.draws() > 0}
	for i, in := range s.in.inputs {
		if slices.Contains(s.risks, s.in.inputSlot[i]) {
			sim.Risks = append(sim.Risks, in.ID)
		}
	}
	workers, scratch := s.summaryBuffers()
	nc := len(s.cases)
	sim.Cases = make([]CaseSim, nc)
	totalRanks := make([]rankSeries, nc)
	// The central cases, compared pairwise in variant order.
	var central []int
	for _, v := range s.variants {
		for j, c := range s.cases {
			if c.variant == v.ID && c.id == v.CentralCase {
				central = append(central, j)
			}
		}
	}
	type pair struct{ x, y int }
	var pairs []pair
	for i, x := range central {
		for _, y := range central[i+1:] {
			pairs = append(pairs, pair{x, y})
		}
	}
	sim.Comparisons = make([]Comparison, len(pairs))
	// Jobs: each case's bands per year (the longest, first), each case's
	// totals, each comparison; a case that copies another's draws is
	// summarised with it.
	goroutine.Parallel(workers, 2*nc+len(pairs), func(w, job int) {
		sc := &scratch[w]
		switch {
		case job < 2*nc && s.cases[job%nc].same >= 0:
		case job < nc:
			sim.Cases[job].Years = yearBands(&sc.sorter, s.caseYears(d, job, sc), s.opening, ps)
		case job < 2*nc:
			j := job - nc
			c := s.cases[j]
			cs := &sim.Cases[j]
			total := sc.sortTotal(d, j)
			cs.TotalStats = total.stats(ps)
			for k := range cs.Curve {
				cs.Curve[k] = percentile(total.vals, float64(k+1))
			}
			cs.PointPercentile = total.rank(c.point)
			totalRanks[j] = total.ranks(make([]float64, d.n))
			cs.SchemeStats = sc.sort(d.scheme[j]).stats(ps)
			cs.CWSStats = sc.sort(d.cws[j]).stats(ps)
			for k, id := range sim.Risks {
				p50 := percentile(sc.sort(d.without[k*nc+j]).vals, 50)
				cs.Risks = append(cs.Risks, RiskContribution{InputID: id, P50Without: p50, Contribution: cs.TotalStats.At(50) - p50})
			}
		default:
			p := pairs[job-2*nc]
			diff := resize(sc.series, d.n)
			more := 0
			for i := range diff {
				diff[i] = (d.scheme[p.x][i] + d.cws[p.x][i]) - (d.scheme[p.y][i] + d.cws[p.y][i])
				if diff[i] > 0 {
					more++
				}
			}
			sc.series = diff
			sim.Comparisons[job-2*nc] = Comparison{X: s.cases[p.x].variant, Y: s.cases[p.y].variant,
				Diff: sc.sort(diff).stats(ps), PXMore: float64(more) / float64(d.n)}
		}
	})
	for j, c := range s.cases {
		cs := &sim.Cases[j]
		if c.same >= 0 {
			*cs, totalRanks[j] = sim.Cases[c.same], totalRanks[c.same]
		}
		cs.VariantID, cs.CaseID, cs.Point = c.variant, c.id, c.point
	}
	// The inputs, and the Spearman correlation of each with every case's
	// total. Inputs that move with another carry no information of their own.
	sim.Inputs = make([]Input, len(s.in.inputs))
	rho := make([][]float64, len(s.in.inputs))
	goroutine.Parallel(workers, len(s.in.inputs), func(w, k int) {
		sc := &scratch[w]
		in := s.in.inputs[k]
		x := sc.sort(d.inputs[k])
		in.Stats = x.stats(ps)
		sim.Inputs[k] = in
		if in.MovesWith != "" {
			return
		}
		r := x.ranks(sc.ranks)
		sc.ranks = r.r
		rho[k] = make([]float64, nc)
		for j := range rho[k] {
			rho[k][j] = spearman(r, totalRanks[j])
		}
	})
	for j := range sim.Cases {
		cs := &sim.Cases[j]
		for k, in := range sim.Inputs {
			if in.MovesWith == "" && rho[k][j] != 0 {
				cs.Sensitivity = append(cs.Sensitivity, Sensitivity{InputID: in.ID, Rho: rho[k][j]})
			}
		}
		slices.SortStableFunc(cs.Sensitivity, func(a, b Sensitivity) int {
			return cmp.Compare(math.Abs(b.Rho), math.Abs(a.Rho))
		})
	}
	for _, j := range central {
		sim.Variants = append(sim.Variants, VariantSim{ID: s.cases[j].variant, CentralCase: s.cases[j].id, Stats: sim.Cases[j].TotalStats})
	}
	return sim
}

// yearBands summarises the cash per budget year, dropping trailing years in
// which nothing is paid in any draw.
func yearBands(s *sorter, years [][]float64, opening int, ps []float64) []YearBand {
	var out []YearBand
	for y, x := range years {
		sorted := s.sort(x)
		mean, _ := meanSD(x)
		b := YearBand{Year: opening + y, Mean: mean, Percentiles: sorted.percentiles(ps)}
		b.P5, b.P50, b.P95 = b.At(5), b.At(50), b.At(95)
		out = append(out, b)
	}
	for len(out) > 1 && out[len(out)-1].P95 == 0 && out[len(out)-1].Mean == 0 {
		out = out[:len(out)-1]
	}
	return out
}
