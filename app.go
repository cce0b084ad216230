package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database

	"github.com/urfave/cli/v2"

	"raming/input"
	"raming/output"
	"raming/raming"
	"raming/scenario"
)

// Exit codes, documented in the README and in `raming --help`.
const (
	exitOK       = 0
	exitInternal = 1
	exitUsage    = 2
	exitInput    = 3
	exitRejected = 4
)

// exitError carries the exit code of a failure.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(err error) error    { return &exitError{exitUsage, err} }
func inputError(err error) error    { return &exitError{exitInput, err} }
func internalError(err error) error { return &exitError{exitInternal, err} }

// releaseVersion is the tool's version; the VCS revision is appended when
// the binary was built from a checkout.
const releaseVersion = "0.1.0"

func toolVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return releaseVersion
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return releaseVersion
	}
	return releaseVersion + "+" + rev + dirty
}

// runTime is the time recorded in the outputs: SOURCE_DATE_EPOCH (seconds
// since 1970, the reproducible-builds convention) when set, else now.
func runTime() (time.Time, error) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, usageError(fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970", s))
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now().UTC(), nil
}

const helpExitCodes = `EXIT CODES:
   0  success
   1  internal error
   2  usage error (unknown flag, bad value)
   3  input refused (missing or unreadable file, bad scenario, personal data, file-level CSV problem)
   4  rows rejected under --strict`

// newApp builds the command line. stdout gets only what the user asked for;
// messages go to stderr.
func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:                  "raming",
		Usage:                 "cost estimate of the ex-partner compensation scheme (variants A-E of the policy deck)",
		Version:               toolVersion(),
		Writer:                stdout,
		ErrWriter:             stderr,
		HideHelpCommand:       true,
		EnableBashCompletion:  false,
		CustomAppHelpTemplate: cli.AppHelpTemplate + "\n" + helpExitCodes + "\n",
		ExitErrHandler:        func(*cli.Context, error) {}, // never os.Exit inside Run: main maps errors to codes
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError(err)
		},
		Commands: []*cli.Command{runCommand(), validateCommand(), generateCommand(), sweepCommand(), scenarioCommand()},
	}
	for _, c := range app.Commands {
		setUsageError(c)
	}
	return app
}

func setUsageError(c *cli.Command) {
	c.OnUsageError = func(_ *cli.Context, err error, _ bool) error { return usageError(err) }
	for _, s := range c.Subcommands {
		setUsageError(s)
	}
}

var (
	flagScenario    = &cli.StringFlag{Name: "scenario", Value: "deck", Usage: "built-in scenario name (deck, deck-exact) or a scenario `FILE` (TOML)"}
	flagPopulation  = &cli.StringFlag{Name: "population", Usage: "population extract `FILE` (CSV, see docs/input.md); without it the scenario's base population is used"}
	flagStrict      = &cli.BoolFlag{Name: "strict", Usage: "fail with exit code 4 if any row of the extract is rejected"}
	flagEncoding    = &cli.StringFlag{Name: "encoding", Usage: "encoding of the extract: utf-8 or windows-1252 (default: detect)"}
	flagIgnoreCols  = &cli.BoolFlag{Name: "ignore-unknown-columns", Usage: "ignore columns the contract does not know instead of refusing the file"}
	flagIterations  = &cli.StringFlag{Name: "iterations", Value: "10000", Usage: "Monte Carlo iterations `N`, 0 for the deterministic estimate only, or auto (until every case's P95 is stable to 0.5%)"}
	flagSeed        = &cli.Uint64Flag{Name: "seed", Value: 1, Usage: "Monte Carlo seed; the same seed gives the same figures whatever the workers"}
	flagWorkers     = &cli.IntFlag{Name: "workers", Value: runtime.NumCPU(), Usage: "Monte Carlo workers (default: the number of cores)"}
	flagPercentiles = &cli.StringFlag{Name: "percentiles", Value: "5,50,95", Usage: "percentiles to report, comma-separated (5, 50 and 95 always)"}
	flagSet         = &cli.StringSliceFlag{Name: "set", Usage: "change the scenario for this run: `KEY=VALUE`, repeatable; an option of B (b.threshold=soft, b.percentage=fixed, ...) or an assumption (funnel.affected_share=0.7)"}
	flagLogFormat   = &cli.StringFlag{Name: "log-format", Value: "text", Usage: "log lines on stderr as text or json"}
	flagSmallCell   = &cli.IntFlag{Name: "small-cell", Value: 10, Usage: "counts of fewer than `N` people (outside the funnel totals) are shown as \"<N\""}
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "compute variants A-E and write the workbook and JSON summary",
		Flags: []cli.Flag{flagScenario, flagPopulation,
			&cli.StringFlag{Name: "out", Usage: "workbook `FILE` (.xlsx) to write"},
			&cli.StringFlag{Name: "json", Usage: "JSON summary `FILE` to write (\"-\" for stdout)"},
			&cli.StringFlag{Name: "out-dir", Usage: "write raming-YYYY-MM-DD.xlsx and .json into `DIR` (for schedulers; the date from SOURCE_DATE_EPOCH or today)"},
			&cli.StringFlag{Name: "records", Usage: "write variant B per record to `FILE.csv` (person-level: for the execution, not for publication)"},
			flagSet,
			&cli.StringFlag{Name: "baseline", Usage: "compare with a previous JSON summary `FILE` (last night's): changes split into scenario, data and Monte Carlo noise"},
			flagLogFormat,
			flagIterations, flagSeed, flagWorkers, flagPercentiles,
			flagStrict, flagEncoding, flagIgnoreCols, flagSmallCell},
		Action: runJob,
	}
}

// runJob is `raming run`: read, estimate, write; one log line per stage.
func runJob(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError(fmt.Errorf("unexpected argument %q; run takes only flags", c.Args().First()))
	}
	log, err := newLogger(c)
	if err != nil {
		return err
	}
	now, err := runTime()
	if err != nil {
		return err
	}
	xlsxPath, jsonPath, err := outputPaths(c, now)
	if err != nil {
		return err
	}
	var (
		sc  *scenario.Scenario
		pop *input.Population
		res *raming.Result
	)
	stages := []stage{
		{"scenario", func() ([]any, error) {
			if sc, err = loadScenario(c); err != nil {
				return nil, err
			}
			return []any{"name", sc.Name, "sha256", sc.SHA256, "set", c.StringSlice("set")}, nil
		}},
		{"population", func() ([]any, error) {
			if pop, err = loadPopulation(c, now); err != nil || pop == nil {
				return []any{"source", "scenario"}, err
			}
			return []any{"source", pop.Source, "rows_read", pop.RowsRead, "rows_used", len(pop.Records), "rows_rejected", len(pop.Rejected)}, nil
		}},
		{"estimate", func() ([]any, error) {
			if res, err = estimate(c, sc, pop); err != nil || res.MonteCarlo == nil {
				return nil, err
			}
			return []any{"iterations", res.MonteCarlo.Iterations, "seed", res.MonteCarlo.Seed}, nil
		}},
	}
	var baseline *output.Baseline
	if path := c.String("baseline"); path != "" {
		stages = append(stages, stage{"baseline", func() ([]any, error) {
			baseline, err = compareBaseline(path, res, pop)
			if err != nil {
				return nil, inputError(err)
			}
			return []any{"file", path, "scenario_changed", baseline.ScenarioChanged, "data_changed", baseline.DataChanged}, nil
		}})
	}
	prov := func() output.Provenance {
		p := output.Provenance{ToolVersion: toolVersion(), RunTime: now, SmallCell: c.Int("small-cell"), Baseline: baseline}
		if pop != nil {
			p.Rejected, p.Warnings, p.InputSHA256 = pop.Rejected, pop.Warnings, pop.SHA256
		}
		return p
	}
	var files []output.OutputFile
	if xlsxPath != "" {
		files = append(files, output.OutputFile{Path: xlsxPath, Write: func(w io.Writer) error { return output.WriteWorkbook(w, res, prov()) }})
	}
	if records := c.String("records"); records != "" {
		files = append(files, output.OutputFile{Path: records, Write: func(w io.Writer) error {
			recs, err := raming.RecordsB(sc, pop)
			if err != nil {
				return err
			}
			return output.WriteRecordsCSV(w, res.Variants[1].Cases[0].ID, recs)
		}})
	}
	if jsonPath == "-" {
		stages = append(stages, stage{"json", func() ([]any, error) {
			return []any{"file", "stdout"}, output.WriteJSON(c.App.Writer, output.NewSummary(res, prov()))
		}})
	} else if jsonPath != "" {
		files = append(files, output.OutputFile{Path: jsonPath, Write: func(w io.Writer) error { return output.WriteJSON(w, output.NewSummary(res, prov())) }})
	}
	if len(files) > 0 {
		stages = append(stages, writeStage(files))
	}
	return runStages(log, stages)
}

// loadScenario loads --scenario and applies every --set.
func loadScenario(c *cli.Context) (*scenario.Scenario, error) {
	sc, err := scenario.Load(c.String("scenario"))
	if err != nil {
		return nil, inputError(err)
	}
	for _, kv := range c.StringSlice("set") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, usageError(fmt.Errorf("--set %q: write KEY=VALUE, e.g. --set b.threshold=soft", kv))
		}
		if err := sc.Set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return nil, usageError(err)
		}
	}
	if len(c.StringSlice("set")) > 0 {
		if err := sc.Revalidate(); err != nil {
			return nil, usageError(err)
		}
	}
	return sc, nil
}

// compareBaseline compares the result with a previous JSON summary. To split
// each change into data and scenario, the previous scenario (carried in the
// summary) is evaluated on tonight's population.
func compareBaseline(path string, res *raming.Result, pop *input.Population) (*output.Baseline, error) {
	before, err := output.ReadSummary(path)
	if err != nil {
		return nil, err
	}
	var same *raming.Result
	note := ""
	if before.Scenario.Text == "" {
		note = "the baseline carries no scenario text, so changes are not split into data and scenario"
	} else if oldSc, err := scenario.Parse([]byte(before.Scenario.Text), "baseline scenario"); err != nil {
		note = "the baseline's scenario no longer reads with this version (" + err.Error() + "), so changes are not split into data and scenario"
	} else if same, err = raming.Estimate(oldSc, pop); err != nil {
		return nil, err
	}
	sha := ""
	if pop != nil {
		sha = pop.SHA256
	}
	return output.NewBaseline(path, before, res, sha, same, note), nil
}

// writeStage writes the outputs atomically and together: prepared in full
// first, renamed at the end, so a run that fails at any point leaves the
// existing outputs untouched.
func writeStage(files []output.OutputFile) stage {
	return stage{"write", func() ([]any, error) {
		if err := output.WriteFilesAtomic(files); err != nil {
			return nil, inputError(err)
		}
		var paths []string
		for _, f := range files {
			paths = append(paths, f.Path)
		}
		return []any{"files", paths}, nil
	}}
}

// stage is one step of a job. It returns what the log line should say.
type stage struct {
	name string
	run  func() ([]any, error)
}

// runStages runs the stages in order and logs one line for each, with its
// duration; it stops at the first error.
func runStages(log *slog.Logger, stages []stage) error {
	for _, s := range stages {
		start := time.Now()
		attrs, err := s.run()
		attrs = append([]any{"stage", s.name, "duration_ms", time.Since(start).Milliseconds()}, attrs...)
		if err != nil {
			log.Error("stage failed", append(attrs, "error", err.Error())...)
			return err
		}
		log.Info("stage done", attrs...)
	}
	return nil
}

// newLogger logs to stderr as text, or as JSON with --log-format json.
// Nothing is logged to stdout.
func newLogger(c *cli.Context) (*slog.Logger, error) {
	switch f := c.String("log-format"); f {
	case "text":
		return slog.New(slog.NewTextHandler(c.App.ErrWriter, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(c.App.ErrWriter, nil)), nil
	default:
		return nil, usageError(fmt.Errorf("--log-format %q: use text or json", f))
	}
}

// outputPaths returns the workbook and JSON paths: --out and --json, or,
// with --out-dir, raming-YYYY-MM-DD.xlsx and .json in that directory, dated
// by SOURCE_DATE_EPOCH or today (UTC).
func outputPaths(c *cli.Context, now time.Time) (xlsx, js string, err error) {
	xlsx, js = c.String("out"), c.String("json")
	if dir := c.String("out-dir"); dir != "" {
		if xlsx != "" || js != "" {
			return "", "", usageError(errors.New("give either --out-dir or --out/--json, not both"))
		}
		base := filepath.Join(dir, "raming-"+now.UTC().Format("2006-01-02"))
		return base + ".xlsx", base + ".json", nil
	}
	if xlsx == "" && js == "" {
		return "", "", usageError(errors.New("nothing to write: give --out FILE.xlsx and/or --json FILE.json, or --out-dir DIR"))
	}
	return xlsx, js, nil
}

// estimate runs the deterministic estimate, and the Monte Carlo simulation
// unless --iterations is 0.
func estimate(c *cli.Context, sc *scenario.Scenario, pop *input.Population) (*raming.Result, error) {
	mc, err := monteCarloFlags(c)
	if err != nil {
		return nil, err
	}
	if mc.Iterations == 0 {
		res, err := raming.Estimate(sc, pop)
		if err != nil {
			return nil, internalError(err)
		}
		return res, nil
	}
	bar := newProgress(c.App.ErrWriter)
	mc.Progress = bar.update
	res, err := raming.Simulate(sc, pop, mc)
	bar.finish()
	if err != nil {
		return nil, inputError(err) // a distribution the scenario's values do not allow
	}
	return res, nil
}

// monteCarloFlags reads --iterations, --seed, --workers and --percentiles.
func monteCarloFlags(c *cli.Context) (raming.MC, error) {
	mc := raming.MC{Seed: c.Uint64("seed"), Workers: c.Int("workers")}
	switch it := c.String("iterations"); it {
	case "auto":
		mc.Auto, mc.Iterations = true, 2000
	default:
		n, err := strconv.Atoi(it)
		if err != nil || n < 0 {
			return mc, usageError(fmt.Errorf("--iterations %q: give a number of iterations (0 for none) or auto", it))
		}
		mc.Iterations = n
	}
	if mc.Workers < 1 {
		return mc, usageError(fmt.Errorf("--workers %d: give at least 1", mc.Workers))
	}
	if !c.IsSet("percentiles") && c.String("percentiles") == "" {
		return mc, nil // a command without --percentiles (sweep)
	}
	for _, f := range strings.Split(c.String("percentiles"), ",") {
		p, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || p < 0 || p > 100 {
			return mc, usageError(fmt.Errorf("--percentiles: %q is not a percentile between 0 and 100", f))
		}
		mc.Percentiles = append(mc.Percentiles, p)
	}
	return mc, nil
}

func writeJSON(stdout io.Writer, path string, s output.Summary) error {
	if path == "-" {
		return output.WriteJSON(stdout, s)
	}
	return output.WriteFileAtomic(path, func(w io.Writer) error { return output.WriteJSON(w, s) })
}

// dutchToday is the calendar date in the Netherlands at now, as midnight
// UTC like the extract's dates: a row dated today is not in the future,
// even in the first hours of the Dutch day.
func dutchToday(now time.Time) time.Time {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// loadPopulation reads the extract named by --population (nil without it).
// File-level problems are exit code 3; rejected rows under --strict exit 4.
func loadPopulation(c *cli.Context, now time.Time) (*input.Population, error) {
	path := c.String("population")
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, inputError(fmt.Errorf("cannot read the population extract: %w", err))
	}
	defer f.Close()
	pop, err := input.Read(f, input.Options{Source: path, Encoding: c.String("encoding"),
		IgnoreUnknownColumns: c.Bool("ignore-unknown-columns"), Today: dutchToday(now)})
	if err != nil {
		return nil, inputError(err)
	}
	if c.Bool("strict") && len(pop.Rejected) > 0 {
		return nil, &exitError{exitRejected, fmt.Errorf("%d of %d rows rejected under --strict (first: %v); run `raming validate --population %s` for the list",
			len(pop.Rejected), pop.RowsRead, pop.Rejected[0], path)}
	}
	return pop, nil
}

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:  "validate",
		Usage: "check a population extract against the contract and list rejected rows",
		Flags: []cli.Flag{&cli.StringFlag{Name: "population", Required: true, Usage: "population extract `FILE` (CSV)"},
			&cli.StringFlag{Name: "json", Usage: "write the population part of the summary (the funnel counted with the scenario's shares) as JSON to `FILE` (\"-\" for stdout)"},
			flagScenario, flagStrict, flagEncoding, flagIgnoreCols},
		Action: func(c *cli.Context) error {
			now, err := runTime()
			if err != nil {
				return err
			}
			strict := c.Bool("strict")
			c.Set("strict", "false") // list the rejected rows before failing
			pop, err := loadPopulation(c, now)
			if err != nil {
				return err
			}
			w := c.App.Writer
			fmt.Fprintf(w, "%s: %d rows read, %d used, %d rejected (encoding %s, delimiter %q)\n",
				pop.Source, pop.RowsRead, len(pop.Records), len(pop.Rejected), pop.Encoding, pop.Delimiter)
			for _, warn := range pop.Warnings {
				fmt.Fprintln(w, "warning:", warn)
			}
			for _, r := range pop.Rejected {
				fmt.Fprintln(w, "rejected:", r)
			}
			if js := c.String("json"); js != "" {
				sc, err := scenario.Load(c.String("scenario"))
				if err != nil {
					return inputError(err)
				}
				res, err := raming.Estimate(sc, pop)
				if err != nil {
					return internalError(err)
				}
				s := output.NewSummary(res, output.Provenance{ToolVersion: toolVersion(), RunTime: now,
					Rejected: pop.Rejected, Warnings: pop.Warnings, InputSHA256: pop.SHA256})
				if err := writeJSON(w, js, output.Summary{ToolVersion: s.ToolVersion, RunTime: s.RunTime, Population: s.Population}); err != nil {
					return inputError(err)
				}
			}
			if strict && len(pop.Rejected) > 0 {
				return &exitError{exitRejected, fmt.Errorf("%d of %d rows rejected under --strict", len(pop.Rejected), pop.RowsRead)}
			}
			return nil
		},
	}
}

func sweepCommand() *cli.Command {
	return &cli.Command{
		Name:  "sweep",
		Usage: "evaluate variant B per record under every combination of its options",
		Flags: []cli.Flag{flagScenario, &cli.StringFlag{Name: "population", Required: true, Usage: "population extract `FILE` (CSV): the sweep works record by record"},
			&cli.StringFlag{Name: "out", Usage: "workbook `FILE` (.xlsx): one row per combination, sortable, with a chart of cost against access"},
			&cli.StringFlag{Name: "csv", Usage: "the same rows as CSV `FILE`"},
			&cli.StringFlag{Name: "iterations", Value: "0", Usage: "Monte Carlo iterations `N` for a P5/P50/P95 band per combination (0: none)"},
			flagSeed, flagWorkers, flagSet, flagLogFormat, flagStrict, flagEncoding, flagIgnoreCols},
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			if c.String("out") == "" && c.String("csv") == "" {
				return usageError(errors.New("nothing to write: give --out FILE.xlsx and/or --csv FILE.csv"))
			}
			now, err := runTime()
			if err != nil {
				return err
			}
			mc, err := monteCarloFlags(c)
			if err != nil {
				return err
			}
			var (
				sc   *scenario.Scenario
				pop  *input.Population
				rows []raming.SweepRow
			)
			stages := []stage{
				{"scenario", func() ([]any, error) { sc, err = loadScenario(c); return nil, err }},
				{"population", func() ([]any, error) {
					pop, err = loadPopulation(c, now)
					if err != nil {
						return nil, err
					}
					return []any{"rows_used", len(pop.Records)}, nil
				}},
				{"sweep", func() ([]any, error) {
					if rows, err = raming.Sweep(sc, pop, mc.Workers); err != nil {
						return nil, inputError(err)
					}
					if mc.Iterations > 0 {
						res, err := raming.Simulate(sc, pop, mc)
						if err != nil {
							return nil, inputError(err)
						}
						raming.SweepBands(sc, rows, res.MonteCarlo, mc.Workers)
					}
					return []any{"combinations", len(rows), "iterations", mc.Iterations}, nil
				}},
			}
			var files []output.OutputFile
			prov := output.Provenance{ToolVersion: toolVersion(), RunTime: now}
			if out := c.String("out"); out != "" {
				files = append(files, output.OutputFile{Path: out, Write: func(w io.Writer) error { return output.WriteSweepWorkbook(w, rows, sc, prov) }})
			}
			if csvPath := c.String("csv"); csvPath != "" {
				files = append(files, output.OutputFile{Path: csvPath, Write: func(w io.Writer) error { return output.WriteSweepCSV(w, rows) }})
			}
			return runStages(log, append(stages, writeStage(files)))
		},
	}
}

func generateCommand() *cli.Command {
	return &cli.Command{
		Name:  "generate",
		Usage: "write a synthetic population extract shaped like the deck (no real data)",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "rows", Value: 11000, Usage: "number of ex-partners"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed; the same seed gives the same file"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "CSV `FILE` to write (\"-\" for stdout)"},
			&cli.StringFlag{Name: "dialect", Value: "standard", Usage: "standard (UTF-8, comma, ISO dates) or nl (Dutch Excel: Windows-1252, semicolon, DD-MM-YYYY, decimal comma)"},
		},
		Action: func(c *cli.Context) error {
			if c.Int("rows") < 1 {
				return usageError(fmt.Errorf("--rows %d: give at least 1 row", c.Int("rows")))
			}
			d := c.String("dialect")
			if d != "standard" && d != "nl" {
				return usageError(fmt.Errorf("--dialect %q: use standard or nl", d))
			}
			opts := input.GenerateOptions{Rows: c.Int("rows"), Seed: c.Uint64("seed"), Dialect: d}
			gen := func(w io.Writer) error { return input.Generate(w, opts) }
			if c.String("out") == "-" {
				return gen(c.App.Writer)
			}
			if err := output.WriteFileAtomic(c.String("out"), gen); err != nil {
				return inputError(err)
			}
			return nil
		},
	}
}

func scenarioCommand() *cli.Command {
	return &cli.Command{
		Name:  "scenario",
		Usage: "list or print scenarios (copy one to edit it)",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the built-in scenarios",
				Action: func(c *cli.Context) error {
					for _, n := range scenario.BuiltinNames() {
						sc, err := scenario.Load(n)
						if err != nil {
							return internalError(err)
						}
						fmt.Fprintf(c.App.Writer, "%-12s %s\n", n, sc.Description)
					}
					return nil
				},
			},
			{
				Name:      "show",
				Usage:     "print a scenario (built-in name or file) as TOML",
				ArgsUsage: "NAME|FILE",
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageError(fmt.Errorf("give one scenario: %s, or a file", strings.Join(scenario.BuiltinNames(), ", ")))
					}
					sc, err := scenario.Load(c.Args().First())
					if err != nil {
						return inputError(err)
					}
					_, err = c.App.Writer.Write(sc.Text)
					return err
				},
			},
		},
	}
}
