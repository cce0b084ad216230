package raming

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// maxYears bounds a profile; validation keeps capacities above zero, so only
// an absurdly small capacity can reach it, and the estimate then refuses
// the scenario (a ModelError) rather than leave files undecided.
const maxYears = 200

var cent = decimal.New(1, -2)

// phaseParams are the phasing assumptions that spread a case over budget
// years, as numbers of type T (exact decimals for the budget, float64 in
// the simulation).
type phaseParams[T number[T]] struct {
	intake, lag             int
	uhtCap, cwsCap, cashLag T
	// openShare is the share of the opening year the scheme is open: UHT
	// decides that share of uhtCap in it (one: the whole year).
	openShare T
	// cwsStart and ramp, when ramp > 0: the CWS's capacity grows from
	// cwsStart in the opening year to cwsCap after ramp years, in equal steps.
	cwsStart T
	ramp     int
}

// cwsCapacity is the CWS's capacity in year y from the opening year.
func (p phaseParams[T]) cwsCapacity(y int, fromInt func(int64) T, div func(a, b T) T) T {
	if p.ramp <= 0 || y >= p.ramp {
		return p.cwsCap
	}
	step := div(p.cwsCap.Sub(p.cwsStart), fromInt(int64(p.ramp)))
	return p.cwsStart.Add(step.Mul(fromInt(int64(y))))
}

// phaseBuffers are the slices decisions works in. The simulation keeps
// them per worker, so that spreading a draw over the years allocates
// nothing; the budget uses new ones per case. The decisions live in their
// buffers until the buffers are used again.
type phaseBuffers[T number[T]] struct {
	arrivals, uht, cwsArrivals, cws []T
}

// decisions returns the files UHT and the CWS decide per year from the
// opening year (flow), padded to one year more than the longer of the two,
// for the cash lag.
func decisions[T number[T]](uhtFiles, cwsFiles T, p phaseParams[T], fromInt func(int64) T, div func(a, b T) T, buf *phaseBuffers[T]) (uht, cws []T) {
	uht, cws = flow(uhtFiles, cwsFiles, p, fromInt, div, buf)
	n := max(len(uht), len(cws)) + 1
	for len(uht) < n {
		uht = append(uht, fromInt(0))
	}
	for len(cws) < n {
		cws = append(cws, fromInt(0))
	}
	buf.uht, buf.cws = uht, cws
	return uht, cws
}

// phase computes a case's profile. Files at UHT (the case's population)
// report evenly over intake_years from the opening year; UHT decides at most
// uht_capacity a year, the CWS at most cws_capacity, each carrying its
// backlog over. CWS requests follow UHT decisions after cws_lag_years, in the
// proportion CWS files ÷ UHT files. Each cost line is spread over the years in
// proportion to its decisions (scheme: UHT; CWS: CWS; execution: both) and
// rounded to cents so that the years add up to the rounded total exactly.
// A cash_lag_share of each year's commitments is paid the next year. The
// simulation spreads its draws with the same decisions and cashWeights,
// without the rounding to cents.
//
// Source: docs/methodology.md, "Multi-year profile" (CWS capacity and
// opening: deck, footnote 2 of the variants slide, "vanaf 1 januari 2022").
func (b *Builder) phase(c *Case) (*Profile, error) {
	p := b.sc.Phasing
	opening := int(p.OpeningYear.Value.IntPart())
	ph := phaseParams[decimal.Decimal]{intake: int(p.IntakeYears.Value.IntPart()), lag: int(p.CWSLagYears.Value.IntPart()),
		uhtCap: p.UHTCapacity.Value, cwsCap: p.CWSCapacity.Value, cashLag: p.CashLagShare.Value, openShare: decimal.NewFromInt(1)}
	if p.OpeningYearShare.Given() {
		ph.openShare = p.OpeningYearShare.Value
	}
	if p.CWSRampYears.Given() {
		ph.cwsStart, ph.ramp = p.CWSCapacityStart.Value, int(p.CWSRampYears.Value.IntPart())
	}
	uht, cws := decisions(c.Population.Value, c.CWSPopulation.Value, ph, decimal.NewFromInt,
		func(a, b decimal.Decimal) decimal.Decimal { return a.DivRound(b, divPlaces) }, &phaseBuffers[decimal.Decimal]{})
	n := len(uht)
	if n > maxYears {
		return nil, &ModelError{Msg: fmt.Sprintf("case %s: at phasing.uht_capacity %s and phasing.cws_capacity %s files a year, its files would take more than %d years to decide; give capacities that fit the population",
			c.ID, p.UHTCapacity.Value, p.CWSCapacity.Value, maxYears)}
	}
	both := make([]decimal.Decimal, n)
	for i := range both {
		both[i] = uht[i].Add(cws[i])
	}
	prof := &Profile{}
	if c.Execution != nil {
		prof.Execution, prof.ExecutionKnown = c.Execution.Value, true
	}
	lines := []struct {
		total   decimal.Decimal
		weights []decimal.Decimal
	}{{c.Scheme.Value, uht}, {c.CWS.Value, cws}, {prof.Execution, both}}
	commitYears := make([][]decimal.Decimal, len(lines))
	cashYears := make([][]decimal.Decimal, len(lines))
	for i, l := range lines {
		commitYears[i] = allocate(l.total, l.weights)
		cashYears[i] = allocate(l.total, cashWeights(nil, commitYears[i], ph.cashLag, decimal.NewFromInt(1)))
	}
	for i := 0; i < n; i++ {
		y := Year{Year: opening + i, UHTDecisions: uht[i], CWSDecisions: cws[i],
			Commitments: newAmounts(commitYears[0][i], commitYears[1][i], commitYears[2][i]),
			Cash:        newAmounts(cashYears[0][i], cashYears[1][i], cashYears[2][i]),
		}
		// In the year's own prices: the lines that follow prices indexed
		// to the year, those fixed in law as they are.
		pl := NewPriceLevel(b.sc, y.Year)
		y.Nominal = y.Cash.Scheme.Mul(pl.Factor(LineScheme)).Add(y.Cash.CWS.Mul(pl.Factor(LineCWS))).Round(2)
		if cws[i].Sign() > 0 {
			prof.LastCWSYear = y.Year
		}
		prof.Years = append(prof.Years, y)
	}
	// Drop trailing years with nothing in them.
	for len(prof.Years) > 1 && prof.Years[len(prof.Years)-1].empty() {
		prof.Years = prof.Years[:len(prof.Years)-1]
	}
	return prof, nil
}

func newAmounts(scheme, cws, execution decimal.Decimal) Amounts {
	return Amounts{Scheme: scheme, CWS: cws, Execution: execution, Total: scheme.Add(cws)}
}

func (y Year) empty() bool {
	return y.UHTDecisions.IsZero() && y.CWSDecisions.IsZero() && y.Cash.Total.IsZero() &&
		y.Cash.Execution.IsZero() && y.Commitments.Total.IsZero() && y.Commitments.Execution.IsZero()
}

// number is the arithmetic the phasing needs: decimal.Decimal for the
// exact budget (the Monte Carlo's bands per year do the same in float64:
// bands.go, tested against this code on f64 in bands_test.go).
type number[T any] interface {
	Add(T) T
	Sub(T) T
	Mul(T) T
	LessThan(T) bool
	Sign() int
}

// flow returns the files UHT and the CWS decide per year: uhtFiles report
// evenly over intake years; UHT decides at most uhtCap a year; CWS requests
// follow UHT decisions after lag years, in the proportion cwsFiles ÷
// uhtFiles; the CWS decides at most cwsCap a year. Backlogs carry over.
// The tool's own model (the deck has no timing beyond "minstens nog bezig
// in 2025-26"): docs/methodology.md, "Multi-year profile", steps 1-3.
func flow[T number[T]](uhtFiles, cwsFiles T, p phaseParams[T], fromInt func(int64) T, div func(a, b T) T, buf *phaseBuffers[T]) (uht, cws []T) {
	arrivals := buf.arrivals[:0]
	for range p.intake {
		arrivals = append(arrivals, div(uhtFiles, fromInt(int64(p.intake))))
	}
	uht = queue(buf.uht[:0], arrivals, func(y int) T {
		if y == 0 {
			return p.uhtCap.Mul(p.openShare)
		}
		return p.uhtCap
	}, fromInt(0))
	cwsArrivals := buf.cwsArrivals[:0]
	for range len(uht) + p.lag {
		cwsArrivals = append(cwsArrivals, fromInt(0))
	}
	for i, d := range uht {
		if uhtFiles.Sign() > 0 {
			cwsArrivals[i+p.lag] = div(d.Mul(cwsFiles), uhtFiles)
		}
	}
	cws = queue(buf.cws[:0], cwsArrivals, func(y int) T { return p.cwsCapacity(y, fromInt, div) }, fromInt(0))
	buf.arrivals, buf.cwsArrivals = arrivals, cwsArrivals
	return uht, cws
}

// queue appends to out the files decided per year when arrivals join a
// queue that is served at most capacity(year) a year; the backlog carries
// over until empty. The tool's own model (docs/methodology.md,
// "Multi-year profile", steps 2-3).
func queue[T number[T]](out, arrivals []T, capacity func(year int) T, zero T) []T {
	backlog := zero
	for y := 0; y < maxYears && (y < len(arrivals) || backlog.Sign() > 0); y++ {
		if y < len(arrivals) {
			backlog = backlog.Add(arrivals[y])
		}
		d := backlog
		if c := capacity(y); c.LessThan(d) {
			d = c
		}
		out = append(out, d)
		backlog = backlog.Sub(d)
	}
	return out
}

// cashWeights shifts a share of each year's commitments to the next year;
// nothing is paid after the last year. The result is written over w's
// backing array when it is large enough (nil: a new slice). The tool's
// own model (docs/methodology.md, "Multi-year profile", step 5).
func cashWeights[T number[T]](w, commit []T, lagShare, one T) []T {
	w = slices.Grow(w[:0], len(commit))[:len(commit)]
	clear(w)
	keep := one.Sub(lagShare)
	for i, c := range commit {
		w[i] = w[i].Add(c.Mul(keep))
		if i+1 < len(w) {
			w[i+1] = c.Mul(lagShare)
		} else {
			w[i] = w[i].Add(c.Mul(lagShare))
		}
	}
	return w
}

// allocate splits total, rounded to cents, over the years in proportion to
// weights, by the largest-remainder method: every year gets whole cents and
// the years add up to the rounded total exactly. Ties go to the earlier
// year. Without any weight, everything falls in the first year. A negative
// total (a saving) is split as its amount is, with the sign turned.
func allocate(total decimal.Decimal, weights []decimal.Decimal) []decimal.Decimal {
	if total.Sign() < 0 {
		out := allocate(total.Neg(), weights)
		for i := range out {
			out[i] = out[i].Neg()
		}
		return out
	}
	out := make([]decimal.Decimal, len(weights))
	for i := range out {
		out[i] = decimal.Zero
	}
	target := total.Round(2)
	sum := decimal.Sum(decimal.Zero, weights...)
	if sum.Sign() == 0 {
		if len(out) > 0 {
			out[0] = target
		}
		return out
	}
	rem := make([]decimal.Decimal, len(weights))
	given := decimal.Zero
	for i, w := range weights {
		exact := target.Mul(w).DivRound(sum, divPlaces)
		out[i] = exact.RoundDown(2)
		rem[i] = exact.Sub(out[i])
		given = given.Add(out[i])
	}
	// Hand out the cents left over to the largest remainders; should the
	// rounded quotients overshoot (a remainder rounded up to a whole cent),
	// take the cents back from the smallest.
	left := target.Sub(given).Div(cent).IntPart()
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i].GreaterThan(rem[best]) {
				best = i
			}
		}
		out[best] = out[best].Add(cent)
		rem[best] = decimal.NewFromInt(-1)
	}
	for ; left < 0; left++ {
		worst := -1
		for i := range rem {
			if out[i].Sign() > 0 && (worst < 0 || rem[i].LessThan(rem[worst])) {
				worst = i
			}
		}
		out[worst] = out[worst].Sub(cent)
		rem[worst] = decimal.NewFromInt(2)
	}
	return out
}
