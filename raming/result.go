package raming

import (
	"errors"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

// Result is the outcome of an estimate: everything the output renders.
type Result struct {
	// Scenario is the scenario that was evaluated.
	Scenario *scenario.Scenario
	// Population describes where the counts come from and the funnel.
	Population Population
	// Quantities are the named figures the model derives (funnel steps and
	// per-variant intermediates), in the order they are computed.
	Quantities []*Quantity
	// Variants are the scenario's variants (A–E), in order.
	Variants []Variant
	// MonteCarlo is the simulation's outcome (nil for a deterministic run).
	MonteCarlo *Simulation
	// Warnings say where the estimate differs from what the scenario
	// alone would suggest (a rounding of the deck that no longer applies).
	Warnings []string
	// Published sets published figures beside the estimate (nil unless
	// asked for: SetPublished).
	Published *Published
	// Baseline compares the estimate with an earlier run's (nil unless
	// asked for: SetBaseline).
	Baseline *Baseline
}

// Variant returns the variant with the given id, or nil.
func (r *Result) Variant(id string) *Variant {
	for i := range r.Variants {
		if r.Variants[i].ID == id {
			return &r.Variants[i]
		}
	}
	return nil
}

// Case returns the case with the given id, or nil.
func (r *Result) Case(id string) *Case {
	for i := range r.Variants {
		for j := range r.Variants[i].Cases {
			if c := &r.Variants[i].Cases[j]; c.ID == id {
				return c
			}
		}
	}
	return nil
}

// Population describes the population the funnel was applied to.
type Population struct {
	// Extract is true when the funnel was counted on a population extract,
	// false when it starts from the scenario's base population.
	Extract bool
	// Source names the extract (empty without one).
	Source string
	// SHA256 is the extract's SHA-256 ("" without an extract).
	SHA256 string
	// RowsRead, RowsUsed and RowsRejected account for the extract's rows
	// (all zero without an extract). RowsRead = RowsUsed + RowsRejected.
	RowsRead, RowsUsed, RowsRejected int
	// Rejected lists the extract's rejected rows, in the order read.
	Rejected []RejectedRow
	// Warnings are the reader's warnings about the extract (its encoding,
	// columns ignored).
	Warnings []string
	// Funnel lists the funnel's steps from the base population down.
	Funnel []FunnelStep
}

// RejectedRow is a row of the extract that the reader refused: its line,
// the column and the reason. ID is the row's id as the reader kept it
// (masked against BSNs), "" when the row has no readable id: data, to be
// shown as text.
type RejectedRow struct {
	Line               int
	ID, Column, Reason string
	// Kind is the reader's kind of the problem (its row-level error), so
	// that the workbook can word it in Dutch; Reason is the reader's own
	// text, in English.
	Kind RejectKind
}

// RejectKind is the kind of problem a rejected row has: one per row-level
// error of the reader (input's ErrBadDate, ErrBadMoney, ...).
type RejectKind uint8

// The kinds of rejection; RejectOther for an error of no known kind.
const (
	RejectOther RejectKind = iota
	RejectBadDate
	RejectBadMoney
	RejectNegativeMoney
	RejectBadAnswer
	RejectMissingValue
	RejectFutureDate
	RejectDuplicateID
	RejectFieldCount
	RejectMalformedRow
)

// rejectKinds map the reader's row-level errors to their kinds.
var rejectKinds = []struct {
	err  error
	kind RejectKind
}{
	{input.ErrBadDate, RejectBadDate}, {input.ErrBadMoney, RejectBadMoney}, {input.ErrNegativeMoney, RejectNegativeMoney},
	{input.ErrBadAnswer, RejectBadAnswer}, {input.ErrMissingValue, RejectMissingValue}, {input.ErrFutureDate, RejectFutureDate},
	{input.ErrDuplicateID, RejectDuplicateID}, {input.ErrFieldCount, RejectFieldCount}, {input.ErrMalformedRow, RejectMalformedRow},
}

// RejectKindOf is the kind of a row's error (input's row-level errors).
func RejectKindOf(err error) RejectKind {
	for _, k := range rejectKinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	return RejectOther
}

// FunnelStep is one step of the funnel.
type FunnelStep struct {
	// Quantity is the step's count (persons; an expected count may be fractional).
	*Quantity
	// Known is the number of extract rows whose own value decided this step,
	// Assumed the number for which the scenario's share was used. Both are
	// zero without an extract.
	Known, Assumed int
}

// Quantity is a figure the model derives and names, such as the funnel's
// population with plausible damage ("funnel.damage").
type Quantity struct {
	ID    string
	Label string        // Dutch, for the workbook
	Unit  scenario.Unit // persons, eur, ...
	// Exact is the figure as computed (from assumptions, or counted on the extract).
	Exact *Expr
	// Rounded is the deck's rounded figure used in its place, or nil.
	Rounded *scenario.Rounding
	// Records, for a sum or count over records of the extract (variant
	// B's aggregates per weight group), is how many records the figure
	// rests on: output shows it only from the small-cell limit up. 0 for
	// any other figure.
	Records int64
}

// Value returns the figure the model uses: the deck's rounding if the
// scenario gives one, else the exact figure.
func (q *Quantity) Value() decimal.Decimal {
	if q.Rounded != nil {
		return q.Rounded.Value
	}
	return q.Exact.Value
}

// Variant is the estimate of one variant. Its header is the scenario's,
// except that CentralCase is always set: the scenario's central_case, else
// the first case.
type Variant struct {
	scenario.Header
	Cases []Case
	// TotalLow and TotalHigh are the lowest and highest case total.
	TotalLow, TotalHigh decimal.Decimal
}

// Case is one case of a variant (e.g. A with a EUR 15k lump sum), laid out as
// the deck's raming table: Populatie, Kosten van regeling, Kosten van CWS,
// Totale kosten. All amounts exclude execution costs ("excl. uitvoering").
type Case struct {
	ID    string
	Label string
	// Deck is what the deck printed for this case (zero if the scenario has none).
	Deck scenario.DeckCase
	// Population is the deck's "Populatie" row: those with access to the
	// scheme (A, B, C) or to tailoring/mediation (D, E).
	Population *Expr
	// CWSPopulation is the number of files at the CWS.
	CWSPopulation *Expr
	// Scheme is "Kosten van regeling"; CWS "Kosten van CWS"; Total their sum.
	Scheme, CWS, Total *Expr
	// Execution is the case's execution cost, beside the total and never
	// in it; nil when the scenario gives no estimate ("niet geraamd").
	Execution *Expr
	// Profile spreads the case over budget years, with execution costs beside.
	Profile *Profile
	// PerRecord is variant B computed record by record on an extract (nil
	// for a case computed from averages).
	PerRecord *BOutcome
}

// Profile spreads a case's cost over budget years.
type Profile struct {
	// Years run from the opening year to the last year with a payment.
	Years []Year
	// LastCWSYear is the year of the last CWS decision (0 if no CWS files).
	LastCWSYear int
	// Execution is the case's execution cost; ExecutionKnown is false when
	// the scenario gives none (shown as "not estimated", never as zero).
	Execution      decimal.Decimal
	ExecutionKnown bool
}

// Year is one budget year of a profile. All amounts are at the scenario's
// price level except Nominal.
type Year struct {
	Year int
	// UHTDecisions and CWSDecisions are the (expected) files decided.
	UHTDecisions, CWSDecisions decimal.Decimal
	// Commitments ("verplichtingen") fall in the year of the decision;
	// Cash ("kas") in the year of payment.
	Commitments, Cash Amounts
	// Nominal is Cash.Total in the year's own prices ("lopende prijzen"):
	// the lines that follow prices indexed from the scenario's price year
	// to this year, the lines fixed in law as they are (PriceLevel).
	Nominal decimal.Decimal
}

// Amounts are the cost lines of one budget year, in cents exactly.
// Total = Scheme + CWS ("excl. uitvoering"); Execution is shown beside it.
type Amounts struct {
	Scheme, CWS, Execution, Total decimal.Decimal
}

// BRecord is one ex-partner's outcome under variant B's options: whether
// and why they have access, the years together, the percentage and the
// amount, so any amount can be explained to the person it belongs to.
type BRecord struct {
	ID string
	// Access is "ja", "nee", or "verwacht" when it depends on a value the
	// extract does not know (then Weight < 1 is the probability).
	Access string
	Weight float64
	Reason string
	// YearsTogether between start_problematiek and the reference date, and
	// the problem years in that span (both 0 when not computed).
	YearsTogether, ProblemYears decimal.Decimal
	Percentage                  decimal.Decimal
	// Amount is paid to the ex-partner (after any offset, with any extra
	// payment), ApplicantAdjustment to (+) or withheld from (−) the
	// applicant; whole euros and cents.
	Amount, ApplicantAdjustment decimal.Decimal
}

// BOutcome sums variant B per record over an extract.
type BOutcome struct {
	Options scenario.BOptions
	// Records are kept only for RecordsB.
	Records []BRecord
	// AverageYears is the average problem years used by weighted-share.
	AverageYears decimal.Decimal
	// Pending counts the records that took the scenario's peildatum for
	// pending payments (b.pending_peildatum).
	Pending int
	// sums hold the records' outcomes by weight group, for the case's expressions.
	sums bSums
	// Access is the expected number with access; the amount statistics are
	// weighted by the probability of access.
	Access                   float64
	MeanAmount, MedianAmount float64
	P10Amount, P90Amount     float64
	BelowLowAmount           float64
}
