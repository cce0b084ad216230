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

// Date is a calendar date, compact and without pointers (a million-row
// extract holds four per row): days since 31 December 1899; the zero Date
// is unknown (empty in the extract). Extract dates lie in 1900-2100.
type Date int32

// unixDay0 is the Unix day of 31 December 1899 (Date 0).
const unixDay0 = -25568

// DateOf returns the date of t (UTC); the zero time gives the zero Date.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return 0
	}
	return Date(t.Unix()/86400 - unixDay0)
}

// Time returns the date as UTC midnight; the zero Date gives the zero time.
func (d Date) Time() time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Unix((int64(d)+unixDay0)*86400, 0).UTC()
}

// UnixDay is the date as days since 1 January 1970; the zero Date gives
// the day of the zero time (1 January of year 1), as Time does.
func (d Date) UnixDay() int64 {
	if d == 0 {
		return zeroTimeDay
	}
	return int64(d) + unixDay0
}

// zeroTimeDay is the Unix day of time.Time's zero, 1 January of year 1.
const zeroTimeDay = -719162

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d == 0 }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d < e }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d > e }

// AddDate adds years, months and days as time.Time.AddDate does.
func (d Date) AddDate(years, months, days int) Date {
	return DateOf(d.Time().AddDate(years, months, days))
}

// Format formats the date as time.Time.Format does.
func (d Date) Format(layout string) string { return d.Time().Format(layout) }

// String is the ISO date, or "" when unknown.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return d.Format("2006-01-02")
}

// Record is one row of the population extract: one ex-partner.
// See ../shared/population-schema.md for the contract.
type Record struct {
	Line                int    // line in the file where the row starts (header = 1)
	ID                  string // id: pseudonymous id of the ex-partner, unique
	DossierID           string // dossier_id: pseudonymous id of the applicant's file
	RestoredAsApplicant bool   // herstel_als_aanvrager: funnel step 1
	Affected            Answer // gedupeerd
	ProblemStart        Date   // start_problematiek (a bare year is 1 January)
	EndTogether         Date   // einde_samen; zero = unknown
	FirstPayment        Date   // eerste_betaling_aanvrager; zero = none yet
	ReportDate          Date   // melddatum; zero = did not report
	Recovery            Money  // terugvordering_totaal
	Contributed         Money  // bijgedragen_terugvordering
	Received30k         Money  // ontvangen_deel_30k
	IntegralAssessment  Money  // integrale_beoordeling; unknown = not assessed
	Hardship            Answer // schrijnend
}
