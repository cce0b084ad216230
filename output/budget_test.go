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

// rowsWith returns the rows of a sheet whose first cell starts with prefix.
func rowsWith(t *testing.T, f *excelize.File, sheet, prefix string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, r := range rows {
		if len(r) > 0 && strings.HasPrefix(r[0], prefix) {
			out = append(out, r)
		}
	}
	return out
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
					if !slices.Equal(r, want) {
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
