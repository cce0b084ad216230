package output

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"raming/raming"
)

// WriteTable writes the short table a run ends with: per variant the
// central case, its point estimate and, with Monte Carlo, P50 and P5-P95,
// in EUR mln; then the files written.
func WriteTable(w io.Writer, res *raming.Result, written []string) error {
	mln := func(x float64) string { return strconv.FormatFloat(x/1e6, 'f', 1, 64) }
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	head := "variant\tcase\testimate\t"
	if res.MonteCarlo != nil {
		head += "P50\tP5 - P95\t"
	}
	fmt.Fprintln(tw, head)
	for _, v := range res.Variants {
		c := res.Case(v.CentralCase)
		line := fmt.Sprintf("%s\t%s\t%s\t", v.ID, c.ID, mln(c.Total.Value.InexactFloat64()))
		if sim := res.MonteCarlo; sim != nil {
			st := sim.Case(c.ID).TotalStats
			line += fmt.Sprintf("%s\t%s - %s\t", mln(st.At(50)), mln(st.At(5)), mln(st.At(95)))
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	note := "EUR mln, excl. execution costs"
	if res.MonteCarlo != nil {
		note += fmt.Sprintf("; Monte Carlo: %d iterations, seed %d", res.MonteCarlo.Iterations, res.MonteCarlo.Seed)
	}
	fmt.Fprintln(w, note)
	for _, f := range written {
		fmt.Fprintln(w, "wrote", f)
	}
	return nil
}
