package raming

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// summarise computes the statistics of the draws.
func (s *simulator) summarise(d *draws, converged bool) *Simulation {
	ps := slices.Clone(DefaultPercentiles)
	for _, p := range s.mc.Percentiles {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	sim := &Simulation{Seed: s.mc.Seed, Iterations: len(d.total[0]), Percentiles: ps, Converged: converged,
		Auto: s.mc.Auto, ExtractDraws: s.counts != nil}
	for i, in := range s.inputs {
		if slices.Contains(s.risks, s.inputSlot[i]) {
			sim.Risks = append(sim.Risks, in.ID)
		}
	}
	// The summaries are independent: compute them on the workers.
	inputRanks := make([][]float64, len(s.inputs))
	sim.Inputs = make([]Input, len(s.inputs))
	var jobs []func()
	for j := range s.inputs {
		jobs = append(jobs, func() {
			in := s.inputs[j]
			in.Draws = d.inputs[j]
			in.Stats = stats(in.Draws, ps)
			sim.Inputs[j] = in
			inputRanks[j] = ranks(in.Draws)
		})
	}
	parallel(s.mc.Workers, jobs)
	sim.Cases = make([]CaseSim, len(s.cases))
	jobs = jobs[:0]
	for j, c := range s.cases {
		jobs = append(jobs, func() {
			cs := CaseSim{VariantID: c.variant, CaseID: c.id, Total: d.total[j], Scheme: d.scheme[j], CWS: d.cws[j], Point: c.point}
			cs.TotalStats, cs.SchemeStats, cs.CWSStats = stats(cs.Total, ps), stats(cs.Scheme, ps), stats(cs.CWS, ps)
			cs.PointPercentile = percentileRank(cs.Total, c.point)
			for k, id := range sim.Risks {
				without := slices.Clone(d.without[k][j])
				slices.Sort(without)
				p50 := percentile(without, 50)
				cs.Risks = append(cs.Risks, RiskContribution{InputID: id, P50Without: p50, Contribution: cs.TotalStats.At(50) - p50})
			}
			cs.Years = yearBands(d.years[j], s.opening)
			totalRanks := ranks(cs.Total)
			for k, in := range sim.Inputs {
				if in.MovesWith != "" {
					continue
				}
				if rho := pearson(inputRanks[k], totalRanks); rho != 0 {
					cs.Sensitivity = append(cs.Sensitivity, Sensitivity{InputID: in.ID, Rho: rho})
				}
			}
			slices.SortStableFunc(cs.Sensitivity, func(a, b Sensitivity) int {
				return cmp.Compare(math.Abs(b.Rho), math.Abs(a.Rho))
			})
			sim.Cases[j] = cs
		})
	}
	parallel(s.mc.Workers, jobs)
	central := map[string]*CaseSim{}
	for _, v := range s.variants {
		for i := range sim.Cases {
			if c := &sim.Cases[i]; c.VariantID == v.ID && c.CaseID == v.CentralCase {
				central[v.ID] = c
				sim.Variants = append(sim.Variants, VariantSim{ID: v.ID, CentralCase: c.CaseID, Stats: c.TotalStats})
			}
		}
	}
	for i, x := range sim.Variants {
		for _, y := range sim.Variants[i+1:] {
			a, b := central[x.ID].Total, central[y.ID].Total
			diff := make([]float64, len(a))
			more := 0
			for k := range a {
				diff[k] = a[k] - b[k]
				if diff[k] > 0 {
					more++
				}
			}
			sim.Comparisons = append(sim.Comparisons, Comparison{X: x.ID, Y: y.ID, Diff: stats(diff, ps), PXMore: float64(more) / float64(len(a))})
		}
	}
	return sim
}

// percentileRank is the percentile rank (0-100) of x among the draws: the
// share of draws below x, draws equal to x counted half. Draws within a
// thousandth of a cent of x count as equal (the float64 rounding of the
// exact figure).
func percentileRank(draws []float64, x float64) float64 {
	below, equal := 0, 0
	tol := 1e-5 + 1e-12*math.Abs(x)
	for _, d := range draws {
		switch {
		case d < x-tol:
			below++
		case d <= x+tol:
			equal++
		}
	}
	return 100 * (float64(below) + float64(equal)/2) / float64(len(draws))
}

// parallel runs the jobs on at most workers goroutines and waits for them.
func parallel(workers int, jobs []func()) {
	next := make(chan func())
	var wg sync.WaitGroup
	for w := 0; w < max(1, min(workers, len(jobs))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				job()
			}
		}()
	}
	for _, job := range jobs {
		next <- job
	}
	close(next)
	wg.Wait()
}

// stats summarises draws (in iteration order, which the batch-means
// standard errors need).
func stats(x []float64, ps []float64) Stats {
	sorted := slices.Clone(x)
	slices.Sort(sorted)
	mean, sd := meanSD(x)
	se := sd / math.Sqrt(float64(len(x)))
	st := Stats{Mean: mean, SD: sd, SE: se, MeanStable: stableRound(mean, se), Histogram: histogram(sorted, HistogramBins)}
	for i, se := range batchSEs(x, ps) {
		v := percentile(sorted, ps[i])
		st.Percentiles = append(st.Percentiles, PercentileValue{P: ps[i], Value: v, SE: se, Stable: stableRound(v, se)})
	}
	return st
}

// yearBands summarises the cash per budget year, dropping trailing years in
// which nothing is paid in any draw.
func yearBands(years [][]float64, opening int) []YearBand {
	var out []YearBand
	for y, x := range years {
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		mean, _ := meanSD(x)
		out = append(out, YearBand{Year: opening + y, Mean: mean, P5: percentile(sorted, 5), P50: percentile(sorted, 50), P95: percentile(sorted, 95)})
	}
	for len(out) > 1 && out[len(out)-1].P95 == 0 && out[len(out)-1].Mean == 0 {
		out = out[:len(out)-1]
	}
	return out
}
