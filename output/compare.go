package output

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"raming/raming"
	"raming/scenario"
)

// jsonComparisonSummary is the JSON of `raming compare`. Field names are a
// contract with other tools.
type jsonComparisonSummary struct {
	ToolVersion string             `json:"tool_version"`
	RunTime     string             `json:"run_time"`
	Base        jsonScenario       `json:"base"`
	Other       jsonScenario       `json:"other"`
	Population  jsonComparedOn     `json:"population"`
	Amounts     string             `json:"amounts"`
	MonteCarlo  *jsonComparedMC    `json:"monte_carlo,omitempty"`
	Differences []jsonDifference   `json:"differences"`
	Structure   []string           `json:"structure,omitempty"`
	Attribution jsonAttributionWay `json:"attribution"`
	Warnings    []string           `json:"warnings,omitempty"`
	Cases       []jsonComparedCase `json:"cases"`
}

// jsonComparedOn names the population both scenarios ran on.
type jsonComparedOn struct {
	Source   string `json:"source"`
	SHA256   string `json:"sha256,omitempty"`
	RowsUsed int    `json:"rows_used"`
}

// jsonComparedMC describes the simulation both scenarios ran.
type jsonComparedMC struct {
	Seed                 uint64 `json:"seed"`
	Iterations           int    `json:"iterations"`
	PercentileDefinition string `json:"percentile_definition"`
	// PCheaper says how p_other_cheaper counts.
	PCheaper string `json:"p_other_cheaper"`
}

// jsonDifference is one key whose setting differs.
type jsonDifference struct {
	Key   string   `json:"key"`
	Also  []string `json:"also,omitempty"`
	Kind  string   `json:"kind"`
	Label string   `json:"label"`
	Base  *string  `json:"base"`  // null: not given
	Other *string  `json:"other"` // null: not given
}

// jsonAttributionWay says how the point differences are attributed.
type jsonAttributionWay struct {
	Method string `json:"method"`
	Note   string `json:"note,omitempty"`
}

// jsonComparedCase is one case both scenarios have.
type jsonComparedCase struct {
	ID       string               `json:"id"`
	Variant  string               `json:"variant"`
	Central  bool                 `json:"central"`
	Base     jsonCase             `json:"base"`
	Other    jsonCase             `json:"other"`
	Diff     jsonCaseDifference   `json:"difference"`
	PCheaper *string              `json:"p_other_cheaper"` // null without a simulation
	Shares   []jsonContribution   `json:"attribution"`
	PerYear  []jsonYearDifference `json:"per_year"`
	// Suppressed marks a case the small-cell rule hides in the
	// comparison (compareCells): its figures read "suppressed" (counts
	// "<N"), with no attribution and no years.
	Suppressed bool `json:"suppressed,omitempty"`
}

// jsonCaseDifference is a case's difference other − base: the point
// estimates' (exact, to the cent) and, with a simulation, the paired
// iterations' percentiles and mean.
type jsonCaseDifference struct {
	Point string  `json:"point"`
	Mean  *string `json:"mean,omitempty"`
	P5    *string `json:"p5"`
	P50   *string `json:"p50"`
	P95   *string `json:"p95"`
	// Percentiles are every reported percentile with its standard error.
	Percentiles []jsonPercentile `json:"percentiles,omitempty"`
}

// jsonContribution is a key's share of the point difference, in euros
// and cents; key "" is the residual no key explains.
type jsonContribution struct {
	Key          string `json:"key"`
	Kind         string `json:"kind"`
	Contribution string `json:"contribution"`
}

// jsonYearDifference is the difference in one budget year.
type jsonYearDifference struct {
	Year  int     `json:"year"`
	Point string  `json:"point"`
	P5    *string `json:"p5,omitempty"`
	P50   *string `json:"p50,omitempty"`
	P95   *string `json:"p95,omitempty"`
}

// pCheaperDefinition says how P(other cheaper) counts, once for the JSON,
// the table and the workbook's notes.
const pCheaperDefinition = "share of iterations in which the other costs less than the base, an iteration without difference counted half: 0.5 when the two never differ"

// WriteCompareJSON writes the JSON of a comparison, indented, with the
// small-cell rule of opts (compareCells).
func WriteCompareJSON(w io.Writer, c *raming.ScenarioComparison, prov Provenance, opts Options) error {
	s := jsonComparisonSummary{ToolVersion: prov.ToolVersion, RunTime: prov.RunTime.UTC().Format(time.RFC3339),
		Base: scenarioJSON(c.Base.Scenario), Other: scenarioJSON(c.Other.Scenario), Amounts: "EUR, excl. uitvoering",
		Attribution: jsonAttributionWay{Method: c.Method.String(), Note: c.Note},
		Differences: []jsonDifference{}, Cases: []jsonComparedCase{}}
	p := c.Base.Population
	s.Population = jsonComparedOn{Source: populationSource(p), SHA256: p.SHA256, RowsUsed: p.RowsUsed}
	if sim := c.Base.MonteCarlo; sim != nil {
		s.MonteCarlo = &jsonComparedMC{Seed: sim.Seed, Iterations: sim.Iterations, PercentileDefinition: raming.PercentileDefinition, PCheaper: pCheaperDefinition}
	}
	for _, d := range c.Differences {
		s.Differences = append(s.Differences, jsonDifference{Key: d.Key, Also: d.Also, Kind: d.Kind.String(), Label: d.Label, Base: given(d.Base), Other: given(d.Other)})
	}
	for _, d := range c.Structure {
		s.Structure = append(s.Structure, d.String())
	}
	s.Warnings = compareWarnings(c)
	cells := newCompareCells(c, opts.smallCell())
	for _, cc := range c.Cases {
		if cells.hiddenCase(cc.CaseID) {
			jc := jsonComparedCase{ID: cc.CaseID, Variant: cc.VariantID, Central: cc.Central, Base: hiddenCaseJSON(cc.Base, cells.base), Other: hiddenCaseJSON(cc.Other, cells.other),
				Diff: jsonCaseDifference{Point: complementJSON}, Shares: []jsonContribution{}, PerYear: []jsonYearDifference{}, Suppressed: true}
			if c.Simulated() {
				jc.Diff.Mean, jc.Diff.P5, jc.Diff.P50, jc.Diff.P95, jc.PCheaper = ptr(complementJSON), ptr(complementJSON), ptr(complementJSON), ptr(complementJSON), ptr(complementJSON)
			}
			s.Cases = append(s.Cases, jc)
			continue
		}
		jc := jsonComparedCase{ID: cc.CaseID, Variant: cc.VariantID, Central: cc.Central, Base: caseJSON(c.Base, *cc.Base, cells.base), Other: caseJSON(c.Other, *cc.Other, cells.other),
			Diff: jsonCaseDifference{Point: money(cc.Difference)}, Shares: []jsonContribution{}}
		if c.Simulated() {
			d := cc.Diff
			jc.Diff.Mean, jc.Diff.P5, jc.Diff.P50, jc.Diff.P95 = ptr(euros(d.Mean)), ptr(euros(d.At(5))), ptr(euros(d.At(50))), ptr(euros(d.At(95)))
			for _, p := range d.Percentiles {
				jc.Diff.Percentiles = append(jc.Diff.Percentiles, jsonPercentile{P: p.P, Value: euros(p.Value), SE: euros(p.SE), Stable: euros(p.Stable)})
			}
			jc.PCheaper = ptr(ratio(cc.POtherCheaper))
		}
		for _, a := range cc.Attribution {
			kind := "residual"
			if !a.Residual {
				kind = a.Kind.String()
			}
			jc.Shares = append(jc.Shares, jsonContribution{Key: a.Key, Kind: kind, Contribution: money(a.Amount)})
		}
		for _, y := range cc.Years {
			jy := jsonYearDifference{Year: y.Year, Point: money(y.Point)}
			if c.Simulated() {
				jy.P5, jy.P50, jy.P95 = ptr(euros(y.Band.P5)), ptr(euros(y.Band.P50)), ptr(euros(y.Band.P95))
			}
			jc.PerYear = append(jc.PerYear, jy)
		}
		s.Cases = append(s.Cases, jc)
	}
	return encodeJSON(w, s)
}

// scenarioJSON identifies a scenario as the run's summary does.
func scenarioJSON(sc *scenario.Scenario) jsonScenario {
	return jsonScenario{Name: sc.Name, Origin: sc.Origin, SHA256: sc.SHA256, Text: string(sc.Text), Set: sc.Settings}
}

// given is a setting, or nil (JSON null) when it is not given.
func given(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// compareWarnings are the two runs' warnings, each said once, marked by
// the scenario it belongs to.
func compareWarnings(c *raming.ScenarioComparison) []string {
	var out []string
	for i, res := range []*raming.Result{c.Base, c.Other} {
		for _, w := range res.Warnings {
			w = [2]string{"base: ", "other: "}[i] + w
			if !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// WriteCompareTable writes what `raming compare` prints: per central case
// the two estimates, the difference with its P5-P95 and P(other cheaper)
// (with a simulation), in EUR mln; then per central case the three
// largest shares of the difference, the structure that differs, and the
// files written. A case the small-cell rule of opts hides
// (compareCells) reads "suppressed".
func WriteCompareTable(w io.Writer, c *raming.ScenarioComparison, written []string, opts Options) error {
	cells := newCompareCells(c, opts.smallCell())
	mln := func(x float64) string { return strconv.FormatFloat(x/1e6, 'f', 1, 64) }
	signed := func(x float64) string {
		s := mln(x)
		if !strings.HasPrefix(s, "-") {
			s = "+" + s
		}
		return s
	}
	fmt.Fprintf(w, "base %s, other %s; population: %s\n", scenarioName(c.Base.Scenario), scenarioName(c.Other.Scenario), populationSource(c.Base.Population))
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	head := "variant\tcase\tbase\tother\tdifference\t"
	if c.Simulated() {
		head += "P5 - P95\tP(other cheaper)\t"
	}
	fmt.Fprintln(tw, head)
	for _, cc := range c.Cases {
		if !cc.Central {
			continue
		}
		if cells.hiddenCase(cc.CaseID) { // every column filled: the table stays aligned
			line := fmt.Sprintf("%s\t%s\t%s\t-\t-\t", cc.VariantID, cc.CaseID, complementJSON)
			if c.Simulated() {
				line += "-\t-\t"
			}
			fmt.Fprintln(tw, line)
			continue
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t", cc.VariantID, cc.CaseID, mln(num(cc.Base.Total.Value)), mln(num(cc.Other.Total.Value)), signed(num(cc.Difference)))
		if c.Simulated() {
			line += fmt.Sprintf("%s - %s\t%.2f\t", signed(cc.Diff.At(5)), signed(cc.Diff.At(95)), cc.POtherCheaper)
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	note := "EUR mln, excl. execution costs; difference = other - base"
	if slices.ContainsFunc(c.Cases, func(cc raming.CaseComparison) bool { return cc.Central && cells.hiddenCase(cc.CaseID) }) {
		note += fmt.Sprintf("; suppressed: the case or its difference rests on fewer than %d people of the extract", opts.smallCell())
	}
	if sim := c.Base.MonteCarlo; sim != nil {
		note += fmt.Sprintf("; Monte Carlo: %d iterations, seed %d, on common random numbers", sim.Iterations, sim.Seed)
	}
	fmt.Fprintln(w, note)
	switch {
	case len(c.Differences) == 0:
		fmt.Fprintln(w, "no key differs between the two scenarios")
	case c.Method == raming.AttributionNone && c.Note != "":
		fmt.Fprintln(w, c.Note)
	default:
		how := map[raming.AttributionMethod]string{raming.AttributionShapley: "Shapley values over the keys that differ",
			raming.AttributionSequential: fmt.Sprintf("more than %d keys: in the scenario reference's order, so the shares depend on that order", raming.MaxShapleyKeys),
			raming.AttributionNone:       "no key that moves the estimate differs"}[c.Method]
		keys := fmt.Sprintf("%d keys differ", len(c.Differences))
		if len(c.Differences) == 1 {
			keys = "1 key differs"
		}
		fmt.Fprintf(w, "largest contributions to the difference (%s; %s):\n", keys, how)
		moved := false
		for _, cc := range c.Cases {
			if cc.Central && cells.hiddenCase(cc.CaseID) {
				fmt.Fprintf(w, "  %s: %s\n", cc.CaseID, complementJSON)
				moved = true
				continue
			}
			if shares := largest(cc.Attribution, 3, signed); cc.Central && len(shares) > 0 {
				fmt.Fprintf(w, "  %s: %s\n", cc.CaseID, strings.Join(shares, ", "))
				moved = true
			}
		}
		if !moved {
			fmt.Fprintln(w, "  none: no central case's estimate moves")
		}
	}
	for _, d := range c.Structure {
		fmt.Fprintln(w, "structure:", d)
	}
	for _, f := range written {
		fmt.Fprintln(w, "wrote", f)
	}
	return nil
}

// largest are the n largest shares by size, as "key +1.2" (none of 0).
func largest(as []raming.Contribution, n int, format func(float64) string) []string {
	as = slices.Clone(as)
	slices.SortStableFunc(as, func(a, b raming.Contribution) int { return b.Amount.Abs().Cmp(a.Amount.Abs()) })
	var out []string
	for _, a := range as[:min(n, len(as))] {
		if a.Amount.IsZero() {
			break
		}
		key := a.Key
		if a.Residual {
			key = "(structure)"
		}
		out = append(out, key+" "+format(num(a.Amount)))
	}
	return out
}

// scenarioName names a scenario with its changes: deck, deck+2 --set.
func scenarioName(sc *scenario.Scenario) string {
	if len(sc.Settings) == 0 {
		return sc.Name
	}
	return sc.Name + " (--set " + strings.Join(sc.Settings, " ") + ")"
}
