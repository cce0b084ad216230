package raming

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/scenario"
)

func date(s string) input.Date {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return input.DateOf(t)
}

// archetype is an affected ex-partner whose problems began on 1 January 2014.
func archetype(id, end string) input.Record {
	r := input.Record{ID: id, DossierID: "D-" + id, Affected: input.Yes, ProblemStart: date("2014-01-01")}
	if end != "" {
		r.EndTogether = date(end)
	}
	return r
}

func eur(cents int64) input.Money { return input.Money{Cents: cents * 100, Known: true} }

// TestBRecord pins variant B per record under every option value. The
// archetypes are the deck's (page "Wat betekent dit in de praktijk"):
// problems began in 2014; 0, 2 or 4 of the 6 years to 2020 together.
func TestBRecord(t *testing.T) {
	base := []string{"b.peildatum=2020-01-01", "b.threshold=none"}
	withRec := func(r input.Record, f func(*input.Record)) input.Record { f(&r); return r }
	tests := []struct {
		name              string
		set               []string
		rec               input.Record
		access            string
		amount, applicant string
	}{
		{"archetype 0 of 6 years: EUR 0", base, archetype("a0", "2014-01-01"), "ja", "0", "0"},
		{"archetype 2 of 6 years: EUR 10,000", base, archetype("a2", "2016-01-01"), "ja", "10000", "0"},
		{"archetype 4 of 6 years: EUR 20,000", base, archetype("a4", "2018-01-01"), "ja", "20000", "0"},
		{"hard threshold: 0 years, no access", []string{"b.peildatum=2020-01-01", "b.threshold=hard"}, archetype("h0", "2014-06-01"), "nee", "0", "0"},
		{"hard threshold: 2 years", []string{"b.peildatum=2020-01-01", "b.threshold=hard"}, archetype("h2", "2016-01-01"), "ja", "10000", "0"},
		{"hard threshold: end unknown, expected", []string{"b.peildatum=2020-01-01", "b.threshold=hard"}, archetype("hu", ""), "verwacht", "15000", "0"},
		{"soft threshold: contributed EUR 800", []string{"b.peildatum=2020-01-01", "b.threshold=soft"},
			withRec(archetype("s8", "2014-07-02"), func(r *input.Record) { r.Contributed = eur(800) }), "ja", "2493.15", "0"}, // 182/365 of a year
		{"soft threshold: contributed EUR 500 only", []string{"b.peildatum=2020-01-01", "b.threshold=soft"},
			withRec(archetype("s5", "2014-07-02"), func(r *input.Record) { r.Contributed = eur(500) }), "nee", "0", "0"},
		{"soft threshold with minimum of one year", []string{"b.peildatum=2020-01-01", "b.threshold=soft", "b.minimum_one_year=true"},
			withRec(archetype("sm", "2014-07-02"), func(r *input.Record) { r.Contributed = eur(800) }), "ja", "5000", "0"},
		{"fixed 30%", append(base, "b.percentage=fixed"), archetype("f", "2016-01-01"), "ja", "9000", "0"},
		{"per year 10%", append(base, "b.percentage=per-year"), archetype("p", "2016-01-01"), "ja", "6000", "0"},
		{"base 15k", append(base, "b.base=15000"), archetype("b15", "2016-01-01"), "ja", "5000", "0"},
		{"base recovery, no cap", append(base, "b.base=terugvordering", "b.percentage=fixed", "b.percentage_fixed=1"),
			withRec(archetype("bt", "2016-01-01"), func(r *input.Record) { r.Recovery = eur(50000) }), "ja", "50000", "0"},
		{"base recovery unknown", append(base, "b.base=terugvordering"), archetype("btu", "2016-01-01"), "nee", "0", "0"},
		{"cap at 30k", append(base, "b.percentage=fixed", "b.percentage_fixed=1", "b.base=30000"), archetype("cap", "2016-01-01"), "ja", "30000", "0"},
		{"still together at the peildatum", base, archetype("st", "2021-01-01"), "nee", "0", "0"},
		{"peildatum first payment", []string{"b.peildatum=eerste-betaling", "b.threshold=none"},
			withRec(archetype("fp", "2016-01-01"), func(r *input.Record) { r.FirstPayment = date("2018-01-01") }), "ja", "15000", "0"},
		{"peildatum report date when never paid", []string{"b.peildatum=eerste-betaling", "b.threshold=none"},
			withRec(archetype("rd", "2016-01-01"), func(r *input.Record) { r.ReportDate = date("2022-01-01") }), "ja", "7500", "0"},
		// No first payment and no report date: the payment is pending, and the
		// record takes the scenario's b.pending_peildatum (2023-12-31):
		// 2 of 9 + 364/365 years × 30k = 6,001.64.
		{"pending payment: the scenario's peildatum", []string{"b.peildatum=eerste-betaling", "b.threshold=none"}, archetype("np", "2016-01-01"), "ja", "6001.64", "0"},
		// Left before the problems began (2013): 0 years together, the
		// deck's archetype "was (snel) weg"; peildatum 2020-01-01 is 6 years.
		{"left before the start, no threshold", base, archetype("w0", "2013-06-01"), "ja", "0", "0"},
		{"left before the start, no threshold, minimum year", append(base, "b.minimum_one_year=true"), archetype("w1", "2013-06-01"), "ja", "5000", "0"},
		{"left before the start, hard threshold", []string{"b.peildatum=2020-01-01", "b.threshold=hard"}, archetype("wh", "2013-06-01"), "nee", "0", "0"},
		{"left before the start, soft threshold, contributed EUR 800", []string{"b.peildatum=2020-01-01", "b.threshold=soft"},
			withRec(archetype("ws8", "2013-06-01"), func(r *input.Record) { r.Contributed = eur(800) }), "ja", "0", "0"},
		{"left before the start, soft threshold, contributed EUR 800, minimum year", []string{"b.peildatum=2020-01-01", "b.threshold=soft", "b.minimum_one_year=true"},
			withRec(archetype("wsm", "2013-06-01"), func(r *input.Record) { r.Contributed = eur(800) }), "ja", "5000", "0"},
		{"left before the start, soft threshold, contributed EUR 500", []string{"b.peildatum=2020-01-01", "b.threshold=soft"},
			withRec(archetype("ws5", "2013-06-01"), func(r *input.Record) { r.Contributed = eur(500) }), "nee", "0", "0"},
		// Half a year together (182/365) counts as one full year for
		// everyone with access, also without a threshold: 1/6 × 30k.
		{"minimum year without a threshold", append(base, "b.minimum_one_year=true"), archetype("mn", "2014-07-02"), "ja", "5000", "0"},
		{"offset none", append(base, "b.offset_30k=none"),
			withRec(archetype("o0", "2016-01-01"), func(r *input.Record) { r.Received30k = eur(5000) }), "ja", "10000", "0"},
		{"offset front", append(base, "b.offset_30k=front"),
			withRec(archetype("of", "2016-01-01"), func(r *input.Record) { r.Received30k = eur(5000) }), "ja", "5000", "5000"},
		{"offset front, received more than the entitlement", append(base, "b.offset_30k=front"),
			withRec(archetype("om", "2016-01-01"), func(r *input.Record) { r.Received30k = eur(15000) }), "ja", "0", "15000"},
		{"offset back", append(base, "b.offset_30k=back"),
			withRec(archetype("ob", "2016-01-01"), func(r *input.Record) { r.Received30k = eur(5000) }), "ja", "10000", "5000"},
		{"deduct 30k only", append(base, "b.deduct_from_applicant=30k"),
			withRec(archetype("d1", "2016-01-01"), func(r *input.Record) { r.IntegralAssessment = eur(50000) }), "ja", "10000", "0"},
		{"deduct 30k plus the lump sum", append(base, "b.deduct_from_applicant=30k-plus-lump-sum"),
			withRec(archetype("d2", "2016-01-01"), func(r *input.Record) { r.IntegralAssessment = eur(50000) }), "ja", "10000", "-10000"},
		{"extra payment: proportional split", append(base, "b.extra_payment=proportional-split"),
			withRec(archetype("xs", "2016-01-01"), func(r *input.Record) { r.IntegralAssessment = eur(45000) }), "ja", "15000", "-5000"},
		{"extra payment: extra", append(base, "b.extra_payment=extra"),
			withRec(archetype("xe", "2016-01-01"), func(r *input.Record) { r.IntegralAssessment = eur(45000) }), "ja", "15000", "0"},
		{"applicant not affected", base, withRec(archetype("na", "2016-01-01"), func(r *input.Record) { r.Affected = input.No }), "nee", "0", "0"},
		{"already restored as applicant", base, withRec(archetype("ra", "2016-01-01"), func(r *input.Record) { r.RestoredAsApplicant = true }), "nee", "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := loadScenario(t, "deck-exact")
			for _, kv := range tt.set {
				k, v, _ := strings.Cut(kv, "=")
				if err := sc.Set(k, v); err != nil {
					t.Fatal(err)
				}
			}
			out, err := evaluateB(sc, sc.B, []input.Record{tt.rec}, true)
			if err != nil {
				t.Fatal(err)
			}
			r := out.Records[0]
			if r.Access != tt.access {
				t.Errorf("access: got %s (%s), want %s", r.Access, r.Reason, tt.access)
			}
			if !r.Amount.Equal(decimal.RequireFromString(tt.amount)) {
				t.Errorf("amount: got %s (years %s of %s, %s), want %s", r.Amount, r.YearsTogether, r.ProblemYears, r.Reason, tt.amount)
			}
			if !r.ApplicantAdjustment.Equal(decimal.RequireFromString(tt.applicant)) {
				t.Errorf("applicant adjustment: got %s, want %s", r.ApplicantAdjustment, tt.applicant)
			}
		})
	}
}

// TestWeightedShareFollowsTheFormula: the deck's example. A lived
// 2014-2018 in a household whose problems began in 2014; B 2017-2019 in one
// whose problems began in 2017; the average file begins in 2014 (6 years to
// the peildatum). P1 gives both 66%; under P2 = years together ÷ average
// years, A gets 4/6 and B 2/6 (the deck's text says "2 x 66%"; its formula
// gives 2/6, which the tool follows).
func TestWeightedShareFollowsTheFormula(t *testing.T) {
	a := archetype("A", "2018-01-01")
	b := archetype("B", "2019-01-01")
	b.ProblemStart = date("2017-01-01")
	sc := loadScenario(t, "deck-exact")
	for _, kv := range []string{"b.peildatum=2020-01-01", "b.threshold=none", "b.average_years=6"} {
		k, v, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	share, _ := evaluateB(sc, sc.B, []input.Record{a, b}, true)
	if err := sc.Set("b.percentage", "weighted-share"); err != nil {
		t.Fatal(err)
	}
	weighted, _ := evaluateB(sc, sc.B, []input.Record{a, b}, true)
	want := []struct{ share, weighted string }{{"20000", "20000"}, {"20000", "10000"}}
	for i := range want {
		if !share.Records[i].Amount.Equal(decimal.RequireFromString(want[i].share)) || !weighted.Records[i].Amount.Equal(decimal.RequireFromString(want[i].weighted)) {
			t.Errorf("%s: share %s, weighted %s; want %s and %s", share.Records[i].ID, share.Records[i].Amount, weighted.Records[i].Amount, want[i].share, want[i].weighted)
		}
	}
}

func TestSetRejectsUnknown(t *testing.T) {
	sc := loadScenario(t, "deck")
	for _, kv := range [][2]string{{"b.threshold", "medium"}, {"b.colour", "red"}, {"funnel.affected_share", "much"}} {
		if err := sc.Set(kv[0], kv[1]); err == nil {
			t.Errorf("--set %s=%s: got no error", kv[0], kv[1])
		}
	}
	if err := sc.Set("b.threshold", "soft"); err != nil || sc.B.Options.Threshold != scenario.ThresholdSoft {
		t.Errorf("--set b.threshold=soft: %v", err)
	}
}

// TestShortSpanUnknownEnd: with less than a year from the start of the
// problems to the peildatum, together 1+ year is impossible even when the
// end is unknown: no access under the hard threshold.
func TestShortSpanUnknownEnd(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	for _, kv := range []string{"b.peildatum=2020-12-31", "b.threshold=hard"} {
		k, v, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	r := archetype("late", "")
	r.ProblemStart = date("2020-06-01")
	out, _ := evaluateB(sc, sc.B, []input.Record{r}, true)
	if out.Records[0].Access != "nee" {
		t.Errorf("got access %s (%s), want nee", out.Records[0].Access, out.Records[0].Reason)
	}
}

// oneRecordB returns variant B's case on a population of one record under
// the deck-exact scenario with the given --set changes.
func oneRecordB(t *testing.T, r input.Record, set ...string) Case {
	t.Helper()
	sc := loadScenario(t, "deck-exact")
	for _, kv := range set {
		k, v, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Estimate(sc, &input.Population{Source: "test", Records: []input.Record{r}, RowsRead: 1})
	if err != nil {
		t.Fatal(err)
	}
	return res.Variant("B").Cases[0]
}

// TestFrontOffsetCWSDeductsTheWholeCompensation: the CWS pays its damage
// minus the ex-partner's whole compensation ("minus de eerdere
// tegemoetkoming"). With the front offset, EUR 5,000 of the EUR 10,000
// entitlement came from the applicant and 5,000 from the scheme: the CWS
// deducts 10,000 either way, so 20% × (35,000 − 10,000) = 5,000, as
// without an offset.
func TestFrontOffsetCWSDeductsTheWholeCompensation(t *testing.T) {
	r := archetype("of", "2016-01-01")
	r.Received30k = eur(5000)
	base := []string{"b.peildatum=2020-01-01", "b.threshold=none"}
	front := oneRecordB(t, r, append(base, "b.offset_30k=front")...)
	none := oneRecordB(t, r, append(base, "b.offset_30k=none")...)
	for _, c := range []Case{front, none} {
		if !c.CWS.Value.Equal(decimal.NewFromInt(5000)) {
			t.Errorf("CWS %s, want 5,000 = 20%% × (35,000 − 10,000)", c.CWS.Value)
		}
	}
}

// TestFrontOffsetCWSDeductsAllThatWasReceived: under the front offset an
// ex-partner who already received more of the applicant's 30k than the
// entitlement gets nothing and nothing is reclaimed, so keeps all of it.
// By hand: 2 of 6 years × 30k = 10,000 entitlement; received 15,000; paid
// 0, the applicant gets the 15,000 back; the CWS deducts the 15,000 the
// ex-partner holds: 20% × (35,000 − 15,000) = 4,000 (not 20% × (35,000 −
// 10,000) = 5,000, which deducted only the entitlement).
func TestFrontOffsetCWSDeductsAllThatWasReceived(t *testing.T) {
	r := archetype("om", "2016-01-01")
	r.Received30k = eur(15000)
	c := oneRecordB(t, r, "b.peildatum=2020-01-01", "b.threshold=none", "b.offset_30k=front")
	want := map[string]string{"scheme (paid 0 + applicant 15,000)": "15000", "CWS": "4000"}
	got := map[string]string{"scheme (paid 0 + applicant 15,000)": c.Scheme.Value.String(), "CWS": c.CWS.Value.String()}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %s, want %s", k, got[k], w)
		}
	}
}

// TestRefusedHelpersHandRecords: those who left early (before, or less
// than a year after, the problems began) but demonstrably helped pay
// (contributed at least funnel.helped_pay_minimum, EUR 750) and whom a
// variant's access rule refuses may still turn to the CWS (the archetype
// "Was (snel) weg, maar hielp wel mee": "0% * €30k = €0, maar maatwerk
// via CWS"): refused_cws_share 20% × refused_cws_damage EUR 10,000 =
// EUR 2,000 a person and 0.2 CWS files. Who left early without a
// contribution, or with an empty one, gets "Geen herstel": nothing. Each
// record is the whole extract; the problems began on 1 January 2014;
// growth is 0 in both scenarios.
func TestRefusedHelpersHandRecords(t *testing.T) {
	early := func(contributed input.Money, end string) input.Record {
		r := archetype("e", end)
		r.Contributed, r.Hardship = contributed, input.No
		return r
	}
	helper := early(eur(800), "2014-07-02")     // half a year together, paid EUR 800
	nonHelper := early(eur(500), "2014-07-02")  // paid less than EUR 750
	empty := early(input.Money{}, "2014-07-02") // bijdrage_terugvordering empty: not demonstrated
	unknownEnd := early(eur(800), "")           // end unknown: left early with 1 − 50% = 50%
	before := early(eur(800), "2013-06-01")     // left before the problems began
	tests := []struct {
		name, scenario string
		rec            input.Record
		set            []string
		caseID         string
		cws, files     string
	}{
		// A: the year rule refuses whoever left early: 2,000 and 0.2 files.
		{"A, helper", "deck-exact", helper, nil, "A-15k", "2000", "0.2"},
		{"A, left before the start, helper", "deck-exact", before, nil, "A-30k", "2000", "0.2"},
		{"A, contributed EUR 500", "deck-exact", nonHelper, nil, "A-15k", "0", "0"},
		{"A, empty contribution", "deck-exact", empty, nil, "A-15k", "0", "0"},
		// End unknown: damage 1 × 50% = 0.5, who get 15k and appeal at
		// 20% × (35k − 15k) = 0.5 × 4,000 = 2,000 (0.1 files); refused
		// 1 × (1 − 50%) = 0.5 × 2,000 = 1,000 (0.1 files): 3,000, 0.2.
		{"A, end unknown, helper", "deck-exact", unknownEnd, nil, "A-15k", "3000", "0.2"},
		// W, the adopted scheme, has A's year rule and the law's route (a),
		// own children, which admits W.own_children_share 90% of those
		// together less than a year: of the helper 0.9 gets the 10k and
		// appeals at 20% × (35k − 10k) = 0.9 × 5,000 = 4,500 (0.18 files);
		// the other 0.1 is refused: 0.1 × 2,000 = 200 (0.02 files).
		{"W, helper", "wet-2023", helper, nil, "W-10k", "4700", "0.2"},
		{"W, empty contribution", "wet-2023", empty, nil, "W-10k", "4500", "0.18"},
		{"W without route (a), helper", "wet-2023", helper, []string{"W.own_children_share=0"}, "W-10k", "2000", "0.2"},
		{"W without route (a), empty contribution", "wet-2023", empty, []string{"W.own_children_share=0"}, "W-10k", "0", "0"},
		// B under the hard threshold refuses the helper: 2,000.
		{"B hard, helper", "deck-exact", helper, []string{"b.peildatum=2020-01-01", "b.threshold=hard"}, "B-opties", "2000", "0.2"},
		{"B hard, contributed EUR 500", "deck-exact", nonHelper, []string{"b.peildatum=2020-01-01", "b.threshold=hard"}, "B-opties", "0", "0"},
		// Under the soft threshold the contribution admits the helper:
		// 182/365 of 6 years × 30k = 2,493.15; the CWS pays 20% of
		// (35,000 − 2,493.15) = 6,501.37; no request from the refused.
		{"B soft, helper admitted", "deck-exact", helper, []string{"b.peildatum=2020-01-01", "b.threshold=soft"}, "B-opties", "6501.37", "0.2"},
		// The soft threshold refuses one who paid EUR 500: not a helper either.
		{"B soft, contributed EUR 500", "deck-exact", nonHelper, []string{"b.peildatum=2020-01-01", "b.threshold=soft"}, "B-opties", "0", "0"},
		// No threshold admits everyone: 0 years, EUR 0, the CWS pays 20% × 35,000.
		{"B none, helper admitted", "deck-exact", before, []string{"b.peildatum=2020-01-01", "b.threshold=none"}, "B-opties", "7000", "0.2"},
		// C refuses who is not schrijnend: 2,000 under either threshold.
		{"C-10%, helper not schrijnend", "deck-exact", helper, nil, "C-10%", "2000", "0.2"},
		{"C-30%, helper not schrijnend", "deck-exact", helper, nil, "C-30%", "2000", "0.2"},
		{"C-30%, empty contribution", "deck-exact", empty, nil, "C-30%", "0", "0"},
		// D tailors for everyone affected: no access rule refuses anyone.
		{"D, helper", "deck-exact", helper, nil, "D", "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := loadScenario(t, tt.scenario)
			for _, kv := range tt.set {
				k, v, _ := strings.Cut(kv, "=")
				if err := sc.Set(k, v); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Estimate(sc, &input.Population{Source: "test", Records: []input.Record{tt.rec}, RowsRead: 1})
			if err != nil {
				t.Fatal(err)
			}
			c := res.Case(tt.caseID)
			if got := c.CWS.Value.Round(2).String(); got != tt.cws {
				t.Errorf("CWS: got %s, want %s", got, tt.cws)
			}
			if got := c.CWSPopulation.Value.Round(6).String(); got != tt.files {
				t.Errorf("CWS files: got %s, want %s", got, tt.files)
			}
		})
	}
}

// TestUHTStepOnlyForTheSoftThresholdsShortStays: the UHT's intermediate
// step is for those the soft threshold admits with less than a year
// together (the deck's mitigation page). Someone together two years gets
// EUR 10,000 and the CWS pays 20% × 25,000 = 5,000 on either route;
// someone together half a year with a contribution gets 2,493.15 and, with
// the step, UHT settles half (b.uht_step_share) of 20% × 32,506.85.
func TestUHTStepOnlyForTheSoftThresholdsShortStays(t *testing.T) {
	set := []string{"b.peildatum=2020-01-01", "b.threshold=soft"}
	long := archetype("l", "2016-01-01")
	for _, route := range []string{"direct", "uht-step"} {
		if c := oneRecordB(t, long, append(set, "b.cws_route="+route)...); !c.CWS.Value.Equal(decimal.NewFromInt(5000)) {
			t.Errorf("%s: CWS %s for two years together, want 5,000 on either route", route, c.CWS.Value)
		}
	}
	short := archetype("s", "2014-07-02")
	short.Contributed = eur(800)
	direct := oneRecordB(t, short, append(set, "b.cws_route=direct")...)
	step := oneRecordB(t, short, append(set, "b.cws_route=uht-step")...)
	want := decimal.RequireFromString("0.2").Mul(decimal.RequireFromString("32506.85"))
	if !direct.CWS.Value.Equal(want) || !step.CWS.Value.Equal(want.Div(decimal.NewFromInt(2))) {
		t.Errorf("CWS direct %s, with the step %s; want %s and half of it", direct.CWS.Value, step.CWS.Value, want)
	}
}

// TestSumsThatOverflowAreRefused: the contract allows amounts up to just
// under EUR 10^13 a record, so 9,224 records at the largest amount, all
// paid in full, add up to more cents than an int64 holds. The run and the
// sweep refuse that with a message, instead of crashing on a negative sum
// (the run) or reporting a negative cost (the sweep); one record fewer
// fits, and is computed.
func TestSumsThatOverflowAreRefused(t *testing.T) {
	largest := input.Money{Cents: 999_999_999_999_999, Known: true} // EUR 9,999,999,999,999.99
	extract := func(n int) *input.Population {
		recs := make([]input.Record, n)
		for i := range recs {
			recs[i] = archetype(fmt.Sprint("X", i), "2018-06-30")
			recs[i].FirstPayment, recs[i].Recovery = date("2019-05-01"), largest
		}
		return &input.Population{Source: "test", Records: recs, RowsRead: n}
	}
	sc := loadScenario(t, "deck")
	for _, kv := range []string{"b.base=terugvordering", "b.percentage=fixed", "b.percentage_fixed=1"} {
		k, v, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Estimate(sc, extract(9224)); !errors.Is(err, errSumOverflow) {
		t.Errorf("estimate of 9,224 records: error %v, want %v", err, errSumOverflow)
	}
	if _, err := Sweep(sc, extract(9224), 2); !errors.Is(err, errSumOverflow) {
		t.Errorf("sweep of 9,224 records: error %v, want %v", err, errSumOverflow)
	}
	res, err := Estimate(sc, extract(9223))
	if err != nil {
		t.Fatalf("estimate of 9,223 records: %v", err)
	}
	want := decimal.New(9223*999_999_999_999_999, -2)
	if got := res.Variant("B").Cases[0].Scheme.Value; !got.Equal(want) {
		t.Errorf("9,223 records: scheme %s, want %s", got, want)
	}
}

// TestBShortfallNeverNegative: the CWS's shortfall against B's amounts is
// never negative, in the simulation and in the sweep's bands, even where
// the drawn damage falls below every amount (50 identical records with an
// amount above the damage's lower draws).
func TestBShortfallNeverNegative(t *testing.T) {
	recs := make([]input.Record, 50)
	for i := range recs {
		recs[i] = archetype(fmt.Sprint("R", i), "2018-01-01")
		recs[i].FirstPayment, recs[i].ReportDate = date("2021-06-01"), date("2022-06-01")
		recs[i].Recovery, recs[i].Contributed, recs[i].IntegralAssessment = eur(20000), eur(1000), eur(50000)
	}
	pop := &input.Population{Source: "test", Records: recs, RowsRead: len(recs)}
	sc := loadScenario(t, "deck")
	if err := sc.Set("B.cws_average_damage", "18000"); err != nil {
		t.Fatal(err)
	}
	res, err := Simulate(sc, pop, MC{Seed: 1, Iterations: 2000, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	b := res.MonteCarlo.Case(res.Variant("B").CentralCase)
	if p := b.CWSStats.Percentiles[0]; p.Value < 0 {
		t.Errorf("B's CWS cost: P%g = %.2f, want ≥ 0", p.P, p.Value)
	}
	if point := res.Variant("B").Cases[0].CWS.Value; point.Sign() <= 0 {
		t.Fatalf("the point CWS cost is %s: the test needs a shortfall at the point damage", point)
	}
	rows, err := Sweep(sc, pop, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := SweepBands(sc, rows, MC{Seed: 1, Iterations: 200, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if r.P5 < 0 {
			t.Fatalf("sweep row %d (threshold %s, deduction %s): total P5 %.2f, want ≥ 0", i, r.Options.Threshold, r.Options.DeductFromApplicant, r.P5)
		}
	}
}

// TestBlankingEndDatesKeepsRefusedHelpers: an unknown end of living
// together counts as leaving early with its expected share (1 −
// together_share), so blanking end dates at random does not make the
// refused helpers fewer (it did: an unknown end never counted as refused).
// The generator draws the end as early with 50%, together_share's value,
// and the contribution apart from it, so the expected count is the same
// with and without the blanks; the difference must lie within four
// standard errors of the blanked rows' sampling noise (each helper row
// blanked swaps a 0 or 1 for 0.5: a variance of 0.25 a row).
func TestBlankingEndDatesKeepsRefusedHelpers(t *testing.T) {
	sc := loadScenario(t, "deck-exact")
	pop := generated(t, 20000, 7)
	count := func(p *input.Population) float64 {
		res, err := Estimate(sc, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range res.Quantities {
			if q.ID == QuantityRefusedHelped {
				return q.Value().InexactFloat64()
			}
		}
		t.Fatal("no quantity " + QuantityRefusedHelped)
		return 0
	}
	before := count(pop)
	blanked := *pop
	blanked.Records = slices.Clone(pop.Records)
	rnd := rand.New(rand.NewPCG(7, 1))
	min := sc.Funnel.HelpedPayMinimum.Value.Mul(decimal.NewFromInt(100)).IntPart()
	var helpersBlanked int
	for i := range blanked.Records {
		r := &blanked.Records[i]
		if r.EndTogether.IsZero() || rnd.Float64() >= 0.5 {
			continue
		}
		if r.Contributed.Known && r.Contributed.Cents >= min && !r.RestoredAsApplicant && r.Affected != input.No {
			helpersBlanked++
		}
		r.EndTogether = 0
	}
	after := count(&blanked)
	tolerance := 4 * 0.5 * math.Sqrt(float64(helpersBlanked))
	t.Logf("refused helpers %.1f, with %d helpers' end dates blanked %.1f (tolerance %.1f)", before, helpersBlanked, after, tolerance)
	if helpersBlanked < 1000 {
		t.Fatalf("only %d helpers blanked: the test needs more rows", helpersBlanked)
	}
	if math.Abs(after-before) > tolerance {
		t.Errorf("blanking end dates moved the refused helpers from %.1f to %.1f, more than %.1f", before, after, tolerance)
	}
}
