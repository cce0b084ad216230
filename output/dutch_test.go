package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"raming/input"
	"raming/raming"
	"raming/scenario"
)

// TestRejectedReasonsInDutch: every kind of rejected row gets a Dutch
// reason on the sheet, with the value the reader quoted.
func TestRejectedReasonsInDutch(t *testing.T) {
	csv := "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,einde_samen,terugvordering_totaal\n" +
		"X-1,D-1,nee,ja,2014-01-01,2016-01-01,1000\n" +
		"X-2,D-2,nee,misschien,2014-01-01,2016-01-01,1000\n" +
		"X-3,D-3,nee,ja,2014-13-45,2016-01-01,1000\n" +
		"X-4,D-4,nee,ja,2014-01-01,2016-01-01,-5\n" +
		"X-5,D-5,nee,ja,2014-01-01,2016-01-01,12abc\n" +
		"X-1,D-6,nee,ja,2014-01-01,2016-01-01,1000\n" +
		"X-7,D-7,nee,ja,2014-01-01,2016-01-01\n" +
		",D-8,nee,ja,2014-01-01,2016-01-01,1000\n" +
		"X-9,D-9,nee,ja,2099-01-01,2016-01-01,1000\n"
	pop, err := input.Read(strings.NewReader(csv), input.Options{Source: "r.csv"})
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := scenario.Load("deck")
	res, err := raming.Estimate(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Population.Rejected) < 7 {
		t.Fatalf("%d rows rejected, want every kind: %+v", len(res.Population.Rejected), res.Population.Rejected)
	}
	for _, r := range res.Population.Rejected {
		nl := reasonNL(r)
		if r.Kind == raming.RejectOther || nl == "" || english.MatchString(" "+nl+" ") {
			t.Errorf("line %d (%s): kind %d, Dutch %q for %q", r.Line, r.Column, r.Kind, nl, r.Reason)
		}
	}
	if got := reasonNL(res.Population.Rejected[0]); got != `geen geldig antwoord (ja, nee of onbekend; leeg is onbekend): "misschien"` {
		t.Errorf("line 3: %q", got)
	}
}

// TestWarningsInDutch: the warnings a run and the extract's reader give
// read in Dutch on the sheet Herkomst.
func TestWarningsInDutch(t *testing.T) {
	var warnings []string
	sc, _ := scenario.Load("deck")
	if err := sc.Set("funnel.affected_share", "0.7"); err != nil {
		t.Fatal(err)
	}
	res, err := raming.Run(sc, nil, raming.MC{Seed: 1, Iterations: 100, Workers: 1}, 2030)
	if err != nil {
		t.Fatal(err)
	}
	warnings = append(warnings, res.Warnings...)
	csv := "id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,kleur\nX-1,D-1,nee,ja,2014,r\xe9d\n,,,,,\n"
	pop, err := input.Read(strings.NewReader(csv), input.Options{Source: "w.csv", IgnoreUnknownColumns: true})
	if err != nil {
		t.Fatal(err)
	}
	warnings = append(warnings, pop.Warnings...)
	pop, err = input.Read(strings.NewReader(csv), input.Options{Source: "w.csv", IgnoreUnknownColumns: true, Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	warnings = append(warnings, pop.Warnings...)
	warnings = append(warnings, "--iterations auto stopped at its maximum of 1000000 iterations before the P95 of every case was stable to 0.5%: the percentiles are less precise than auto aims for")
	if len(warnings) < 7 {
		t.Fatalf("%d warnings, want the rounding's, few iterations, the opening year, ignored columns, encoding, empty rows: %q", len(warnings), warnings)
	}
	for _, w := range warnings {
		nl := warningNL(w)
		if strings.HasPrefix(nl, "(tekst uit het log") || english.MatchString(" "+nl+" ") {
			t.Errorf("%q: Dutch %q", w, nl)
		}
	}
}

// TestJSONWarningsInDutch: the JSON summary carries the run's and the
// extract's warnings in Dutch beside the English ones, one for one (the
// page of raming serve shows them).
func TestJSONWarningsInDutch(t *testing.T) {
	sc, _ := scenario.Load("deck")
	res, err := raming.Run(sc, nil, raming.MC{}, 2030)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, res, fixedProvenance, Options{}); err != nil {
		t.Fatal(err)
	}
	var s jsonSummary
	if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) == 0 || len(s.WarningsNL) != len(s.Warnings) {
		t.Fatalf("warnings %q, in Dutch %q: want one Dutch for each", s.Warnings, s.WarningsNL)
	}
	for i, w := range s.WarningsNL {
		if w != warningNL(s.Warnings[i]) || !strings.Contains(w, "ligt vóór") {
			t.Errorf("warning %q in Dutch: %q", s.Warnings[i], w)
		}
	}
}
