package raming

// The bands per budget year: each case's drawn cost spread over the budget
// years with the drawn phasing, in every iteration.

// bandYears is the number of budget years the Monte Carlo follows from the
// opening year; cash after it is counted in the last one.
const bandYears = 20

// phaseLane are the phasing assumptions of one iteration, in float64.
type phaseLane struct {
	uhtCap, cwsCap, cashLag, openShare, cwsStart float64
}

// flowBuffers are the slices flowDecisions works in.
type flowBuffers struct {
	uht, cws []float64
}

// flowDecisions is decisions (phasing.go) in float64: the files UHT and the
// CWS decide per year from the opening year, padded to one year more than
// the longer of the two. It is the same arithmetic on the same values, in
// the same order, as decisions on f64 (TestBandYearsMatchGenericPhasing):
// the generic code's method calls cannot be inlined, and the bands spread
// every case of every iteration. The arrivals, which decisions lists, are
// computed where they join the backlog: at UHT each intake year's share
// of the files, at the CWS the files UHT decided lag years before, the
// CWS's share of them (none before).
func (s *simulator) flowDecisions(uhtFiles, cwsFiles float64, p *phaseLane, b *flowBuffers) (uht, cws []float64) {
	arrival := uhtFiles / float64(s.intake)
	uht = b.uht[:0]
	backlog := 0.0
	for y := 0; y < maxYears && (y < s.intake || backlog > 0); y++ {
		if y < s.intake {
			backlog += arrival
		}
		d, c := backlog, p.uhtCap
		if y == 0 {
			c = p.uhtCap * p.openShare
		}
		if c < d {
			d = c
		}
		uht = append(uht, d)
		backlog -= d
	}
	cws = b.cws[:0]
	backlog = 0
	arrivals := len(uht) + s.lag
	for y := 0; y < maxYears && (y < arrivals || backlog > 0); y++ {
		if y < arrivals {
			a := 0.0
			if i := y - s.lag; i >= 0 && uhtFiles > 0 {
				a = uht[i] * cwsFiles / uhtFiles
			}
			backlog += a
		}
		d, c := backlog, p.cwsCap
		if s.ramp > 0 && y < s.ramp {
			c = p.cwsStart + (p.cwsCap-p.cwsStart)/float64(s.ramp)*float64(y)
		}
		if c < d {
			d = c
		}
		cws = append(cws, d)
		backlog -= d
	}
	n := max(len(uht), len(cws)) + 1
	for len(uht) < n {
		uht = append(uht, 0)
	}
	for len(cws) < n {
		cws = append(cws, 0)
	}
	b.uht, b.cws = uht, cws
	return uht, cws
}

// flowLanes are a flow's shares of each line per year, for every lane of a
// block: the UHT's decisions per year as shares of their sum (the scheme's
// line) and the CWS's (the CWS line), each year's share w ÷ Σw as
// proportional computes it.
type flowLanes struct {
	// u and c hold lane t's shares at [off[t], off[t+1]), one per year of
	// its decisions (padded); a line without decisions (Σw = 0) puts
	// everything in the first year.
	off          [lanes + 1]int
	u, c         []float64
	uNone, cNone [lanes]bool
	phase        [lanes]phaseLane
	buf          flowBuffers
}

// lanesOf computes flow f's shares for the first n lanes of m.
func (s *simulator) lanesOf(m *machine, f, n int, fl *flowLanes) {
	fp := s.flows[f]
	pop, cwsFiles := m.col(fp.population), m.col(fp.cwsFiles)
	uhtCap, cwsCap, cashLag := m.col(s.uhtCap), m.col(s.cwsCap), m.col(s.cashLag)
	for t := range n {
		p := &fl.phase[t]
		*p = phaseLane{uhtCap: uhtCap[t], cwsCap: cwsCap[t], cashLag: cashLag[t], openShare: 1}
		if s.openShare >= 0 {
			p.openShare = m.col(s.openShare)[t]
		}
		if s.ramp > 0 {
			p.cwsStart = m.col(s.cwsStart)[t]
		}
	}
	s.flowShares(fl, pop[:n], cwsFiles[:n])
}

// flowShares computes the shares of a flow whose lane t has files[t] at
// UHT, cwsFiles[t] at the CWS and the phasing fl.phase[t].
func (s *simulator) flowShares(fl *flowLanes, files, cwsFiles []float64) {
	fl.u, fl.c = fl.u[:0], fl.c[:0]
	for t := range files {
		uht, cws := s.flowDecisions(files[t], cwsFiles[t], &fl.phase[t], &fl.buf)
		fl.off[t] = len(fl.u)
		fl.u, fl.uNone[t] = shares(fl.u, uht)
		fl.c, fl.cNone[t] = shares(fl.c, cws)
	}
	fl.off[len(files)] = len(fl.u)
}

// shares appends w ÷ Σw to out (as proportional divides) and reports
// whether Σw is 0 (then it appends zeros).
func shares(out, w []float64) (_ []float64, none bool) {
	var sum float64
	for _, x := range w {
		sum += x
	}
	for _, x := range w {
		if sum == 0 {
			x = 0
		} else {
			x /= sum
		}
		out = append(out, x)
	}
	return out, sum == 0
}

// caseYears spreads a case's scheme and CWS cost of the first n lanes over
// the budget years with its flow's shares (flowLanes) and each lane's cash
// lag: year[y][t] is lane t's cash in budget year y (from the opening
// year; later years count in the last one). It is cashYears of the generic
// phasing (proportional, then cashWeights) on the same values, in the same
// order, without the cent rounding of the deterministic profile.
func caseYears(fl *flowLanes, scheme, cws []float64, n int, year *[bandYears][]float64) {
	for y := range year {
		clear(year[y][:n])
	}
	for t := range n {
		var cash [bandYears]float64
		lo, hi := fl.off[t], fl.off[t+1]
		lag := fl.phase[t].cashLag
		spread(&cash, scheme[t], fl.u[lo:hi], fl.uNone[t], lag)
		spread(&cash, cws[t], fl.c[lo:hi], fl.cNone[t], lag)
		for y := range min(hi-lo, bandYears) { // the years both lines pay in
			year[y][t] = cash[y]
		}
	}
}

// spread adds a line's cash per year to cash: its total committed in
// proportion to its shares (all in the first year if none), each year's
// commitments paid 1 − lag in the year and lag in the next (the last
// year's all in it), as cashWeights computes it.
func spread(cash *[bandYears]float64, total float64, share []float64, none bool, lag float64) {
	keep := 1 - lag
	carry := 0.0
	last := len(share) - 1
	for i := range last {
		c := total * share[i]
		if none {
			c = 0
			if i == 0 {
				c = total
			}
		}
		cash[min(i, bandYears-1)] += carry + c*keep
		carry = c * lag
	}
	c := total * share[last]
	if none {
		c = 0
		if last == 0 {
			c = total
		}
	}
	cash[min(last, bandYears-1)] += carry + c*keep + c*lag
}
