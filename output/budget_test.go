package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"raming/raming"
	"raming/scenario"
)

// writeOpen writes a result's workbook with opts and opens it.
func writeOpen(t *testing.T, res *raming.Result, prov Provenance, opts Options) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, res, prov, opts); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestStandDateIsDutch: a run at 00:30 on 1 July in the Netherlands
// (22:30 UTC on 30 June) is stood on 1 July in every footer, and its
// budget year is the next year; a run at 00:30 on 1 January prepares the
// begroting of the year after.
func TestStandDateIsDutch(t *testing.T) {
	prov := Provenance{ToolVersion: "test", RunTime: time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC)}
	f := writeOpen(t, estimate(t, "deck-exact"), prov, Options{})
	rows, _ := f.GetRows(sheetBudget)
	footers := 0
	for _, r := range rows {
		if len(r) > 0 && strings.Contains(r[0], "Stand:") {
			footers++
			if !strings.Contains(r[0], "Stand: 1 juli 2026.") {
				t.Errorf("footer %q, want the Dutch date: Stand: 1 juli 2026.", r[0])
			}
		}
	}
	if footers == 0 {
		t.Error("no footer with Stand: on the budget sheet")
	}
	for _, tt := range []struct {
		utc  string
		want int
	}{{"2026-06-30T22:30:00Z", 2027}, {"2026-12-31T23:30:00Z", 2028}, {"2026-12-31T22:59:00Z", 2027}} {
		now, _ := time.Parse(time.RFC3339, tt.utc)
		if got := DefaultBudgetYear(now); got != tt.want {
			t.Errorf("%s: budget year %d, want %d", tt.utc, got, tt.want)
		}
	}
}

// TestBudgetTableWindow: for several budget years and scenarios the
// budget table's columns are eerdere jaren, T−2 ... T+5, latere jaren,
// Struc. and Totaal, in millions and in thousands; Totaal is the case's
// total whatever the window, and the JSON has the same columns.
func TestBudgetTableWindow(t *testing.T) {
	for _, name := range []string{"deck", "wet-2023"} {
		res := estimate(t, name)
		for _, year := range []int{2021, 2024, 2027, 2035} {
			f := writeOpen(t, res, fixedProvenance, Options{BudgetYear: year})
			want := []string{"", "eerdere jaren"}
			for y := year - 2; y <= year+5; y++ {
				want = append(want, strconv.Itoa(y))
			}
			want = append(want, "latere jaren", "Struc.", "Totaal")
			rows, _ := f.GetRows(sheetBudget, excelize.Options{RawCellValue: true})
			headers, totals := 0, 0
			for i, r := range rows {
				if len(r) > 1 && r[1] == "eerdere jaren" {
					headers++
					if !slices.Equal(r[1:], want[1:]) {
						t.Errorf("%s, begroting %d, row %d: columns %q, want %q", name, year, i+1, r, want)
					}
				}
				if len(r) == len(want) && r[0] == "Uitgaven" {
					c := res.Case(res.Variants[totals/2].CentralCase) // each variant: millions, then thousands
					got, _ := strconv.ParseFloat(r[len(r)-1], 64)
					sum := 0.0
					for _, x := range r[1 : len(r)-2] {
						v, _ := strconv.ParseFloat(x, 64)
						sum += v
					}
					if tot := c.Total.Value.InexactFloat64(); math.Abs(got-tot) > 0.005 || math.Abs(sum-tot) > 0.01 {
						t.Errorf("%s, begroting %d, %s: Totaal %.2f, columns add up to %.2f, want the case's %.2f", name, year, c.ID, got, sum, tot)
					}
					totals++
				}
			}
			if headers < 2*len(res.Variants) || totals < 2*len(res.Variants) {
				t.Errorf("%s, begroting %d: %d headers and %d Uitgaven rows, want the tables in millions and thousands of every variant", name, year, headers, totals)
			}
			var buf bytes.Buffer
			if err := WriteJSON(&buf, res, fixedProvenance, Options{BudgetYear: year}); err != nil {
				t.Fatal(err)
			}
			var s struct {
				Budget jsonBudget `json:"budget"`
			}
			if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
				t.Fatal(err)
			}
			if s.Budget.BudgetYear != year || len(s.Budget.Columns) != 10 || s.Budget.Columns[0] != "earlier" || s.Budget.Columns[1] != strconv.Itoa(year-2) {
				t.Errorf("%s, begroting %d: JSON budget %d with columns %v", name, year, s.Budget.BudgetYear, s.Budget.Columns)
			}
		}
	}
}

// TestNoNegativeReservation: wet-2023's raming of 2023 lies above its own
// P90 (the opening share's point is the top of its distribution); the
// budget table then shows a reservation of 0, never a negative one, and
// says "raming boven P90: risico op onderuitputting".
func TestNoNegativeReservation(t *testing.T) {
	res := adoptedWithPublished(t)
	f := writeOpen(t, res, fixedProvenance, Options{BudgetYear: 2024})
	rows, _ := f.GetRows(sheetBudget, excelize.Options{RawCellValue: true})
	var header []string
	reservations, flagged := 0, false
	for _, r := range rows {
		if len(r) > 1 && r[1] == "eerdere jaren" {
			header = r
		}
		if len(r) > 0 && strings.HasPrefix(r[0], "Indicatie risicoreservering") {
			reservations++
			for i, x := range r[1:] {
				if v, err := strconv.ParseFloat(x, 64); err == nil && v < 0 {
					t.Errorf("%s in %s: %v, a negative reservation", r[0], header[i+1], v)
				}
			}
		}
		if len(r) > 0 && strings.HasPrefix(r[0], "Raming boven P90") {
			for i, x := range r {
				if x == "ja" && header[i] == "2023" {
					flagged = true
				}
			}
		}
	}
	if reservations == 0 {
		t.Fatal("no row Indicatie risicoreservering")
	}
	if !flagged {
		t.Error("2023 is not marked \"raming boven P90\"")
	}
	text := fmt.Sprint(rows)
	if !strings.Contains(text, "In 2023: raming boven P90: risico op onderuitputting") {
		t.Error("no note \"In 2023: raming boven P90: risico op onderuitputting\"")
	}
}

// withBaseline is deck-exact with the changes now, compared with the
// summary of deck-exact with the changes before, as --baseline does.
func withBaseline(t *testing.T, before, now []string) *raming.Result {
	t.Helper()
	run := func(sets []string) *raming.Result {
		sc, err := scenario.Load("deck-exact")
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.SetAll(sets); err != nil {
			t.Fatal(err)
		}
		res, err := raming.Estimate(sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, run(before), fixedProvenance, Options{}); err != nil {
		t.Fatal(err)
	}
	prev, err := ReadSummary(&buf)
	if err != nil {
		t.Fatal(err)
	}
	prev.File = "vorige.json"
	res := run(now)
	raming.SetBaseline(res, prev, nil)
	return res
}

// formRows returns the suppletoire form's rows of the budget sheet, by
// label, for the first table (variant A), with the header.
func formRows(t *testing.T, f *excelize.File) (header []string, rows map[string][]string) {
	t.Helper()
	all, _ := f.GetRows(sheetBudget, excelize.Options{RawCellValue: true})
	rows = map[string][]string{}
	in := false
	for _, r := range all {
		if len(r) == 0 {
			continue
		}
		if strings.HasPrefix(r[0], "Suppletoire mutatie") {
			if in {
				break
			}
			in = true
			continue
		}
		if !in {
			continue
		}
		if r[0] == "Uitgaven" {
			header = r
			continue
		}
		if _, ok := rows[r[0]]; ok || strings.HasPrefix(r[0], "Staffel") {
			break
		}
		rows[r[0]] = r
	}
	return header, rows
}

// TestMutationForm: with --baseline the budget table gets the suppletoire
// form per year: stand vorige raming (the earlier run's cash), mutatie,
// nieuwe stand (this raming's), and "toelichting vereist" where a
// mutation reaches the staffel's threshold for artikel 13: 10 mln when
// the estimate changes, 20 mln when only cash moves between years.
func TestMutationForm(t *testing.T) {
	for _, tt := range []struct {
		name        string
		before, now []string
		year        int
		threshold   float64
	}{
		// Fewer affected: the estimate changes, the policy threshold applies.
		{"level", nil, []string{"funnel.affected_share=0.40"}, 2024, 10e6},
		// UHT decides far slower: the same total, cash moves to later
		// years (a kasschuif), the technical threshold applies.
		{"kasschuif", nil, []string{"phasing.uht_capacity=800"}, 2024, 20e6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := withBaseline(t, tt.before, tt.now)
			f := writeOpen(t, res, fixedProvenance, Options{BudgetYear: tt.year})
			header, rows := formRows(t, f)
			stand, mut, now, flag := rows["Stand vorige raming"], rows["Mutatie"], rows["Nieuwe stand (deze raming)"], rows["Toelichting vereist (staffel)"]
			if header == nil || stand == nil || mut == nil || now == nil || flag == nil {
				t.Fatalf("no suppletoire form on the budget sheet: %q", rows)
			}
			before := map[int]float64{}
			for _, ch := range res.Baseline.Cases {
				if ch.ID == "A-15k" {
					for _, y := range ch.YearsBefore {
						before[y.Year] = y.Scheme.Add(y.CWS).InexactFloat64()
					}
				}
			}
			for i := 1; i < len(header)-2; i++ {
				x := func(r []string) float64 {
					v, _ := strconv.ParseFloat(r[i], 64)
					return v
				}
				if y, err := strconv.Atoi(header[i]); err == nil && math.Abs(x(stand)-before[y]) > 0.005 {
					t.Errorf("%s: stand %.2f, want the earlier run's %.2f", header[i], x(stand), before[y])
				}
				if math.Abs(x(now)-x(stand)-x(mut)) > 0.01 {
					t.Errorf("%s: nieuwe stand %.2f − stand %.2f ≠ mutatie %.2f", header[i], x(now), x(stand), x(mut))
				}
				want := math.Abs(x(mut)) >= tt.threshold
				if got := i < len(flag) && flag[i] == "ja"; got != want {
					t.Errorf("%s: mutatie %.0f, toelichting vereist %v, want %v", header[i], x(mut), got, want)
				}
			}
			if !slices.Contains(flag, "ja") {
				t.Error("no year flagged: the test checks nothing")
			}
		})
	}
}

// TestPublishedStand: wet-2023 beside the published figures shows the
// suppletoire form of 2023 against the vastgestelde begroting (82.909
// thousand), whose mutation needs an explanation.
func TestPublishedStand(t *testing.T) {
	f := writeOpen(t, adoptedWithPublished(t), fixedProvenance, Options{BudgetYear: 2024})
	header, rows := formRows(t, f)
	i := slices.Index(header, "2023")
	if i < 0 || rows["Stand vorige raming"] == nil {
		t.Fatalf("no form with 2023: %q %q", header, rows)
	}
	if got := rows["Stand vorige raming"][i]; got != "82909000" {
		t.Errorf("stand 2023 %s, want the vastgestelde begroting 82909000", got)
	}
	if got := rows["Toelichting vereist (staffel)"][i]; got != "ja" {
		t.Errorf("2023's mutation of about -74 mln: toelichting vereist %q, want ja", got)
	}
	if j, r := slices.Index(header, "2025"), rows["Stand vorige raming"]; j < len(r) && r[j] != "" {
		t.Errorf("2025 has a stand %q, but nothing was published for it", r[j])
	}
}

// TestJSONBandIsTheWorkbooks: the JSON's budget band (what the page shows
// under its budget table) is the workbook's block Onzekerheid, cell for
// cell, in every variant's budget table, with a risk level of its own.
func TestJSONBandIsTheWorkbooks(t *testing.T) {
	sc, err := scenario.Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	res, err := raming.Simulate(sc, nil, raming.MC{Seed: 3, Iterations: 500, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{BudgetYear: 2024, RiskLevel: 80}
	f := writeOpen(t, res, fixedProvenance, opts)
	rows, err := f.GetRows(sheetBudget, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var sheet [][]string // the band rows, in the order of the tables
	for _, r := range rows {
		if len(r) > 0 && strings.HasPrefix(r[0], "Uitgaven P") {
			sheet = append(sheet, r)
		}
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, res, fixedProvenance, opts); err != nil {
		t.Fatal(err)
	}
	var s jsonSummary
	if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Budget.RiskLevel != 80 {
		t.Errorf("risk_level %v, want 80", s.Budget.RiskLevel)
	}
	var bands [][]jsonBudgetBand
	for _, id := range BudgetedCases(res, opts) {
		for _, c := range s.Budget.Cases {
			if c.ID == id {
				bands = append(bands, c.Band)
			}
		}
	}
	i, compared := 0, 0
	for _, band := range bands {
		for _, b := range band {
			if i >= len(sheet) {
				t.Fatalf("the sheet has %d band rows, the JSON more", len(sheet))
			}
			r := sheet[i]
			i++
			if want := fmt.Sprintf("Uitgaven P%g", b.P); r[0] != want {
				t.Fatalf("band row %q, JSON's P%g", r[0], b.P)
			}
			cells := append(b.Cash, nil, &b.Total) // Struc. is empty in the JSON
			for j, x := range cells {
				got := ""
				if j+1 < len(r) {
					got = r[j+1]
				}
				if x == nil {
					continue
				}
				w, _ := strconv.ParseFloat(*x, 64)
				g, err := strconv.ParseFloat(got, 64)
				if err != nil || math.Abs(g-w) > 0.006 {
					t.Errorf("%s column %d: sheet %q, JSON %s", r[0], j+1, got, *x)
				}
				compared++
			}
		}
	}
	if i != len(sheet) || compared == 0 {
		t.Errorf("compared %d of the sheet's %d band rows (%d cells)", i, len(sheet), compared)
	}
}
