package raming

// The bands per budget year: each case's drawn cost spread over the budget
// years with the drawn phasing, from what an iteration records of it.

// bandYears is the number of budget years the Monte Carlo follows from the
// opening year; cash after it is counted in the last one.
const bandYears = 20

// A phasing record is what cashYears reads of an iteration, so that the
// bands per budget year can be computed after the iterations without
// keeping a value per case and year: the capacities, the cash lag, the
// share of the opening year and the ramp's first capacity, then the files
// at UHT and at the CWS of each flowProgram. These are its offsets.
const (
	recUHTCap = iota
	recCWSCap
	recCashLag
	recOpenShare
	recCWSStart
	recFlows // flow f's files at UHT at recFlows+2f, at the CWS at recFlows+2f+1
)

// recordPhasing writes the phasing record rec of the iteration in lane t
// of m.
func (s *simulator) recordPhasing(m *machine, t int, rec []float64) {
	at := func(slot int) float64 { return m.v[slot*lanes+t] }
	rec[recUHTCap], rec[recCWSCap], rec[recCashLag] = at(s.uhtCap), at(s.cwsCap), at(s.cashLag)
	rec[recOpenShare], rec[recCWSStart] = 1, 0
	if s.openShare >= 0 {
		rec[recOpenShare] = at(s.openShare)
	}
	if s.ramp > 0 {
		rec[recCWSStart] = at(s.cwsStart)
	}
	for f, fp := range s.flows {
		rec[recFlows+2*f], rec[recFlows+2*f+1] = at(fp.population), at(fp.cwsFiles)
	}
}

// cashBuffers are the buffers cashYears works in, one set per summary
// worker, so that spreading an iteration allocates nothing.
type cashBuffers struct {
	flow         phaseBuffers[f64]
	lines, spent []f64
}

// cashYears spreads a case's scheme and CWS cost of one iteration over the
// budget years (from the opening year; later years count in the last one),
// with the flow of files and cash lag of that iteration's phasing record
// rec and the case's flow (phasing.go: decisions, cashWeights), in float64
// and without the cent rounding of the deterministic profile.
func (s *simulator) cashYears(rec []float64, flow int, scheme, cws float64, b *cashBuffers) (cash [bandYears]float64) {
	ph := phaseParams[f64]{intake: s.intake, lag: s.lag, uhtCap: f64(rec[recUHTCap]), cwsCap: f64(rec[recCWSCap]),
		cashLag: f64(rec[recCashLag]), openShare: f64(rec[recOpenShare]), cwsStart: f64(rec[recCWSStart]), ramp: s.ramp}
	decisions(f64(rec[recFlows+2*flow]), f64(rec[recFlows+2*flow+1]), ph, f64FromInt, f64Div, &b.flow)
	for _, line := range [2]struct {
		total     float64
		decisions []f64
	}{{scheme, b.flow.uht}, {cws, b.flow.cws}} {
		b.lines = proportional(b.lines, f64(line.total), line.decisions)
		b.spent = cashWeights(b.spent, b.lines, ph.cashLag, 1)
		for y, x := range b.spent {
			cash[min(y, bandYears-1)] += float64(x)
		}
	}
	return cash
}

// caseYears spreads case j's cost in each of the first bandN iterations
// over the budget years (cashYears) and returns the cash per budget year
// as one series per year, in the worker's buffer.
func (s *simulator) caseYears(d *draws, j int, sc *summaryScratch) [][]float64 {
	n, size, c := d.bandN, s.recordSize, s.cases[j]
	sc.cash = resize(sc.cash, bandYears*n)
	years := sc.years[:0]
	for y := range bandYears {
		years = append(years, sc.cash[y*n:(y+1)*n])
	}
	sc.years = years
	for i := range n {
		cash := s.cashYears(d.phasing[i*size:(i+1)*size], c.flow, d.scheme[j][i], d.cws[j][i], &sc.cashBuffers)
		for y, x := range cash {
			years[y][i] = x
		}
	}
	return years
}
