package input

import (
	"time"

	"github.com/shopspring/decimal"
)

// Answer is a yes/no/unknown field of the extract (`ja`/`nee`/`onbekend`).
type Answer int8

// The values of an Answer. The zero value is Unknown.
const (
	Unknown Answer = iota // `onbekend` or empty: the scenario's share applies
	No                    // `nee`
	Yes                   // `ja`
)

// String returns the Dutch word the extract uses.
func (a Answer) String() string {
	switch a {
	case Yes:
		return "ja"
	case No:
		return "nee"
	}
	return "onbekend"
}

// Money is an optional amount in whole cents, exact. Amounts in an extract
// have at most two decimals, so cents hold them without loss and keep a
// million-row extract small; Decimal converts at the point of use.
type Money struct {
	Cents int64 // never negative
	Known bool  // false when the column is empty or absent
}

// Decimal returns the amount in euros.
func (m Money) Decimal() decimal.Decimal { return decimal.New(m.Cents, -2) }

// Record is one row of the population extract: one ex-partner.
// See ../shared/population-schema.md for the contract. Dates are UTC
// midnight; the zero time means unknown (empty in the extract).
type Record struct {
	Line                int       // line in the file where the row starts (header = 1)
	ID                  string    // id: pseudonymous id of the ex-partner, unique
	DossierID           string    // dossier_id: pseudonymous id of the applicant's file
	RestoredAsApplicant bool      // herstel_als_aanvrager: funnel step 1
	Affected            Answer    // gedupeerd
	ProblemStart        time.Time // start_problematiek (a bare year is 1 January)
	EndTogether         time.Time // einde_samen; zero = unknown
	FirstPayment        time.Time // eerste_betaling_aanvrager; zero = none yet
	ReportDate          time.Time // melddatum; zero = did not report
	Recovery            Money     // terugvordering_totaal
	Contributed         Money     // bijgedragen_terugvordering
	Received30k         Money     // ontvangen_deel_30k
	IntegralAssessment  Money     // integrale_beoordeling; unknown = not assessed
	Hardship            Answer    // schrijnend
}
