package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"raming/internal/clock"
	"raming/raming"
	"raming/scenario"
)

// Provenance is what the outputs record about the run that made them,
// beside the Result: the tool and the time.
type Provenance struct {
	ToolVersion string
	// RunTime is when the run happened (from SOURCE_DATE_EPOCH when set).
	RunTime time.Time
}

// Options are the choices of how a result is shown.
type Options struct {
	// SmallCell is the smallest count of people shown; smaller counts outside
	// the funnel totals are shown as "<N". 0 means the default, 10.
	SmallCell int
	// BudgetCases names, per variant, the case whose budget table the
	// workbook shows (default: the variant's central case).
	BudgetCases map[string]string
	// RiskLevel is the percentile of the budget tables' indication of a
	// risk reservation (P90 − raming); 0 means the default, 90.
	RiskLevel float64
	// BudgetYear is T of begroting T, whose window (T−2 ... T+5) and
	// price level the budget tables show; 0 means the year after the
	// run's date in the Netherlands.
	BudgetYear int
}

// budgetYear is Options.BudgetYear, or the year after the run's date in
// the Netherlands.
func (o Options) budgetYear(prov Provenance) int {
	if o.BudgetYear != 0 {
		return o.BudgetYear
	}
	return DefaultBudgetYear(prov.RunTime)
}

// DefaultBudgetYear is the budget year a run at now prepares: the year
// after its date in the Netherlands (a run at 00:30 on 1 January, Dutch
// time, prepares the next year's begroting, whatever the machine's zone).
func DefaultBudgetYear(now time.Time) int { return now.In(clock.Dutch).Year() + 1 }

func (o Options) riskLevel() float64 {
	if o.RiskLevel <= 0 {
		return 90
	}
	return o.RiskLevel
}

// dutchDate writes a date the Dutch way: 24 november 2026. It takes the
// date of t in the Netherlands.
func dutchDate(t time.Time) string {
	t = t.In(clock.Dutch)
	months := [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

func (o Options) smallCell() int {
	if o.SmallCell <= 0 {
		return 10
	}
	return o.SmallCell
}

// jsonSummary is the JSON summary. Field names are a contract with other tools.
type jsonSummary struct {
	ToolVersion string         `json:"tool_version"`
	RunTime     string         `json:"run_time"`
	Scenario    jsonScenario   `json:"scenario"`
	Population  jsonPopulation `json:"population"`
	Amounts     string         `json:"amounts"`
	// Warnings say where the estimate departs from the scenario as written
	// (a rounding of the deck that no longer applies).
	Warnings []string `json:"warnings,omitempty"`
	// WarningsNL are the same warnings in Dutch, as the workbook says
	// them (for a Dutch page).
	WarningsNL []string      `json:"warnings_nl,omitempty"`
	Variants   []jsonVariant `json:"variants"`
	// MonteCarlo is absent for a deterministic run (--iterations 0).
	MonteCarlo *jsonMonteCarlo `json:"monte_carlo,omitempty"`
	// Baseline compares with a previous summary (--baseline).
	Baseline *jsonBaseline `json:"baseline,omitempty"`
	// Published sets published figures beside the estimate (--published).
	Published *jsonPublished `json:"published,omitempty"`
	// Budget is the budget tables: begroting T's columns at prijspeil T.
	Budget *jsonBudget `json:"budget,omitempty"`
}

// jsonScenario identifies the scenario.
type jsonScenario struct {
	Name   string `json:"name"`
	Origin string `json:"origin"`
	SHA256 string `json:"sha256"`
	// Text is the scenario file itself, so that a later run can split a
	// change against this summary into its causes (--baseline).
	Text string `json:"text"`
	// Set lists the --set changes of this run (KEY=VALUE), applied to Text.
	Set []string `json:"set,omitempty"`
}

// jsonPopulation accounts for the population and its funnel.
type jsonPopulation struct {
	Source       string         `json:"source"`
	SHA256       string         `json:"sha256,omitempty"`
	RowsRead     int            `json:"rows_read"`
	RowsUsed     int            `json:"rows_used"`
	RowsRejected int            `json:"rows_rejected"`
	Funnel       []jsonFunnel   `json:"funnel"`
	Rejected     []jsonRejected `json:"rejected,omitempty"`
	Warnings     []string       `json:"warnings,omitempty"`
	WarningsNL   []string       `json:"warnings_nl,omitempty"`
	// PendingPeildatum says how many records of the extract took the
	// scenario's peildatum for payments still pending (variant B under
	// b.peildatum = eerste-betaling), and the date.
	PendingPeildatum *jsonPending `json:"pending_peildatum,omitempty"`
}

// jsonPending counts the records that took the date for pending payments.
type jsonPending struct {
	Date    string `json:"date"`
	Records string `json:"records"`
}

// jsonFunnel is one funnel step. Count is the figure the model used; Exact
// is the computed figure when the scenario rounds it as the deck did.
// Known and Assumed count the extract's rows (small-cell protected: "<10"
// for fewer than 10, and "suppressed" where a number would let one derive
// a suppressed one; see funnelCounts).
type jsonFunnel struct {
	Step    string `json:"step"`
	Label   string `json:"label"`
	Count   string `json:"count"`
	Exact   string `json:"exact,omitempty"`
	Known   string `json:"known,omitempty"`
	Assumed string `json:"assumed,omitempty"`
}

// jsonRejected is one rejected row of the extract (raming.RejectedRow).
// ID is the row's id as the reader kept it (masked against BSNs), "" when
// the row has no readable id; it is data, to be shown as text.
type jsonRejected struct {
	Line   int    `json:"line"`
	ID     string `json:"id"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// jsonVariant is one variant with its cases.
type jsonVariant struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	TotalLow  string     `json:"total_low"`
	TotalHigh string     `json:"total_high"`
	DeckTotal string     `json:"deck_total,omitempty"`
	Cases     []jsonCase `json:"cases"`
	// CentralCase names the case whose spread stands for the variant.
	CentralCase string          `json:"central_case"`
	MonteCarlo  *jsonTotalStats `json:"monte_carlo,omitempty"`
	// PerRecord summarises variant B computed per record (with an extract).
	PerRecord *jsonPerRecord `json:"per_record,omitempty"`
}

// jsonPerRecord summarises variant B per record under the scenario's
// options. Amount statistics are weighted by the probability of access and
// left out (null) when fewer than the small-cell limit have access.
type jsonPerRecord struct {
	Options        map[string]string `json:"options"`
	Access         string            `json:"access"`
	MeanAmount     *string           `json:"mean_amount"`
	MedianAmount   *string           `json:"median_amount"`
	P10Amount      *string           `json:"p10_amount"`
	P90Amount      *string           `json:"p90_amount"`
	BelowLowAmount string            `json:"below_low_amount"`
	ExecutionCost  string            `json:"execution_cost"`
}

// jsonCase is one case: the rows of the deck's raming table.
type jsonCase struct {
	ID            string `json:"id"`
	Label         string `json:"label"`
	Population    string `json:"population"`
	CWSPopulation string `json:"cws_population"`
	SchemeCost    string `json:"scheme_cost"`
	CWSCost       string `json:"cws_cost"`
	Total         string `json:"total"`
	// ExecutionCost is beside the total, never in it; null when the
	// scenario gives no estimate.
	ExecutionCost *string `json:"execution_cost"`
	// LastCWSDecisionYear is the year the last ex-partner gets a CWS
	// decision (null when the case sends nobody to the CWS).
	LastCWSDecisionYear *int                `json:"last_cws_decision_year"`
	PerYear             []jsonYear          `json:"per_year"`
	MonteCarlo          *jsonCaseMonteCarlo `json:"monte_carlo,omitempty"`
}

// jsonYear is one budget year of a case. The amounts are cash ("kas") at the
// price level; Commitments ("verplichtingen") fall in the year of decision.
// total = scheme_cost + cws_cost (excl. uitvoering); execution_cost is beside it.
type jsonYear struct {
	Year          int         `json:"year"`
	SchemeCost    string      `json:"scheme_cost"`
	CWSCost       string      `json:"cws_cost"`
	ExecutionCost *string     `json:"execution_cost"`
	Total         string      `json:"total"`
	TotalNominal  string      `json:"total_nominal"`
	Commitments   jsonAmounts `json:"commitments"`
	UHTDecisions  string      `json:"uht_decisions"`
	CWSDecisions  string      `json:"cws_decisions"`
	// MonteCarlo is the band of the cash total in this year.
	MonteCarlo *jsonYearBand `json:"monte_carlo,omitempty"`
}

// jsonYearBand is the Monte Carlo band of a year's cash total, over every
// iteration of the run.
type jsonYearBand struct {
	Mean string `json:"mean"`
	P5   string `json:"p5"`
	P50  string `json:"p50"`
	P95  string `json:"p95"`
	// Percentiles are every reported percentile with its standard error.
	Percentiles []jsonPercentile `json:"percentiles"`
}

// jsonAmounts are the cost lines of a year.
type jsonAmounts struct {
	SchemeCost    string  `json:"scheme_cost"`
	CWSCost       string  `json:"cws_cost"`
	ExecutionCost *string `json:"execution_cost"`
	Total         string  `json:"total"`
}

// money formats an amount in euros with two decimals, exact.
func money(d decimal.Decimal) string { return d.StringFixed(2) }

// simCase returns the simulated case with the given id.
func simCase(sim *raming.Simulation, id string) raming.CaseSim { return *sim.Case(id) }

// yearBand returns the simulated band of a budget year.
func yearBand(c raming.CaseSim, year int) (raming.YearBand, bool) {
	for _, b := range c.Years {
		if b.Year == year {
			return b, true
		}
	}
	return raming.YearBand{}, false
}

// optMoney is money, or nil (JSON null) when the amount is not known.
func optMoney(known bool, d decimal.Decimal) *string {
	if !known {
		return nil
	}
	s := money(d)
	return &s
}

// count formats an (expected) number of people exactly.
func count(d decimal.Decimal) string { return d.String() }

// WriteJSON writes the JSON summary of a result, indented.
func WriteJSON(w io.Writer, res *raming.Result, prov Provenance, opts Options) error {
	return encodeJSON(w, newSummary(res, prov, opts))
}

// WritePopulationJSON writes what `raming validate --json` reports: the
// tool version and time, the scenario whose shares count the funnel (its
// name, origin and hash, without its text and --set, which only a run's
// summary carries), and the extract's population with its funnel.
func WritePopulationJSON(w io.Writer, p raming.Population, sc *scenario.Scenario, prov Provenance) error {
	return encodeJSON(w, jsonValidation{ToolVersion: prov.ToolVersion, RunTime: prov.RunTime.UTC().Format(time.RFC3339),
		Scenario:   jsonScenarioRef{Name: sc.Name, Origin: sc.Origin, SHA256: sc.SHA256},
		Population: populationJSON(p, newSmallCells(&raming.Result{Population: p}, Options{}.smallCell()))})
}

// jsonValidation is what `raming validate --json` writes (no variants: a
// later run's --baseline passes it over as no summary).
type jsonValidation struct {
	ToolVersion string          `json:"tool_version"`
	RunTime     string          `json:"run_time"`
	Scenario    jsonScenarioRef `json:"scenario"`
	Population  jsonPopulation  `json:"population"`
}

// jsonScenarioRef names a scenario without its text.
type jsonScenarioRef struct {
	Name   string `json:"name"`
	Origin string `json:"origin"`
	SHA256 string `json:"sha256"`
}

// newSummary builds the JSON summary of a result.
func newSummary(res *raming.Result, prov Provenance, opts Options) jsonSummary {
	cells := newSmallCells(res, opts.smallCell())
	s := jsonSummary{
		ToolVersion: prov.ToolVersion,
		RunTime:     prov.RunTime.UTC().Format(time.RFC3339),
		Scenario: jsonScenario{Name: res.Scenario.Name, Origin: res.Scenario.Origin, SHA256: res.Scenario.SHA256, Text: string(res.Scenario.Text),
			Set: res.Scenario.Settings},
		Amounts:  "EUR, excl. uitvoering",
		Warnings: res.Warnings, WarningsNL: WarningsNL(res.Warnings),
		Population: populationJSON(res.Population, cells),
	}
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			if b := c.PerRecord; b != nil && b.Pending > 0 {
				s.Population.PendingPeildatum = &jsonPending{Date: res.Scenario.B.Options.PendingPeildatum.Value.String(),
					Records: suppress(b.Pending, opts.smallCell())}
			}
		}
	}
	if res.MonteCarlo != nil {
		s.MonteCarlo = monteCarloJSON(res, cells)
	}
	s.Baseline = baselineJSON(res.Baseline, res, cells)
	s.Published = publishedJSON(res.Published, cells.hiddenID(publishedCaseID(res.Published)))
	budgeted := map[string]bool{}
	for _, id := range BudgetedCases(res, opts) {
		budgeted[id] = true
	}
	s.Budget = budgetJSON(res, opts.budgetYear(prov), budgeted, cells, opts.riskLevel())
	for _, v := range res.Variants {
		vs := jsonVariant{ID: v.ID, Name: v.Name, TotalLow: money(v.TotalLow), TotalHigh: money(v.TotalHigh), DeckTotal: v.Deck.Text}
		if cells.hiddenVariant(&v) {
			vs.TotalLow, vs.TotalHigh = complementJSON, complementJSON
		}
		for _, c := range v.Cases {
			if c.PerRecord != nil {
				vs.PerRecord = perRecordJSON(c, cells)
			}
			vs.Cases = append(vs.Cases, caseJSON(res, c, cells))
		}
		vs.CentralCase = v.CentralCase
		if sim := res.MonteCarlo; sim != nil && !cells.hiddenID(v.CentralCase) {
			st := totalStatsJSON(*sim.Case(v.CentralCase))
			vs.MonteCarlo = &st
		}
		s.Variants = append(s.Variants, vs)
	}
	return s
}

// caseJSON is a case as the summary writes it: whole, or, when the
// small-cell rule suppresses it, only what follows from the assumptions
// (hiddenCaseJSON).
func caseJSON(res *raming.Result, c raming.Case, cells *smallCells) jsonCase {
	if cells.hiddenCase(&c) {
		return hiddenCaseJSON(&c, cells)
	}
	cs := jsonCase{
		ID: c.ID, Label: c.Label, Population: count(c.Population.Value), CWSPopulation: count(c.CWSPopulation.Value),
		SchemeCost: money(c.Scheme.Value), CWSCost: money(c.CWS.Value), Total: money(c.Total.Value),
	}
	if p := c.Profile; p != nil {
		known := p.ExecutionKnown
		cs.ExecutionCost = optMoney(known, p.Execution)
		if p.LastCWSYear != 0 {
			cs.LastCWSDecisionYear = &p.LastCWSYear
		}
		for _, y := range p.Years {
			cs.PerYear = append(cs.PerYear, jsonYear{
				Year: y.Year, SchemeCost: money(y.Cash.Scheme), CWSCost: money(y.Cash.CWS),
				ExecutionCost: optMoney(known, y.Cash.Execution), Total: money(y.Cash.Total), TotalNominal: money(y.Nominal),
				Commitments: jsonAmounts{SchemeCost: money(y.Commitments.Scheme), CWSCost: money(y.Commitments.CWS),
					ExecutionCost: optMoney(known, y.Commitments.Execution), Total: money(y.Commitments.Total)},
				UHTDecisions: count(y.UHTDecisions.Round(2)), CWSDecisions: count(y.CWSDecisions.Round(2)),
			})
		}
	}
	if sim := res.MonteCarlo; sim != nil {
		sc := simCase(sim, c.ID)
		cs.MonteCarlo = caseMonteCarloJSON(sc)
		// Years in which only some draws pay (after the point
		// profile's last) have a band and no point amount.
		if c.Profile != nil && len(cs.PerYear) > 0 {
			zero, known := money(decimal.Zero), c.Profile.ExecutionKnown
			for y := cs.PerYear[len(cs.PerYear)-1].Year + 1; y <= caseLastYear(res, c); y++ {
				cs.PerYear = append(cs.PerYear, jsonYear{Year: y, SchemeCost: zero, CWSCost: zero,
					ExecutionCost: optMoney(known, decimal.Zero), Total: zero, TotalNominal: zero,
					Commitments:  jsonAmounts{SchemeCost: zero, CWSCost: zero, ExecutionCost: optMoney(known, decimal.Zero), Total: zero},
					UHTDecisions: count(decimal.Zero), CWSDecisions: count(decimal.Zero)})
			}
		}
		for i := range cs.PerYear {
			if b, ok := yearBand(sc, cs.PerYear[i].Year); ok {
				band := &jsonYearBand{Mean: euros(b.Mean), P5: euros(b.P5), P50: euros(b.P50), P95: euros(b.P95)}
				for _, p := range b.Percentiles {
					band.Percentiles = append(band.Percentiles, jsonPercentile{P: p.P, Value: euros(p.Value), SE: euros(p.SE), Stable: euros(p.Stable)})
				}
				cs.PerYear[i].MonteCarlo = band
			}
		}
	}
	return cs
}

// hiddenCaseJSON is a case the small-cell rule suppresses, shown whole or
// not at all: only what follows from the assumptions alone.
func hiddenCaseJSON(c *raming.Case, cells *smallCells) jsonCase {
	cs := jsonCase{ID: c.ID, Label: c.Label, Population: cells.countText(c.Population.Value, complementJSON),
		CWSPopulation: cells.countText(c.CWSPopulation.Value, complementJSON),
		SchemeCost:    complementJSON, CWSCost: complementJSON, Total: complementJSON, PerYear: []jsonYear{}}
	if p := c.Profile; p != nil {
		cs.ExecutionCost = optMoney(p.ExecutionKnown, p.Execution)
	}
	return cs
}

// populationJSON accounts for the population: its rows, the funnel (the
// extract's counts small-cell protected), the rejected rows and the
// reader's warnings.
func populationJSON(p raming.Population, cells *smallCells) jsonPopulation {
	s := jsonPopulation{Source: populationSource(p), SHA256: p.SHA256,
		RowsRead: p.RowsRead, RowsUsed: p.RowsUsed, RowsRejected: p.RowsRejected, Warnings: p.Warnings, WarningsNL: WarningsNL(p.Warnings)}
	for _, st := range p.Funnel {
		f := jsonFunnel{Step: st.ID, Label: st.Label, Count: count(st.Value())}
		if st.Rounded != nil {
			f.Exact = count(st.Exact.Value)
		}
		if p.Extract {
			small := cells.hiddenQuantity(st.Quantity)
			if small {
				f.Count = cells.countText(st.Value(), complementJSON)
				if f.Exact != "" {
					f.Exact = cells.countText(st.Exact.Value, complementJSON)
				}
			}
			hidden := small || hidesData(p, st.Exact, st.Unit, int(cells.limit)) || cells.hidesSplit(st.Exact)
			f.Known, f.Assumed = funnelCounts(st, p.RowsUsed, int(cells.limit), hidden, complementJSON)
		}
		s.Funnel = append(s.Funnel, f)
	}
	for _, r := range p.Rejected {
		s.Rejected = append(s.Rejected, jsonRejected{Line: r.Line, ID: r.ID, Column: r.Column, Reason: r.Reason})
	}
	return s
}

func perRecordJSON(c raming.Case, cells *smallCells) *jsonPerRecord {
	b, small := c.PerRecord, int(cells.limit)
	j := &jsonPerRecord{
		Options:        map[string]string{},
		Access:         suppressCount(b.Access, small),
		BelowLowAmount: suppressCount(b.BelowLowAmount, small),
		ExecutionCost:  money(c.Execution.Value),
	}
	for _, op := range scenario.Options {
		j.Options[op.Key] = op.Get(&b.Options)
	}
	hidden := cells.hiddenCase(&c)
	if hidden || cells.nearCount(b.Access) {
		j.Access = cells.countText(decimal.NewFromFloat(b.Access), complementJSON)
	}
	if hidden || cells.nearCount(b.BelowLowAmount) {
		j.BelowLowAmount = cells.countText(decimal.NewFromFloat(b.BelowLowAmount), complementJSON)
	}
	if b.Access >= float64(small) && !hidden {
		j.MeanAmount, j.MedianAmount = ptr(euros(b.MeanAmount)), ptr(euros(b.MedianAmount))
		j.P10Amount, j.P90Amount = ptr(euros(b.P10Amount)), ptr(euros(b.P90Amount))
	}
	return j
}

// suppressCount is suppress for an expected (fractional) count.
func suppressCount(x float64, min int) string {
	if s := hiddenCount(x, min, ""); s != "" {
		return s
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// suppress shows a count of people, or "<min" when it is below min but not
// zero (small-cell protection: the extract is person-level data).
func suppress(n, min int) string {
	if s := hiddenCount(float64(n), min, ""); s != "" {
		return s
	}
	return strconv.Itoa(n)
}

// isSmall reports whether a count of n people is suppressed: 0 < n < min.
func isSmall(n, min int) bool { return n > 0 && n < min }

// Shown in place of a count that is suppressed only so that a smaller one
// beside it cannot be derived (complementary suppression).
const (
	complementJSON = "suppressed"
	complementNL   = "niet getoond"
)

// funnelCounts shows a funnel step's rows known and assumed. They add up to
// the rows the step counts, which the funnel's figures give away, so when
// one of them is suppressed (fewer than min rows) the other is too, shown
// as complement; both are when hidden says the step's arithmetic is not
// shown (hidesData), since the two would let the reader recompute it. A
// known count equal to the rows used is the extract's total, shown as the
// rows used are; the assumed count is then 0.
func funnelCounts(st raming.FunnelStep, rowsUsed, min int, hidden bool, complement string) (known, assumed string) {
	if st.Known == rowsUsed || !hidden && !isSmall(st.Known, min) && !isSmall(st.Assumed, min) {
		return strconv.Itoa(st.Known), strconv.Itoa(st.Assumed)
	}
	return hiddenCount(float64(st.Known), min, complement), hiddenCount(float64(st.Assumed), min, complement)
}

// hidesData reports whether the arithmetic of e, a figure in unit u of a
// run on an extract, would show figures counted on the extract
// (dataLeaves) that may not be shown: a count of fewer than min people, or,
// in an amount, sums of amounts (how many people each belongs to is not
// known here) beside other figures. Such arithmetic is written in words
// (hiddenText), and such a figure as a value, not a formula: the formula
// would show the counts, and by changing an assumption so would its value.
func hidesData(p raming.Population, e *raming.Expr, u scenario.Unit, min int) bool {
	if !p.Extract {
		return false
	}
	leaves := dataLeaves(e)
	if (u == scenario.EUR || u == scenario.EURPerHour) && len(leaves) > 1 {
		return true
	}
	for _, v := range leaves {
		if v.IsPositive() && v.LessThan(decimal.NewFromInt(int64(min))) {
			return true
		}
	}
	return false
}

// hiddenText says in words that arithmetic is not shown (hidesData).
func hiddenText(u scenario.Unit, min int) string {
	if u == scenario.EUR || u == scenario.EURPerHour {
		return fmt.Sprintf("som over de records van het extract (bedragen van minder dan %d personen: niet getoond)", min)
	}
	return fmt.Sprintf("telling op het extract (aantallen van minder dan %d personen: niet getoond)", min)
}

// dataLeaves are the figures of e counted on the extract: its constants
// (counts, sums of amounts) apart from the model's own (structural).
// Named quantities are leaves of their own and not looked into.
func dataLeaves(e *raming.Expr) []decimal.Decimal {
	if e.IsConstant() {
		return []decimal.Decimal{e.Value}
	}
	var out []decimal.Decimal
	for i, a := range e.Args {
		if !structural(e, i) {
			out = append(out, dataLeaves(a)...)
		}
	}
	return out
}

// structural reports whether e.Args[i] is a constant of the model rather
// than of the extract: the 1 of "1 + growth" and "1 − share" (a 1 beside
// an assumption), and the probability 1 that a known "yes" is a yes, which
// multiplies a sum (raming/extract.go, funnelFromExtract).
func structural(e *raming.Expr, i int) bool {
	a := e.Args[i]
	if i != 0 || len(e.Args) != 2 || !a.IsConstant() || !a.Value.Equal(decimal.NewFromInt(1)) {
		return false
	}
	other := e.Args[1]
	switch e.Op {
	case raming.OpAdd, raming.OpSub:
		return other.Op == raming.OpValue && other.Name != ""
	case raming.OpMul:
		return other.Op == raming.OpAdd
	}
	return false
}

// encodeJSON writes s as indented JSON (HTML characters as they are).
func encodeJSON(w io.Writer, s any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}
