package main

import (
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"raming/input"
	"raming/internal/clock"
	"raming/raming"
	"raming/scenario"
)

// inputConfig is what a command reads: the scenario with its changes and
// the population extract.
type inputConfig struct {
	scenario   string
	sets       []string
	population string
	read       input.Options
	strict     bool
	// maxRejected is the largest share of the extract's rows that may be
	// rejected (--max-rejected); 1 for a command without the flag.
	maxRejected float64
}

func inputFlags(c *cli.Context) inputConfig {
	in := inputConfig{scenario: c.String("scenario"), sets: c.StringSlice("set"), population: c.String("population"),
		read: input.Options{Encoding: c.String("encoding"), Sheet: c.String("sheet"), IgnoreUnknownColumns: c.Bool("ignore-unknown-columns")}, strict: c.Bool("strict"),
		maxRejected: 1}
	if hasFlag(c, "max-rejected") {
		in.maxRejected = c.Float64("max-rejected")
	}
	return in
}

// hasFlag reports whether the command has the flag (given or not).
func hasFlag(c *cli.Context, name string) bool {
	return slices.ContainsFunc(c.Command.Flags, func(f cli.Flag) bool { return slices.Contains(f.Names(), name) })
}

// loadScenario loads the scenario and applies every --set. Without an
// extract, an option of B that acts record by record is refused.
func (in inputConfig) loadScenario() (*scenario.Scenario, error) {
	sc, err := scenario.Load(in.scenario)
	if err != nil {
		return nil, err
	}
	if err := sc.SetAll(in.sets); err != nil {
		return nil, &usageError{err}
	}
	if in.population == "" {
		for _, key := range sc.Changed {
			if op, ok := scenario.OptionByKey(strings.TrimPrefix(key, "b.")); ok && strings.HasPrefix(key, "b.") && !op.Aggregate {
				return nil, usage("--set %s: this option of B acts record by record and needs an extract (--population); without one, B's cases are the deck's average shares: change those instead (B-33%%.years_together, B.base_amount)", key)
			}
		}
	}
	return sc, nil
}

// readPopulation reads the extract; a date after today (in the
// Netherlands, at now) is rejected as in the future.
func (in inputConfig) readPopulation(now time.Time) (*input.Population, error) {
	opts := in.read
	opts.Today = clock.Today(now)
	return input.ReadFile(in.population, opts)
}

// loadPopulation reads the extract (nil without one). File-level problems
// and an extract without a usable row are input errors; rejected rows
// under --strict, or more of them than --max-rejected allows, exit 4,
// before anything is written; fewer are a WARN line (log) with the three
// most common reasons.
func (in inputConfig) loadPopulation(now time.Time, log *slog.Logger) (*input.Population, error) {
	if in.population == "" {
		return nil, nil
	}
	pop, err := in.readPopulation(now)
	if err != nil {
		return nil, err
	}
	if err := usable(pop); err != nil {
		return nil, err
	}
	if in.strict && len(pop.Rejected) > 0 {
		return nil, &rejectedError{fmt.Errorf("%d of %d rows rejected under --strict (first: %v); run `raming validate --population %s` for the list",
			len(pop.Rejected), pop.RowsRead, pop.Rejected[0], in.population)}
	}
	if pop.RejectedShare() > in.maxRejected {
		return nil, &rejectedError{fmt.Errorf("%s: more than --max-rejected %v allows, so nothing is written; run `raming validate --population %s` for the list and fix the extract at its source, or raise --max-rejected",
			pop.RejectedSummary(), in.maxRejected, in.population)}
	}
	if s := pop.RejectedSummary(); s != "" {
		log.Warn(s+"; the estimate leaves them out (`raming validate` lists them)", "source", pop.Source)
	}
	return pop, nil
}

// checkSheet refuses --sheet without --population.
func (in inputConfig) checkSheet() error {
	if in.read.Sheet != "" && in.population == "" {
		return usage("--sheet needs --population: it names the sheet of a workbook extract")
	}
	return nil
}

// populationStage is loadPopulation as a logged stage: the source and the
// rows read, used and rejected (and the sheet of a workbook), or "scenario"
// without an extract.
func (in inputConfig) populationStage(now time.Time, log *slog.Logger) (*input.Population, error) {
	return stage(log, "population", func() (*input.Population, []any, error) {
		pop, err := in.loadPopulation(now, log)
		switch {
		case err != nil:
			return nil, []any{"source", in.population}, err
		case pop == nil:
			return nil, []any{"source", "scenario"}, nil
		}
		attrs := []any{"source", pop.Source, "rows_read", pop.RowsRead, "rows_used", len(pop.Records), "rows_rejected", len(pop.Rejected)}
		if pop.Sheet != "" {
			attrs = append(attrs, "sheet", pop.Sheet)
		}
		return pop, attrs, nil
	})
}

// usable refuses an extract of which every row was rejected: nothing can
// be computed from it (with or without Monte Carlo alike).
func usable(pop *input.Population) error {
	if len(pop.Records) > 0 {
		return nil
	}
	return &input.FileError{Source: pop.Source, Err: input.ErrNoUsableRows,
		Detail: fmt.Sprintf("all %d rows were rejected (first: %v); run `raming validate --population %s` for the list", pop.RowsRead, pop.Rejected[0], pop.Source)}
}

// maxWorkers bounds --workers: each worker holds buffers of its own, and a
// count far above the cores of any machine only spends memory (a hundred
// million workers exhausted 24 GB).
const maxWorkers = 1024

// monteCarloFlags reads --iterations, --seed, --workers, --max-memory and
// --percentiles (those a command has). noAuto, for a command that takes
// no --iterations auto, says why.
func monteCarloFlags(c *cli.Context, noAuto string) (raming.MC, error) {
	mc := raming.MC{Seed: c.Uint64("seed"), Workers: c.Int("workers")}
	switch it := c.String("iterations"); {
	case it == "auto" && noAuto != "":
		return mc, usage("--iterations auto: %s", noAuto)
	case it == "auto":
		mc.Auto, mc.Iterations = true, 2000
	default:
		n, err := strconv.Atoi(it)
		if err != nil || n < 0 || n > raming.IterationLimit {
			or := ", or auto"
			if noAuto != "" {
				or = ""
			}
			return mc, usage("--iterations %q: give a number of iterations from 0 (none) to %d%s", it, raming.IterationLimit, or)
		}
		mc.Iterations = n
	}
	mb := c.Int("max-memory") // 0 in a command without the flag
	if mb < 0 || mb > 1<<40 {
		return mc, usage("--max-memory %d: give a number of MB, or 0 for no limit", mb)
	}
	mc.MaxMemory = int64(mb) << 20
	if mc.Workers < 1 || mc.Workers > maxWorkers {
		return mc, usage("--workers %d: give 1 to %d (the default is the number of cores, %d; more workers than cores gain nothing)",
			mc.Workers, maxWorkers, runtime.NumCPU())
	}
	if c.String("percentiles") == "" {
		return mc, nil // a command without --percentiles (sweep)
	}
	for _, f := range strings.Split(c.String("percentiles"), ",") {
		p, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(p >= 0 && p <= 100) {
			return mc, usage("--percentiles: %q is not a percentile between 0 and 100", f)
		}
		mc.Percentiles = append(mc.Percentiles, p)
	}
	return mc, nil
}

// runTime is the time recorded in the outputs (clock.Now): a bad
// SOURCE_DATE_EPOCH is a usage error.
func runTime() (time.Time, error) {
	now, err := clock.Now()
	if err != nil {
		return now, &usageError{err}
	}
	return now, nil
}

// privateFile refuses stdout ("-") for rows derived record by record
// (--records, sweep --csv): they are written only to a file that only its
// owner can read (mode 0600), never to a terminal or a pipe.
func privateFile(flag, path string) error {
	if path == "-" {
		return usage("%s -: these rows are derived record by record and are written only to a file that only you can read; give a file name, such as %s", flag, map[string]string{"--records": "records.csv", "--csv": "sweep.csv"}[flag])
	}
	return nil
}
