package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/input"
	"raming/raming"
	"raming/scenario"
)

// smallExtract is the deck scenario on a generated extract of the given rows.
func smallExtract(t *testing.T, rows int, seed uint64) *raming.Result {
	t.Helper()
	return deckOn(t, generatedPopulation(t, rows, seed))
}

// generatedPopulation is a generated extract of the given rows, read.
func generatedPopulation(t *testing.T, rows int, seed uint64) *input.Population {
	t.Helper()
	var buf bytes.Buffer
	if err := input.Generate(&buf, input.GenerateOptions{Rows: rows, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	pop, err := input.Read(&buf, input.Options{Source: "klein.csv"})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

// deckOn is the estimate of the deck scenario, with sets, on pop.
func deckOn(t *testing.T, pop *input.Population, sets ...string) *raming.Result {
	t.Helper()
	sc, err := scenario.Load("deck")
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.SetAll(sets); err != nil {
		t.Fatal(err)
	}
	res, err := raming.Estimate(sc, pop)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// openWorkbook writes a result's workbook and opens it.
func openWorkbook(t *testing.T, res *raming.Result, prov Provenance) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, res, prov, Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// assumption is an assumption's value in a result's scenario.
func assumption(t *testing.T, res *raming.Result, id string) decimal.Decimal {
	t.Helper()
	for _, e := range res.Scenario.Entries() {
		if e.ID == id {
			return e.Value
		}
	}
	t.Fatalf("no assumption %s", id)
	return decimal.Zero
}

// shownCount is a count as shown, and whether it is shown as a number.
func shownCount(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// TestSmallCellsCannotBeDerived is a property test of complementary
// suppression: on many small extracts, no count suppressed in the JSON or
// on the sheet Populatie can be recomputed from what is shown by the
// arithmetic the funnel obeys:
//
//   - a step's rows known + assumed = the rows the step counts (taken as
//     known: the funnel's figures give it), so never one of the two alone
//     is suppressed;
//   - base and remaining count every row used as known (= rows_used);
//   - affected = (known yes + unknown × affected_share) × (1 + growth): with
//     the unknown rows (assumed) shown, the known yeses follow, and they
//     must then not be a small count; likewise from damage's known +
//     assumed (= known yes + unknown of affected). With no unknown rows
//     the known yeses are the funnel's figure for affected itself, which
//     is shown by design.
func TestSmallCellsCannotBeDerived(t *testing.T) {
	const limit = 10
	suppressions := 0
	for seed := uint64(1); seed <= 40; seed++ {
		rows := 3 + int(seed*7)%60
		res := smallExtract(t, rows, seed)
		s := newSummary(res, fixedProvenance, Options{})
		f := openWorkbook(t, res, fixedProvenance)
		share, growth := assumption(t, res, "funnel.affected_share"), assumption(t, res, "funnel.report_growth")
		sheetRows, err := f.GetRows(sheetFunnel)
		if err != nil {
			t.Fatal(err)
		}
		for _, view := range []struct {
			name  string
			steps map[string][2]string
		}{{"json", jsonSteps(s)}, {"workbook", sheetSteps(sheetRows)}} {
			where := fmt.Sprintf("%d rows, seed %d, %s", rows, seed, view.name)
			steps := view.steps
			if len(steps) != 4 {
				t.Fatalf("%s: %d funnel steps with rows known and assumed, want 4", where, len(steps))
			}
			for id, ka := range steps {
				_, knownShown := shownCount(ka[0])
				_, assumedShown := shownCount(ka[1])
				if knownShown != assumedShown {
					t.Errorf("%s: %s shows known %q, assumed %q: their sum gives the suppressed one", where, id, ka[0], ka[1])
				}
				if !knownShown {
					suppressions++
				}
			}
			for _, id := range []string{"funnel.base", "funnel.remaining"} {
				if steps[id][0] != strconv.Itoa(res.Population.RowsUsed) {
					t.Errorf("%s: %s known %q, want the rows used %d", where, id, steps[id][0], res.Population.RowsUsed)
				}
			}
			unknown, ok := shownCount(steps["funnel.affected"][1])
			if !ok || unknown == 0 {
				continue // with no unknown rows the known yeses are the funnel's total itself
			}
			count := res.Population.Funnel[2].Exact.Value.Div(growth.Add(decimal.NewFromInt(1)))
			yes := count.Sub(decimal.NewFromInt(int64(unknown)).Mul(share))
			if yes.IsPositive() && yes.LessThan(decimal.NewFromInt(limit)) {
				t.Errorf("%s: affected %s with %d unknown rows shown gives %s known yeses", where, count, unknown, yes)
			}
			dk, ok1 := shownCount(steps["funnel.damage"][0])
			da, ok2 := shownCount(steps["funnel.damage"][1])
			if yes := dk + da - unknown; ok1 && ok2 && isSmall(yes, limit) {
				t.Errorf("%s: damage's rows known + assumed − affected's unknown gives %d known yeses", where, yes)
			}
		}
	}
	if suppressions == 0 {
		t.Fatal("no extract had a suppressed count: the test checks nothing")
	}
}

// jsonSteps are the funnel steps' rows known and assumed in the summary.
func jsonSteps(s jsonSummary) map[string][2]string {
	out := map[string][2]string{}
	for _, f := range s.Population.Funnel {
		out[f.Step] = [2]string{f.Known, f.Assumed}
	}
	return out
}

// sheetSteps are the funnel steps' rows known and assumed (columns G and H)
// on the sheet Populatie.
func sheetSteps(rows [][]string) map[string][2]string {
	out := map[string][2]string{}
	for _, r := range rows {
		if len(r) >= 8 && strings.HasPrefix(r[0], "funnel.") {
			out[r[0]] = [2]string{r[6], r[7]}
		}
	}
	return out
}

// number finds the numbers in a text as the workbook writes them (Dutch:
// 1.000,5) with what stands right before and after.
var number = regexp.MustCompile(`(€ |[(,*+\-/&"]?)(\d[\d.]*(?:,\d+)?)(%|\)|\*\(|[^\d]?)`)

// TestTextsShowNoSmallCount reads the arithmetic of the sheet Populatie
// (column C, and column D's formulas) and of the variant sheets (the
// figures' formulas and the rows under "Berekening") on many small
// extracts: none shows a whole number below the small-cell limit other
// than the 1 of "1 + growth" and of a certain answer ("1 × ("), so no
// count of fewer than 10 people and no amount of one person's. The hidden
// arithmetic says so in words. Texts that are formulas are checked in both
// their cached value and their formula, which is what a recalculation shows.
func TestTextsShowNoSmallCount(t *testing.T) {
	const limit = 10
	hidden := 0
	for seed := uint64(1); seed <= 12; seed++ {
		rows := 3 + int(seed*11)%50
		res := smallExtract(t, rows, seed)
		f := openWorkbook(t, res, fixedProvenance)
		figures := shownFigures(res)
		check := func(sheet string, col, row int) {
			cell := cellName(col, row)
			v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			fo, _ := f.GetCellFormula(sheet, cell)
			if strings.Contains(v, "niet getoond") {
				hidden++
			}
			for _, s := range []string{v, fo} {
				if bad := smallNumber(s, limit, figures); bad != "" {
					t.Errorf("%d rows, seed %d: %s!%s shows %s: %q (formula %q)", rows, seed, sheet, cell, bad, v, fo)
				}
			}
		}
		funnel, _ := f.GetRows(sheetFunnel)
		for r := 5; r <= len(funnel); r++ {
			check(sheetFunnel, 3, r)
			check(sheetFunnel, 4, r)
		}
		for _, v := range res.Variants {
			sheet := variantSheet(v.Header)
			for col := 2; col <= 1+len(v.Cases); col++ {
				for _, r := range []int{5, 6, 7, 9, 12, 13, 14} { // the figures; the rows under "Berekening"
					check(sheet, col, r)
				}
			}
		}
	}
	if hidden == 0 {
		t.Fatal("no extract hid any arithmetic: the test checks nothing")
	}
}

// shownFigures are the whole figures a workbook shows as figures: the
// quantities (the funnel's totals and the like) and each case's population
// and CWS files. A text may repeat them.
func shownFigures(res *raming.Result) map[int]bool {
	out := map[int]bool{}
	add := func(d decimal.Decimal) {
		if d.IsInteger() {
			out[int(d.IntPart())] = true
		}
	}
	for _, q := range res.Quantities {
		add(q.Value())
		add(q.Exact.Value)
	}
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			add(c.Population.Value)
			add(c.CWSPopulation.Value)
		}
	}
	return out
}

// smallNumber returns the first whole number below limit in s that is not
// a percentage, a decimal, one of the figures shown, or the model's own 1
// (1 + growth, 1 × a sum), or "".
func smallNumber(s string, limit int, figures map[int]bool) string {
	for _, m := range number.FindAllStringSubmatchIndex(s, -1) {
		before, num, after := s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]]
		if after == "%" || strings.ContainsAny(num, ",.") || before == "," {
			continue // a share, a decimal or FIXED's places
		}
		if i := m[4] - 1; before == "" && i >= 0 && (s[i] == '_' || s[i] == '.' || s[i] >= 'A' && s[i] <= 'z') {
			continue // part of a name or a cell reference
		}
		n, _ := strconv.Atoi(num)
		rest := s[m[5]:]
		if n == 0 || n >= limit || figures[n] || n == 1 && (strings.HasPrefix(rest, "+") || strings.HasPrefix(rest, " + ") || strings.HasPrefix(rest, " − ") || strings.HasPrefix(rest, " × (") ||
			strings.HasPrefix(rest, `"&" + "`) || strings.HasPrefix(rest, `"&" − "`) || strings.HasPrefix(rest, `"&" × "&"("`) ||
			strings.HasPrefix(rest, "-aanname") || strings.HasPrefix(rest, "*(")) {
			continue
		}
		return num + " (" + strings.TrimSpace(s[max(0, m[0]-20):min(len(s), m[1]+20)]) + ")"
	}
	return ""
}

// TestHiddenArithmeticOnTheDecksExample: on the 40-row extract of seed 1,
// the arithmetic the issue quoted (counts of 7, 2, 5 and 1, and one
// person's amount of € 15.000) is gone from texts and formulas, said in
// words, while the figures stay.
func TestHiddenArithmeticOnTheDecksExample(t *testing.T) {
	res := smallExtract(t, 40, 1)
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, res, fixedProvenance, Options{}); err != nil {
		t.Fatal(err)
	}
	dump := dumpWorkbook(t, buf.Bytes())
	for _, leak := range []string{"7 + 2 × 50%", `"7"&" + "&"2"`, "(7+2*", "1 × € 35.000 − 15.000", "-15000", "93398.55", "93.398,55"} {
		if strings.Contains(dump, leak) {
			t.Errorf("the workbook shows %q", leak)
		}
	}
	if !strings.Contains(dump, "telling op het extract (aantallen van minder dan 10 personen: niet getoond)") ||
		!strings.Contains(dump, "som over de records van het extract (bedragen van minder dan 10 personen: niet getoond)") {
		t.Error("the workbook does not say in words that arithmetic is not shown")
	}
	if !strings.Contains(dump, `Populatie!D0008 "12.125"`) {
		t.Error("the damage figure itself is no longer shown")
	}
}

// TestRejectedRowsShowTheirID: the JSON, and the sheet Afgewezen rijen as a
// text cell, show each rejected row's id, even one that looks like a formula.
func TestRejectedRowsShowTheirID(t *testing.T) {
	res := smallExtract(t, 20, 1)
	ids := []string{"EXP-9", "=1+1", "X;=3+3;", `Q;=HYPERLINK("http://example.org")`, "@SUM(A1)", "N\n=2+2", ""}
	for i, id := range ids {
		res.Population.Rejected = append(res.Population.Rejected, raming.RejectedRow{Line: i + 2, Column: "gedupeerd", ID: id,
			Reason: (&input.RowError{Line: i + 2, Column: "gedupeerd", Err: input.ErrBadAnswer, ID: id}).Reason()})
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, res, fixedProvenance, Options{}); err != nil {
		t.Fatal(err)
	}
	var s struct {
		Population struct {
			Rejected []struct {
				Line int    `json:"line"`
				ID   string `json:"id"`
			} `json:"rejected"`
		} `json:"population"`
	}
	if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, res, fixedProvenance)
	if head, _ := f.GetCellValue(sheetRejected, "B4"); head != "Id" {
		t.Fatalf("Afgewezen rijen B4 = %q, want the header Id", head)
	}
	for i, id := range ids {
		if got := s.Population.Rejected[i]; got.ID != id || got.Line != i+2 {
			t.Errorf("JSON rejected row %d: %+v, want line %d, id %q", i, got, i+2, id)
		}
		cell := cellName(2, 5+i)
		v, _ := f.GetCellValue(sheetRejected, cell)
		fo, _ := f.GetCellFormula(sheetRejected, cell)
		if typ, _ := f.GetCellType(sheetRejected, cell); v != id || fo != "" || id != "" && typ == excelize.CellTypeFormula {
			t.Errorf("Afgewezen rijen %s: value %q, formula %q, want the text %q", cell, v, fo, id)
		}
	}
}

// TestRejectedRowsBeyondExcelsLimit: more rejected rows than a sheet holds
// (Excel: 1,048,576 rows) still give a workbook; the sheet lists the first
// maxRejectedRows and says how many there are and where the full list is.
func TestRejectedRowsBeyondExcelsLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a workbook with 100,000 rejected rows")
	}
	res := smallExtract(t, 20, 1)
	for _, n := range []int{maxRejectedRows, 1_048_576} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			res.Population.Rejected = make([]raming.RejectedRow, n)
			for i := range res.Population.Rejected {
				res.Population.Rejected[i] = raming.RejectedRow{Line: i + 2, ID: fmt.Sprintf("EXP-%d", i),
					Reason: (&input.RowError{Line: i + 2, Err: input.ErrFieldCount}).Reason()}
			}
			f := openWorkbook(t, res, fixedProvenance)
			rows, err := f.GetRows(sheetRejected)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(rows) - 4; got != min(n, maxRejectedRows) {
				t.Errorf("the sheet lists %d rows, want %d", got, min(n, maxRejectedRows))
			}
			note := rows[1][0]
			full := n > maxRejectedRows
			if says := strings.Contains(note, "eerste 100.000 van de 1.048.576") && strings.Contains(note, "raming validate --population klein.csv --json -"); says != full {
				t.Errorf("note %q: says the list is cut off: %v, want %v", note, says, full)
			}
		})
	}
}

// TestFewKnownDropOutsHideOnlyTheSplit: when only a few rows drop out at a
// funnel step that also counts rows by an assumed share (here 5 ex-partners
// known not to be affected, beside many whose answer is unknown), the few
// follow from the step's rows known and assumed (and from the next step's,
// which add up to the rows it counts), not from its expected count: those
// splits and the step's arithmetic are hidden, and the step and every case
// resting on it are shown. Without assumed rows the count itself would
// give the few away; TestSmallCellsCannotBeDerived covers that.
func TestFewKnownDropOutsHideOnlyTheSplit(t *testing.T) {
	pop := generatedPopulation(t, 2000, 3)
	no, unknown := 0, 0
	for i := range pop.Records {
		switch r := &pop.Records[i]; r.Affected {
		case input.No:
			if no++; no > 5 {
				r.Affected = input.Yes
			}
		case input.Unknown:
			unknown++
		}
	}
	if no < 5 || unknown == 0 {
		t.Fatalf("generated extract has %d known not affected and %d unknown: choose another seed", no, unknown)
	}
	res := deckOn(t, pop)
	var out bytes.Buffer
	if err := WriteJSON(&out, res, Provenance{}, Options{}); err != nil {
		t.Fatal(err)
	}
	var s jsonSummary
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Variants {
		for _, c := range v.Cases {
			if c.Population == complementJSON || strings.HasPrefix(c.Population, "<") {
				t.Errorf("case %s is suppressed (%s): only the funnel's split should be", c.ID, c.Population)
			}
		}
	}
	shown := map[string]string{}
	for _, f := range s.Population.Funnel {
		shown[f.Step] = f.Known + "+" + f.Assumed
	}
	for _, step := range []string{raming.QuantityAffected, raming.QuantityDamage} {
		if shown[step] != complementJSON+"+"+complementJSON {
			t.Errorf("%s: rows known+assumed %s; want both %q (they give the 5 away)", step, shown[step], complementJSON)
		}
	}
	// The workbook: the step's arithmetic is in words, its figure a value.
	f := openWorkbook(t, res, Provenance{})
	rows, err := f.GetRows(sheetFunnel)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if slices.Contains(r, "Gedupeerd") {
			found = true
			line := strings.Join(r, " | ")
			if !strings.Contains(line, "niet getoond") {
				t.Errorf("Populatie row Gedupeerd shows its arithmetic: %s", line)
			}
		}
	}
	if !found {
		t.Errorf("sheet %s has no row Gedupeerd", sheetFunnel)
	}
}

// TestHiddenGroupHidesItsSiblings: when one of B's weight groups rests on
// fewer records than the limit, the others are not shown either, nor the
// groups' shares as arithmetic (which write a group's count), since the
// others, their shares and B's population would give the small one away
// (7 people, found by subtraction, before). B's case itself is shown.
func TestHiddenGroupHidesItsSiblings(t *testing.T) {
	res := deckOn(t, generatedPopulation(t, 500, 7), "b.threshold=soft")
	small := false
	for _, q := range res.Quantities {
		small = small || q.Records > 0 && q.Records < 10
	}
	if !small {
		t.Fatal("no weight group of fewer than 10 records: the test tests nothing (choose another seed)")
	}
	f := openWorkbook(t, res, fixedProvenance)
	rows, err := f.GetRows(sheetFunnel)
	if err != nil {
		t.Fatal(err)
	}
	smallFamily := map[string]bool{} // families with a group of fewer than 10 records
	for _, q := range res.Quantities {
		if q.Records > 0 && q.Records < 10 {
			smallFamily[family(q.ID)] = true
		}
	}
	groups := map[string]bool{} // the groups of those families
	for _, q := range res.Quantities {
		groups[q.ID] = q.Records > 0 && smallFamily[family(q.ID)]
	}
	if !smallFamily["B"] {
		t.Fatal("no weight group of B with fewer than 10 records: the test tests nothing (choose another seed)")
	}
	checked := 0
	for _, r := range rows {
		if len(r) < 4 {
			continue
		}
		switch {
		case groups[r[0]]:
			checked++
			if r[3] != complementNL && !strings.HasPrefix(r[3], "<") {
				t.Errorf("%s shown as %q beside a hidden group", r[0], r[3])
			}
		case strings.HasPrefix(r[0], "B.share."):
			checked++
			if !strings.Contains(r[2], "niet getoond") {
				t.Errorf("%s: arithmetic %q writes a group's count", r[0], r[2])
			}
		}
	}
	if checked == 0 {
		t.Fatal("no row of B's groups on the sheet")
	}
	for _, v := range res.Variants {
		for i := range v.Cases {
			if c := &v.Cases[i]; c.PerRecord != nil && newSmallCells(res, 10).hiddenCase(c) {
				t.Errorf("case %s is hidden: only its groups should be", c.ID)
			}
		}
	}
}

// TestStepAfterAHiddenStepHidesItsSplit: the rows known and assumed of a
// step add up to the rows the step before counts, so after a step hidden
// for its few drop-outs (3 restored as applicant), they are hidden too
// (the next step's 1,997 known gave the 3 away).
func TestStepAfterAHiddenStepHidesItsSplit(t *testing.T) {
	pop := generatedPopulation(t, 2000, 7)
	restored := 0
	for i := range pop.Records {
		r := &pop.Records[i]
		if r.RestoredAsApplicant {
			if restored++; restored > 3 {
				r.RestoredAsApplicant = false
			}
		}
		if r.Affected == input.Unknown {
			r.Affected = input.Yes
		}
	}
	res := deckOn(t, pop)
	var out bytes.Buffer
	if err := WriteJSON(&out, res, fixedProvenance, Options{}); err != nil {
		t.Fatal(err)
	}
	var s jsonSummary
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	funnel := s.Population.Funnel
	for k := 1; k < len(funnel)-1; k++ {
		if funnel[k].Count != complementJSON && !strings.HasPrefix(funnel[k].Count, "<") {
			continue
		}
		next := funnel[k+1]
		if next.Known != complementJSON && !strings.HasPrefix(next.Known, "<") {
			t.Errorf("%s is hidden, but %s shows %s known + %s assumed (their sum is the hidden count)", funnel[k].Step, next.Step, next.Known, next.Assumed)
		}
		return
	}
	t.Fatalf("no funnel step hidden: the test tests nothing: %+v", funnel)
}
