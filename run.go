package main

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"raming/baseline"
	"raming/input"
	"raming/internal/atomicfile"
	"raming/output"
	"raming/published"
	"raming/raming"
	"raming/scenario"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "compute variants A-E and write the workbook and JSON summary",
		Flags: []cli.Flag{flagScenario, flagPopulation,
			&cli.StringFlag{Name: "out", Usage: "workbook `FILE` (.xlsx) to write"},
			&cli.StringFlag{Name: "json", Usage: "JSON summary `FILE` to write (\"-\" for stdout)"},
			&cli.StringFlag{Name: "out-dir", Usage: "write raming-YYYY-MM-DD.xlsx and .json into `DIR` (for schedulers), dated in the Netherlands' time zone (Europe/Amsterdam) at SOURCE_DATE_EPOCH or now, whatever the machine's zone"},
			&cli.StringFlag{Name: "records", Usage: "write variant B per record to `FILE.csv` (person-level: for the execution, not for publication)"},
			flagSet,
			&cli.StringFlag{Name: "baseline", Usage: "compare with a previous JSON summary `FILE` (last night's): changes split into scenario, data and Monte Carlo noise; \"latest\" (with --out-dir) takes the newest summary in DIR dated before this run, none on the first night (a file named latest: ./latest)"},
			flagLogFormat,
			flagIterations, flagSeed, flagWorkers, flagMaxMemory, flagPercentiles,
			&cli.StringSliceFlag{Name: "budget-case", Usage: "the case whose budget table the workbook shows for its variant (`CASE`, repeatable, e.g. A-30k; default: each variant's central case)"},
			&cli.Float64Flag{Name: "risk-level", Value: 90, Usage: "percentile `P` of the budget tables' indication of a risk reservation (P - raming), above 50 and below 100"},
			&cli.StringFlag{Name: "published", Usage: "set published figures beside the estimate of the same scope (sheet Gepubliceerde cijfers, JSON published): a built-in set (" + strings.Join(published.BuiltinNames(), ", ") + ") or a `FILE` (.toml; docs/published-reference.md)"},
			&cli.StringFlag{Name: "published-case", Usage: "the `CASE` the published figures are compared with (default: the central case of variant W, the scheme as adopted: --scenario wet-2023)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print no summary table at the end"},
			flagStrict, flagEncoding, flagIgnoreCols, flagSmallCell},
		Action: func(c *cli.Context) error {
			cfg, err := runConfigFrom(c)
			if err != nil {
				return err
			}
			return cfg.run(c.App.Writer, c.App.ErrWriter)
		},
	}
}

// runConfig is `raming run`, read from its flags.
type runConfig struct {
	input             inputConfig
	now               time.Time
	xlsx, json        string    // json "-" is stdout
	outDir            string    // "" without --out-dir
	records, baseline string    // baseline baselineLatest: the newest summary in outDir
	mc                raming.MC // Iterations 0: the deterministic estimate only
	smallCell         int
	logFormat         string
	budgetCases       []string
	riskLevel         float64
	quiet             bool
	published         string // "" without --published
	publishedSet      *published.Set
	publishedCase     string
}

func runConfigFrom(c *cli.Context) (runConfig, error) {
	if err := noArgs(c); err != nil {
		return runConfig{}, err
	}
	now, err := runTime()
	if err != nil {
		return runConfig{}, err
	}
	cfg := runConfig{input: inputFlags(c), now: now, xlsx: c.String("out"), json: c.String("json"), outDir: c.String("out-dir"), records: c.String("records"),
		baseline: c.String("baseline"), smallCell: c.Int("small-cell"), logFormat: c.String("log-format"),
		budgetCases: c.StringSlice("budget-case"), riskLevel: c.Float64("risk-level"), quiet: c.Bool("quiet"),
		published: c.String("published"), publishedCase: c.String("published-case")}
	if cfg.smallCell < 1 {
		return cfg, usage("--small-cell %d: give the smallest count of people to show, at least 1 (default 10)", cfg.smallCell)
	}
	if cfg.publishedCase != "" && cfg.published == "" {
		return cfg, usage("--published-case needs --published: give the published figures to compare with")
	}
	if cfg.published != "" { // read before any work: a mistake in the file shows at once
		if cfg.publishedSet, err = published.Load(cfg.published); err != nil {
			return cfg, err
		}
	}
	if !(cfg.riskLevel > 50 && cfg.riskLevel < 100) {
		return cfg, usage("--risk-level %v: give a percentile above 50 and below 100, e.g. 90", cfg.riskLevel)
	}
	if cfg.outDir != "" {
		if cfg.xlsx != "" || cfg.json != "" {
			return cfg, usage("give either --out-dir or --out/--json, not both")
		}
		base := filepath.Join(cfg.outDir, "raming-"+dutchDate(now))
		cfg.xlsx, cfg.json = base+".xlsx", base+".json"
	}
	baselineFile := cfg.baseline
	if cfg.baseline == baselineLatest {
		if cfg.outDir == "" {
			return cfg, usage("--baseline latest needs --out-dir: it takes the newest summary in that directory; with --out or --json, give the summary's file: --baseline FILE.json")
		}
		baselineFile = ""
	}
	if cfg.xlsx == "" && cfg.json == "" {
		return cfg, usage("%v: give --out FILE.xlsx and/or --json FILE.json, or --out-dir DIR", errNothingToWrite)
	}
	if cfg.xlsx != "" && !strings.EqualFold(filepath.Ext(cfg.xlsx), ".xlsx") {
		return cfg, usage("--out %s: the workbook's name must end in .xlsx (for the JSON summary use --json)", cfg.xlsx)
	}
	if cfg.records != "" && cfg.input.population == "" {
		return cfg, usage("--records needs --population: variant B is computed per record only on an extract")
	}
	if cfg.mc, err = monteCarloFlags(c); err != nil {
		return cfg, err
	}
	cfg.mc.Percentiles = append(cfg.mc.Percentiles, cfg.riskLevel)
	return cfg, atomicfile.CheckPaths([]string{cfg.xlsx, cfg.json, cfg.records}, []string{cfg.input.population, cfg.input.scenario, baselineFile, cfg.published})
}

// baselineLatest is the value of --baseline that takes the newest earlier
// summary in the --out-dir.
const baselineLatest = "latest"

// run reads, estimates and writes; one log line per stage.
func (cfg runConfig) run(stdout, stderr io.Writer) error {
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	var (
		sc  *scenario.Scenario
		pop *input.Population
		res *raming.Result
	)
	bar := newProgress(stderr)
	defer bar.finish()
	stages := []stage{
		{"scenario", func() ([]any, error) {
			if sc, err = cfg.input.loadScenario(); err != nil {
				return nil, err
			}
			return []any{"name", sc.Name, "sha256", sc.SHA256, "set", cfg.input.sets}, nil
		}},
		{"population", func() ([]any, error) {
			if pop, err = cfg.input.loadPopulation(cfg.now); err != nil {
				return []any{"source", cfg.input.population}, err
			}
			if pop == nil {
				return []any{"source", "scenario"}, nil
			}
			return []any{"source", pop.Source, "rows_read", pop.RowsRead, "rows_used", len(pop.Records), "rows_rejected", len(pop.Rejected)}, nil
		}},
		{"estimate", func() ([]any, error) {
			if res, err = estimate(sc, pop, cfg.mc, bar); err != nil {
				return nil, err
			}
			if sim := res.MonteCarlo; sim != nil && sim.Auto && !sim.Converged {
				res.Warnings = append(res.Warnings, fmt.Sprintf("--iterations auto stopped at its maximum of %d iterations before the P95 of every case was stable to %v%%: the percentiles are less precise than auto aims for (see their standard errors); check whether an uncertainty in the scenario is wider than intended, or give --iterations N",
					sim.Iterations, raming.AutoTolerance*100))
			}
			if n := cfg.mc.Iterations; n > 0 && n < 1000 && !cfg.mc.Auto {
				res.Warnings = append(res.Warnings, fmt.Sprintf("only %d Monte Carlo iterations: the bands and percentiles are rough (their standard errors say how rough); use 10000, the default, or more", n))
			}
			if y := int(sc.Phasing.OpeningYear.Value.IntPart()); y < cfg.now.Year() {
				res.Warnings = append(res.Warnings, fmt.Sprintf("phasing.opening_year %d lies before this run's year %d: the budget years before %d are past, and their amounts are what the scenario assumes, not what was spent",
					y, cfg.now.Year(), cfg.now.Year()))
			}
			for _, w := range res.Warnings {
				log.Warn(w)
			}
			if res.MonteCarlo == nil {
				return nil, nil
			}
			return []any{"iterations", res.MonteCarlo.Iterations, "seed", res.MonteCarlo.Seed, "memory_mb", res.MonteCarlo.Memory >> 20}, nil
		}},
	}
	if cfg.baseline != "" {
		stages = append(stages, stage{"baseline", func() ([]any, error) {
			before, err := cfg.previousSummary(log)
			if err != nil {
				return nil, err
			}
			if before == nil {
				return []any{"file", "none"}, nil
			}
			raming.SetBaseline(res, before, pop)
			return []any{"file", before.File, "scenario_changed", res.Baseline.ScenarioChanged, "data_changed", res.Baseline.DataChanged}, nil
		}})
	}
	if cfg.published != "" {
		stages = append(stages, stage{"published", func() ([]any, error) {
			set := cfg.publishedSet
			if err := raming.SetPublished(res, set, cfg.publishedCase); err != nil {
				return nil, usage("--published: %v (--published-case CASE; cases: %s)", err, strings.Join(caseIDs(res), ", "))
			}
			return []any{"set", set.Origin, "figures", len(set.Figures), "case", res.Published.CaseID}, nil
		}})
	}
	budgetCases := map[string]string{}
	if len(cfg.budgetCases) > 0 {
		stages = append(stages, stage{"budget cases", func() ([]any, error) {
			for _, id := range cfg.budgetCases {
				v := caseVariant(res, id)
				if v == "" {
					return nil, usage("--budget-case %s: no such case; cases: %s", id, strings.Join(caseIDs(res), ", "))
				}
				if other, ok := budgetCases[v]; ok && other != id {
					return nil, usage("--budget-case %s and %s are both cases of variant %s: give one case per variant", other, id, v)
				}
				budgetCases[v] = id
			}
			return []any{"cases", budgetCases}, nil
		}})
	}
	prov := output.Provenance{ToolVersion: toolVersion(), RunTime: cfg.now}
	opts := output.Options{SmallCell: cfg.smallCell, BudgetCases: budgetCases, RiskLevel: cfg.riskLevel}
	var files []atomicfile.File
	if cfg.xlsx != "" {
		files = append(files, atomicfile.File{Path: cfg.xlsx, Write: func(w io.Writer) error { return output.WriteWorkbook(w, res, prov, opts) }})
	}
	if cfg.records != "" {
		files = append(files, atomicfile.File{Path: cfg.records, Private: true, Write: func(w io.Writer) error {
			recs, err := raming.RecordsB(sc, pop)
			if err != nil {
				return err
			}
			return output.WriteRecordsCSV(w, perRecordCase(res), recs)
		}})
	}
	summary := func(w io.Writer) error { return output.WriteJSON(w, res, prov, opts) }
	if cfg.json != "" && cfg.json != "-" {
		files = append(files, atomicfile.File{Path: cfg.json, Write: summary})
	}
	if len(files) > 0 {
		write := writeStage(files)
		stages = append(stages, stage{write.name, func() ([]any, error) { bar.writing(); return write.run() }})
	}
	if cfg.json == "-" { // after the files: stdout cannot be taken back
		stages = append(stages, stage{"json", func() ([]any, error) {
			if err := summary(stdout); err != nil {
				return nil, &atomicfile.WriteError{Path: "stdout", Err: err}
			}
			return []any{"file", "stdout"}, nil
		}})
	}
	if err := runStages(log, stages); err != nil {
		return err
	}
	if !cfg.quiet {
		w := stdout
		if cfg.json == "-" {
			w = stderr
		}
		var written []string
		for _, f := range files {
			written = append(written, f.Path)
		}
		output.WriteTable(w, res, written)
	}
	return nil
}

// caseVariant is the id of the variant a case belongs to ("" if none).
func caseVariant(res *raming.Result, caseID string) string {
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			if c.ID == caseID {
				return v.ID
			}
		}
	}
	return ""
}

func caseIDs(res *raming.Result) []string {
	var ids []string
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// perRecordCase is the id of the case computed per record ("" if none).
func perRecordCase(res *raming.Result) string {
	for _, v := range res.Variants {
		for _, c := range v.Cases {
			if c.PerRecord != nil {
				return c.ID
			}
		}
	}
	return ""
}

// estimate runs the deterministic estimate, and the Monte Carlo simulation
// unless mc.Iterations is 0, telling the progress bar.
func estimate(sc *scenario.Scenario, pop *input.Population, mc raming.MC, bar *progress) (*raming.Result, error) {
	if mc.Iterations == 0 {
		return raming.Estimate(sc, pop)
	}
	mc.Progress = bar.update
	return raming.Simulate(sc, pop, mc)
}

// previousSummary reads the summary --baseline names; with "latest", the
// newest one in the --out-dir dated before this run, logging the files it
// passed over, or nil (with a warning) when there is none: the first night.
func (cfg runConfig) previousSummary(log *slog.Logger) (*raming.Previous, error) {
	if cfg.baseline != baselineLatest {
		return baseline.Read(cfg.baseline)
	}
	day := dutchDate(cfg.now)
	before, skipped, err := baseline.Latest(cfg.outDir, day)
	for _, s := range skipped {
		log.Warn("--baseline latest: passed over a file that is not a readable summary", "error", s.Error())
	}
	if err == nil && before == nil {
		log.Warn("--baseline latest: no earlier summary to compare with (the first night?); the run goes on without a comparison",
			"dir", cfg.outDir, "before", day)
	}
	return before, err
}

// writeStage writes the outputs atomically and together: prepared in full
// first, renamed at the end, so a run that fails at any point leaves the
// existing outputs untouched.
func writeStage(files []atomicfile.File) stage {
	return stage{"write", func() ([]any, error) {
		if err := atomicfile.WriteAll(files); err != nil {
			return nil, err
		}
		var paths []string
		for _, f := range files {
			paths = append(paths, f.Path)
		}
		return []any{"files", paths}, nil
	}}
}
