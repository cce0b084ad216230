package output

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"raming/published"
	"raming/raming"
)

// WriteTable writes the short table a run ends with: per variant the case
// its budget table shows (Options.BudgetCases, else the central case), its
// point estimate and, with Monte Carlo, P50 and P5-P95, in EUR mln; with a
// baseline the earlier run's estimate of the case and the change; then,
// with published figures, each one that has a figure of the same scope
// beside that figure; then the files written.
func WriteTable(w io.Writer, res *raming.Result, opts Options, written []string) error {
	mln := func(x float64) string { return strconv.FormatFloat(x/1e6, 'f', 1, 64) }
	signed := func(x float64) string {
		s := mln(x)
		if x >= 0.05e6 {
			s = "+" + s
		}
		return s
	}
	changes := map[string]raming.CaseChange{}
	if b := res.Baseline; b != nil {
		for _, c := range b.Cases {
			changes[c.ID] = c
		}
	}
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	head := "variant\tcase\testimate\t"
	if res.MonteCarlo != nil {
		head += "P50\tP5 - P95\t"
	}
	if res.Baseline != nil {
		head += "before\tchange\t"
	}
	fmt.Fprintln(tw, head)
	cells := newSmallCells(res, opts.smallCell())
	suppressed := false
	for _, id := range BudgetedCases(res, opts) {
		c, v := res.Case(id), res.VariantOf(id)
		if cells.hiddenCase(c) {
			suppressed = true
			// Small-cell suppressed: no figure, nor its change.
			line := fmt.Sprintf("%s\t%s\t%s\t", v.ID, c.ID, complementJSON)
			if res.MonteCarlo != nil {
				line += "-\t-\t"
			}
			if res.Baseline != nil {
				line += "-\t-\t"
			}
			fmt.Fprintln(tw, line)
			continue
		}
		line := fmt.Sprintf("%s\t%s\t%s\t", v.ID, c.ID, mln(c.Total.Value.InexactFloat64()))
		if sim := res.MonteCarlo; sim != nil {
			st := sim.Case(c.ID).TotalStats
			line += fmt.Sprintf("%s\t%s - %s\t", mln(st.At(50)), mln(st.At(5)), mln(st.At(95)))
		}
		if res.Baseline != nil {
			if ch, ok := changes[c.ID]; ok && ch.Had {
				line += fmt.Sprintf("%s\t%s\t", mln(ch.TotalBefore.InexactFloat64()), signed(ch.Delta().InexactFloat64()))
			} else {
				line += "-\tnew\t"
			}
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	note := "EUR mln, excl. execution costs"
	if y := opts.BudgetYear; y != 0 {
		note += fmt.Sprintf("; budget tables: begroting %d at prijspeil %d", y, y)
	}
	if res.Baseline != nil {
		note += "; before: " + res.Baseline.File
	}
	if res.MonteCarlo != nil {
		note += fmt.Sprintf("; Monte Carlo: %d iterations, seed %d", res.MonteCarlo.Iterations, res.MonteCarlo.Seed)
	}
	if suppressed {
		note += fmt.Sprintf("; suppressed: resting on fewer than %d people of the extract", cells.limit)
	}
	fmt.Fprintln(w, note)
	if p := res.Published; p != nil && !cells.hiddenID(p.CaseID) {
		fmt.Fprintf(w, "published figures beside %s (%s):\n", p.CaseID, p.Set.Origin)
		tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  figure\tyear\tpublished\testimate\t")
		for _, pc := range p.Comparisons {
			if !pc.Known {
				continue
			}
			show := func(d decimal.Decimal) string {
				if pc.Figure.Unit.Base() == published.Persons {
					return d.Round(0).String() + " persons"
				}
				return mln(d.InexactFloat64()) + " mln"
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t\n", pc.Figure.ID, pc.Figure.Year, show(pc.Figure.BaseValue()), show(pc.Estimate))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, f := range written {
		fmt.Fprintln(w, "wrote", f)
	}
	return nil
}
