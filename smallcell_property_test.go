package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"raming/input"
)

// TestNoSmallCountCanBeDerived is issue 24's property test: on small
// extracts (1 to 30 rows, flags at random: the tool's generator, and
// extracts with every flag known, whose counts are whole), `run`
// (JSON, workbook, stdout), `sweep` (CSV, workbook) and `compare`
// (JSON, workbook, stdout) on the same extract show no count of fewer
// than 10 people of the extract, and none can be derived from what they
// show (leaks):
//
//   - a count shown below the limit (not 0, not the extract's size,
//     which every output shows);
//   - a case's population below the limit;
//   - an amount that is a whole multiple below the limit of a known
//     amount per person (A's lump sums € 15.000 and € 30.000, B's base
//     amounts € 15.000 and € 30.000);
//   - statistics of the amounts (mean, median, P10, P90) shown where
//     fewer than the limit have access;
//   - two whole counts of the same output that differ by more than 0
//     and less than the limit;
//   - a total beside only some of its parts (total − the shown parts
//     gives the hidden one), or a case hidden in one output shown in
//     another.
//
// Expected counts that are an assumption's share of a count shown (the
// CWS files: population × appeal share) are not counts of people and
// are not checked as counts; populations, access and the funnel's counts
// are, whole or expected.
func TestNoSmallCountCanBeDerived(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the three commands on 12 extracts")
	}
	l := &leaks{t: t, limit: 10, caught: map[string]int{}, shown: map[string]int{}}
	for seed := uint64(1); seed <= 12; seed++ {
		rows := 1 + int(seed*13)%30
		var pop string
		if seed%2 == 0 {
			pop = allKnownExtract(t, rows, seed)
		} else {
			var b bytes.Buffer
			if err := input.Generate(&b, input.GenerateOptions{Rows: rows, Seed: seed}); err != nil {
				t.Fatal(err)
			}
			pop = writeFile(t, fmt.Sprintf("gen%d.csv", seed), b.String())
		}
		l.rowsUsed = float64(rows)
		l.where = fmt.Sprintf("%d rows, seed %d", rows, seed)
		l.run(pop)
		l.sweep(pop)
		l.compare(pop)
	}
	names := make([]string, 0, len(l.caught))
	for k := range l.caught {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t.Logf("%s: %d leaks", k, l.caught[k])
	}
	for _, cmd := range []string{"run", "sweep", "compare"} {
		t.Logf("%s: %d cases or rows shown with their total", cmd, l.shown[cmd])
		if l.shown[cmd] == 0 {
			t.Errorf("%s showed no total on any extract: the test checks nothing", cmd)
		}
	}
}

// allKnownExtract writes rows ex-partners with every flag known, at random
// from seed: whole counts everywhere.
func allKnownExtract(t *testing.T, rows int, seed uint64) string {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 24))
	var b strings.Builder
	b.WriteString("id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,einde_samen,eerste_betaling_aanvrager,melddatum,terugvordering_totaal,bijgedragen_terugvordering,ontvangen_deel_30k,integrale_beoordeling,schrijnend\n")
	yn := func(p float64) string {
		if r.Float64() < p {
			return "ja"
		}
		return "nee"
	}
	for i := range rows {
		end := fmt.Sprintf("%d-%02d-01", 2014+r.IntN(6), 1+r.IntN(12))
		received := "0.00"
		if r.IntN(4) == 0 {
			received = "15000.00"
		}
		fmt.Fprintf(&b, "EXP-%d,DOS-%d,%s,%s,2013-01-01,%s,2022-01-01,2023-01-01,%d.00,,%s,%d.00,%s\n",
			i, i, yn(0.05), yn(0.75), end, 5000+r.IntN(40000), received, 20000+r.IntN(80000), yn(0.1))
	}
	return writeFile(t, fmt.Sprintf("known%d.csv", seed), b.String())
}

// leaks tries the derivations on what the outputs show, and counts what
// it catches by kind.
type leaks struct {
	t        *testing.T
	limit    float64
	rowsUsed float64
	where    string
	caught   map[string]int
	// shown counts the cases and rows shown with their total, by
	// command: the test must see figures to check them.
	shown map[string]int
	// hidden are the cases some output of this extract hides, by
	// command and case id.
	hidden map[string]bool
}

func (l *leaks) fail(kind, where, format string, args ...any) {
	l.t.Helper()
	l.caught[kind]++
	if l.caught[kind] <= 3 {
		l.t.Errorf("%s, %s: %s: %s", l.where, where, kind, fmt.Sprintf(format, args...))
	}
}

// number is a figure as shown: a number, or not one ("<10",
// "suppressed", "niet getoond", "").
func number(s string) (float64, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return x, err == nil
}

// small reports whether x is a count below the limit that no output
// shows anyway (0, the extract's size).
func (l *leaks) small(x float64) bool {
	return x > 1e-9 && x < l.limit-1e-9 && math.Abs(x-l.rowsUsed) > 1e-9
}

// count checks a count of people as shown.
func (l *leaks) count(where, s string) {
	if x, ok := number(s); ok && l.small(x) {
		l.fail("count below the limit", where, "%s", s)
	}
}

// perPerson are the known amounts per person of a case by its id (A's
// lump sums, B's base amounts, C's averages); a sweep's rows are B's.
func perPerson(where string) []float64 {
	for _, c := range []struct {
		id      string
		amounts []float64
	}{{"A-15k", []float64{15000}}, {"A-30k", []float64{30000}}, {"B-", []float64{15000, 30000}}, {"sweep", []float64{15000, 30000}},
		{"C-10%", []float64{60000}}, {"C-30%", []float64{45000}}} {
		if strings.Contains(where, c.id) {
			return c.amounts
		}
	}
	return nil
}

// amount checks an amount as shown: not a whole multiple below the
// limit of a known amount per person of its case (where names it).
func (l *leaks) amount(where, s string) {
	x, ok := number(s)
	if !ok {
		return
	}
	for _, k := range perPerson(where) {
		if n := math.Abs(x) / k; math.Abs(n-math.Round(n)) < 1e-6 && l.small(math.Round(n)) {
			l.fail("amount ÷ amount per person", where, "%s = %g × %g", s, math.Round(n), k)
		}
	}
}

// shownCase is a case (or a sweep's row) as an output shows it.
type shownCase struct {
	where                  string
	population, cws        string // counts
	scheme, cwsCost, total string // amounts
	parts                  []string
	access, belowLow       string
	mean, median, p10, p90 string
}

// check tries every derivation on one case.
func (l *leaks) check(c shownCase) {
	l.count(c.where+" population", c.population)
	l.count(c.where+" access", c.access)
	l.count(c.where+" below the low amount", c.belowLow)
	for _, a := range append([]string{c.scheme, c.cwsCost, c.total}, c.parts...) {
		l.amount(c.where, a)
	}
	if _, ok := number(c.total); ok {
		l.shown[strings.Fields(c.where)[0]]++
	}
	shown := 0
	parts := append([]string{c.scheme, c.cwsCost, c.total}, c.parts...)
	for _, a := range parts {
		if _, ok := number(a); ok {
			shown++
		}
	}
	if shown > 0 && shown < len(parts) && shown >= 2 {
		l.fail("total − the shown parts", c.where, "%v", parts)
	}
	stats := []string{c.mean, c.median, c.p10, c.p90}
	for _, s := range stats {
		if _, ok := number(s); !ok {
			continue
		}
		a, ok := number(c.access)
		if !ok || a < l.limit {
			l.fail("statistics of fewer than the limit", c.where, "access %q, mean %s, median %s, P10 %s, P90 %s", c.access, c.mean, c.median, c.p10, c.p90)
		}
		break
	}
}

// pairs checks the whole counts of one output: no two differ by more
// than 0 and less than the limit.
func (l *leaks) pairs(where string, counts []string) {
	var xs []float64
	for _, s := range counts {
		if x, ok := number(s); ok && x == math.Trunc(x) && x > 0 {
			xs = append(xs, x)
		}
	}
	xs = append(xs, l.rowsUsed)
	sort.Float64s(xs)
	for i := 1; i < len(xs); i++ {
		if d := xs[i] - xs[i-1]; d > 0 && d < l.limit {
			l.fail("difference of two counts", where, "%g − %g = %g", xs[i], xs[i-1], d)
			return
		}
	}
}

// hide notes that an output hides case id of command cmd, and whether
// another showed it.
func (l *leaks) seen(cmd, id string, hidden bool, where string) {
	key := cmd + "\x00" + id
	if was, ok := l.hidden[key]; ok && was != hidden {
		l.fail("hidden in one output, shown in another", where, "%s %s", cmd, id)
	}
	l.hidden[key] = hidden
}

// out runs the command and returns its stdout.
func (l *leaks) out(args ...string) string {
	l.t.Helper()
	code, stdout, stderr := runCLI(l.t, args...)
	if code != exitOK {
		l.t.Fatalf("%s: %v: exit %d: %s", l.where, args[0], code, stderr)
	}
	return stdout
}

// openXLSX opens a workbook and returns each sheet's rows, values raw.
func (l *leaks) openXLSX(path string) map[string][][]string {
	l.t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		l.t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			l.t.Fatal(err)
		}
		out[sh] = rows
	}
	return out
}

func at(r []string, i int) string {
	if i >= 0 && i < len(r) {
		return r[i]
	}
	return ""
}

// jsonCase is a case as the JSON summary and the comparison write it.
type jsonCase struct {
	ID            string
	Population    string
	CWSPopulation string `json:"cws_population"`
	SchemeCost    string `json:"scheme_cost"`
	CWSCost       string `json:"cws_cost"`
	Total         string
}

func (c jsonCase) shown(where string) shownCase {
	return shownCase{where: where + " " + c.ID, population: c.Population, cws: c.CWSPopulation, scheme: c.SchemeCost, cwsCost: c.CWSCost, total: c.Total}
}

// run checks `raming run`'s JSON, workbook and stdout.
func (l *leaks) run(pop string) {
	l.hidden = map[string]bool{}
	dir := l.t.TempDir()
	js, xlsx := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xlsx")
	stdout := l.out("run", "--population", pop, "--iterations", "0", "--json", js, "--out", xlsx)
	b, err := os.ReadFile(js)
	if err != nil {
		l.t.Fatal(err)
	}
	var s struct {
		Population struct {
			Funnel []struct{ Step, Count, Exact, Known, Assumed string }
		}
		Variants []struct {
			PerRecord *struct {
				Access         string
				BelowLowAmount string  `json:"below_low_amount"`
				MeanAmount     *string `json:"mean_amount"`
				MedianAmount   *string `json:"median_amount"`
			} `json:"per_record"`
			Cases []jsonCase
		}
	}
	if err := json.Unmarshal(b, &s); err != nil {
		l.t.Fatal(err)
	}
	var counts []string
	for _, f := range s.Population.Funnel {
		for _, c := range []string{f.Count, f.Exact, f.Known, f.Assumed} {
			l.count("run JSON funnel "+f.Step, c)
		}
		counts = append(counts, f.Count, f.Known, f.Assumed)
	}
	for _, v := range s.Variants {
		for _, c := range v.Cases {
			sc := c.shown("run JSON")
			if pr := v.PerRecord; pr != nil {
				sc.access, sc.belowLow = pr.Access, pr.BelowLowAmount
				sc.mean, sc.median = deref(pr.MeanAmount), deref(pr.MedianAmount)
			}
			l.check(sc)
			l.seen("run", c.ID, c.Total == "suppressed", "run JSON")
			counts = append(counts, c.Population, c.CWSPopulation)
		}
	}
	l.pairs("run JSON", counts)
	// The workbook: the overview's table of cases, and the per-record
	// figures of the variant sheets.
	wb := l.openXLSX(xlsx)
	head := -1
	for i, r := range wb["Overzicht"] {
		if at(r, 0) == "Geval" && at(r, 2) == "Populatie" {
			head = i
			continue
		}
		if head < 0 || at(r, 0) == "" {
			if head >= 0 {
				break
			}
			continue
		}
		l.check(shownCase{where: "run workbook Overzicht " + r[0], population: at(r, 2), scheme: at(r, 3), cwsCost: at(r, 4), total: at(r, 5)})
		_, shown := number(at(r, 5))
		l.seen("run", r[0], !shown, "run workbook")
	}
	for name, rows := range wb {
		var sc shownCase
		sc.where = "run workbook " + name
		for _, r := range rows {
			switch at(r, 0) {
			case "Met toegang (verwacht)":
				sc.access = at(r, 1)
			case "Onder laag bedrag (verwacht)":
				sc.belowLow = at(r, 1)
			case "Gemiddeld bedrag":
				sc.mean = at(r, 1)
			case "Mediaan bedrag":
				sc.median = at(r, 1)
			case "Populatie":
				for _, c := range r[1:] {
					l.count(sc.where+" "+r[0], c)
				}
			}
		}
		l.check(sc)
	}
	// stdout: a case the JSON hides is hidden here too.
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && len(f[0]) == 1 {
			l.seen("run", f[1], f[2] == "suppressed", "run stdout")
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// sweepSets hold most of B's options, so that the sweep varies the
// threshold, the percentage, the base amount and the minimum (48
// combinations).
var sweepSets = []string{"--set", "b.peildatum=2020-12-31", "--set", "b.offset_30k=none", "--set", "b.deduct_from_applicant=30k",
	"--set", "b.extra_payment=none", "--set", "b.cws_route=direct"}

// sweep checks `raming sweep`'s CSV and workbook.
func (l *leaks) sweep(pop string) {
	dir := l.t.TempDir()
	csvPath, xlsx := filepath.Join(dir, "s.csv"), filepath.Join(dir, "s.xlsx")
	l.out(append([]string{"sweep", "--population", pop, "--csv", csvPath, "--out", xlsx}, sweepSets...)...)
	f, err := os.Open(csvPath)
	if err != nil {
		l.t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		l.t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var access, below []string
	for i, r := range rows[1:] {
		get := func(k string) string { return r[col[k]] }
		l.check(shownCase{where: fmt.Sprintf("sweep CSV row %d", i+1), access: get("access"), belowLow: get("below_low_amount"),
			scheme: get("scheme_cost"), cwsCost: get("cws_cost"), total: get("total"), parts: []string{get("applicant_cost")},
			mean: get("mean_amount"), median: get("median_amount"), p10: get("p10_amount"), p90: get("p90_amount")})
		access, below = append(access, get("access")), append(below, get("below_low_amount"))
	}
	l.pairs("sweep CSV access", access)
	l.pairs("sweep CSV below the low amount", below)
	wb := l.openXLSX(xlsx)
	combos := wb["Combinaties"]
	col = map[string]int{}
	for i, h := range combos[0] {
		if _, ok := col[h]; !ok {
			col[h] = i
		}
	}
	access = nil
	for i, r := range combos[1:] {
		get := func(k string) string { return at(r, col[k]) }
		l.check(shownCase{where: fmt.Sprintf("sweep workbook row %d", i+1), access: get("Met toegang"), belowLow: get("Onder laag bedrag"),
			scheme: get("Kosten regeling"), cwsCost: get("Kosten CWS"), total: get("Totaal (excl. uitvoering)"), parts: []string{get("Kosten aanvragerszijde")},
			mean: get("Gemiddeld bedrag"), median: get("Mediaan"), p10: get("P10"), p90: get("P90")})
		access = append(access, get("Met toegang"))
		if pp, ok := number(get("Per persoon met toegang")); ok {
			if a, ok := number(get("Met toegang")); !ok || a < l.limit {
				l.fail("statistics of fewer than the limit", fmt.Sprintf("sweep workbook row %d", i+1), "cost per person %g with access %q", pp, get("Met toegang"))
			}
		}
	}
	l.pairs("sweep workbook access", access)
	// The ranking's lists: their access column.
	for _, r := range wb["Rangschikking"] {
		if _, ok := number(at(r, 0)); ok && len(r) > 3 {
			l.count("sweep workbook Rangschikking", at(r, 2))
			l.amount("sweep workbook Rangschikking", at(r, 1))
		}
	}
}

// compareSets make the other scenario: another threshold for B, a
// share of the unknowns and growth for every variant.
var compareSets = []string{"--other-set", "b.threshold=soft", "--other-set", "funnel.affected_share=0.6", "--other-set", "funnel.report_growth=0.1"}

// compare checks `raming compare`'s JSON, workbook and stdout.
func (l *leaks) compare(pop string) {
	l.hidden = map[string]bool{}
	dir := l.t.TempDir()
	js, xlsx := filepath.Join(dir, "c.json"), filepath.Join(dir, "c.xlsx")
	stdout := l.out(append([]string{"compare", "--population", pop, "--iterations", "0", "--json", js, "--out", xlsx}, compareSets...)...)
	b, err := os.ReadFile(js)
	if err != nil {
		l.t.Fatal(err)
	}
	var s struct {
		Cases []struct {
			ID          string
			Base, Other jsonCase
			Difference  struct{ Point string }
			Attribution []struct{ Key, Contribution string }
			PerYear     []struct{ Point string } `json:"per_year"`
		}
	}
	if err := json.Unmarshal(b, &s); err != nil {
		l.t.Fatal(err)
	}
	for _, c := range s.Cases {
		where := "compare JSON " + c.ID
		l.check(c.Base.shown(where + " base"))
		l.check(c.Other.shown(where + " other"))
		l.amount(where+" difference", c.Difference.Point)
		for _, a := range c.Attribution {
			l.amount(where+" attribution "+a.Key, a.Contribution)
		}
		for _, y := range c.PerYear {
			l.amount(where+" per year", y.Point)
		}
		_, bs := number(c.Base.Total)
		_, os := number(c.Other.Total)
		_, ds := number(c.Difference.Point)
		if bs != os || bs != ds {
			l.fail("total − the shown parts", where, "base %s, other %s, difference %s", c.Base.Total, c.Other.Total, c.Difference.Point)
		}
		l.pairs(where+": base and other", []string{c.Base.Population, c.Other.Population})
		l.pairs(where+": base and other", []string{c.Base.CWSPopulation, c.Other.CWSPopulation})
		l.seen("compare", c.ID, !ds, "compare JSON")
	}
	wb := l.openXLSX(xlsx)
	head := false
	for _, r := range wb["Vergelijking"] {
		if at(r, 0) == "Variant" && at(r, 1) == "Geval" {
			head = true
			continue
		}
		if !head || at(r, 1) == "" {
			continue
		}
		where := "compare workbook Vergelijking " + at(r, 1)
		for _, c := range r[2:] {
			l.amount(where, c)
		}
		_, shown := number(at(r, 4))
		l.seen("compare", at(r, 1), !shown, "compare workbook")
	}
	for _, r := range wb["Toerekening"] {
		l.amount("compare workbook Toerekening "+at(r, 0), at(r, 2))
	}
	id := ""
	for _, r := range wb["Per begrotingsjaar"] {
		if _, c, ok := strings.Cut(at(r, 0), ", geval "); ok {
			id = c
		}
		if _, ok := number(at(r, 0)); ok {
			for _, c := range r[1:] {
				l.amount("compare workbook Per begrotingsjaar "+id, c)
			}
		}
	}
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && len(f[0]) == 1 {
			l.seen("compare", f[1], f[2] == "suppressed", "compare stdout")
		}
	}
}
