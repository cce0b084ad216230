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
	"raming/internal/bsn"
	"raming/internal/clock"
	"raming/internal/progress"
	"raming/output"
	"raming/published"
	"raming/raming"
	"raming/scenario"
)

func runCommand() *cli.Command {
	f := newSharedFlags()
	return &cli.Command{
		Name:  "run",
		Usage: "compute variants A-E and write the workbook and JSON summary",
		Flags: []cli.Flag{f.scenario, &cli.StringFlag{Name: "population", Usage: "population extract `FILE` (CSV, Unicode text or an Excel workbook .xlsx; see docs/input.md); without it the scenario's base population is used"},
			&cli.StringFlag{Name: "out", Usage: "workbook `FILE` (.xlsx) to write"},
			&cli.StringFlag{Name: "json", Usage: "JSON summary `FILE` to write (\"-\" for stdout)"},
			&cli.StringFlag{Name: "out-dir", Usage: "write raming-YYYY-MM-DD.xlsx and .json into `DIR` (for schedulers), dated in the Netherlands' time zone (Europe/Amsterdam) at SOURCE_DATE_EPOCH or now, whatever the machine's zone"},
			&cli.StringFlag{Name: "records", Usage: "write variant B per record to `FILE.csv` (person-level: for the execution, not for publication)"},
			csvDialectFlag("--records"),
			f.set,
			&cli.StringFlag{Name: "baseline", Usage: "compare with a previous JSON summary `FILE` (last night's): changes split into scenario, data and Monte Carlo noise; \"latest\" (with --out-dir) takes the newest summary in DIR dated before this run, none on the first night (a file named latest: ./latest)"},
			f.logFormat,
			&cli.StringFlag{Name: "iterations", Value: "10000", Usage: "Monte Carlo iterations `N`, 0 for the deterministic estimate only, or auto (until every case's P95 is stable to 0.5%)"},
			f.seed, f.workers, f.maxMemory,
			&cli.StringFlag{Name: "percentiles", Value: "5,50,95", Usage: "percentiles to report, comma-separated (5, 50 and 95 always)"},
			&cli.StringSliceFlag{Name: "budget-case", Usage: "the case whose budget table the workbook shows for its variant (`CASE`, repeatable, e.g. A-30k; default: each variant's central case)"},
			&cli.IntFlag{Name: "budget-year", Usage: "the budget year `T` whose tables the workbook and JSON show: T-2 ... T+5, earlier and later years in a column each, at prijspeil T", DefaultText: "the year after the run's date in the Netherlands"},
			&cli.Float64Flag{Name: "risk-level", Value: 90, Usage: "percentile `P` of the budget tables' indication of a risk reservation (P - raming), above 50 and below 100"},
			&cli.StringFlag{Name: "published", Usage: "set published figures beside the estimate of the same scope (sheet Gepubliceerde cijfers, JSON published): a built-in set (" + strings.Join(published.BuiltinNames(), ", ") + ") or a `FILE` (.toml; docs/published-reference.md)"},
			&cli.StringFlag{Name: "published-case", Usage: "the `CASE` the published figures are compared with (default: the central case of variant W, the scheme as adopted: --scenario wet-2023)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print no summary table at the end"},
			f.strict, f.maxRejected, f.encoding, f.sheet, f.ignoreCols,
			smallCellFlag()},
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
	xlsx, json        string         // json "-" is stdout
	outDir            string         // "" without --out-dir
	records, baseline string         // baseline baselineLatest: the newest summary in outDir
	dialect           output.Dialect // of the --records CSV
	mc                raming.MC      // Iterations 0: the deterministic estimate only
	logFormat         string
	budgetCases       []string
	quiet             bool
	published         *published.Set // nil without --published
	publishedCase     string
	opts              output.Options
}

// The budget years --budget-year accepts.
const (
	minBudgetYear = 2000
	maxBudgetYear = 2100
)

// baselineLatest is the value of --baseline that takes the newest earlier
// summary in the --out-dir.
const baselineLatest = "latest"

func runConfigFrom(c *cli.Context) (runConfig, error) {
	if err := noArgs(c); err != nil {
		return runConfig{}, err
	}
	now, err := runTime()
	if err != nil {
		return runConfig{}, err
	}
	cfg := runConfig{input: inputFlags(c), now: now, xlsx: c.String("out"), json: c.String("json"), outDir: c.String("out-dir"), records: c.String("records"),
		baseline: c.String("baseline"), logFormat: c.String("log-format"), budgetCases: c.StringSlice("budget-case"), quiet: c.Bool("quiet"),
		publishedCase: c.String("published-case"), opts: output.Options{SmallCell: c.Int("small-cell"), RiskLevel: c.Float64("risk-level")}}
	if cfg.dialect, err = output.ParseDialect(c.String("dialect")); err != nil {
		return cfg, usage("%v", err)
	}
	if err := checkSmallCell(cfg.opts.SmallCell); err != nil {
		return cfg, err
	}
	if cfg.publishedCase != "" && c.String("published") == "" {
		return cfg, usage("--published-case needs --published: give the published figures to compare with")
	}
	if c.String("published") != "" { // read before any work: a mistake in the file shows at once
		if cfg.published, err = published.Load(c.String("published")); err != nil {
			return cfg, err
		}
	}
	cfg.opts.BudgetYear = output.DefaultBudgetYear(now)
	if c.IsSet("budget-year") {
		cfg.opts.BudgetYear = c.Int("budget-year")
		if y := cfg.opts.BudgetYear; y < minBudgetYear || y > maxBudgetYear {
			return cfg, usage("--budget-year %d: give the year of the begroting, from %d to %d (e.g. %d)", y, minBudgetYear, maxBudgetYear, output.DefaultBudgetYear(now))
		}
	}
	if r := cfg.opts.RiskLevel; !(r > 50 && r < 100) {
		return cfg, usage("--risk-level %v: give a percentile above 50 and below 100, e.g. 90", r)
	}
	if cfg.outDir != "" {
		if cfg.xlsx != "" || cfg.json != "" {
			return cfg, usage("give either --out-dir or --out/--json, not both")
		}
		base := filepath.Join(cfg.outDir, "raming-"+clock.Date(now))
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
		return cfg, usage("nothing to write: give --out FILE.xlsx and/or --json FILE.json, or --out-dir DIR")
	}
	if cfg.xlsx != "" && !strings.EqualFold(filepath.Ext(cfg.xlsx), ".xlsx") {
		return cfg, usage("--out %s: the workbook's name must end in .xlsx (for the JSON summary use --json)", cfg.xlsx)
	}
	if err := privateFile("--records", cfg.records); err != nil {
		return cfg, err
	}
	if cfg.records != "" && cfg.input.population == "" {
		return cfg, usage("--records needs --population: variant B is computed per record only on an extract")
	}
	if err := cfg.input.checkSheet(); err != nil {
		return cfg, err
	}
	if cfg.mc, err = monteCarloFlags(c, ""); err != nil {
		return cfg, err
	}
	cfg.mc.Percentiles = append(cfg.mc.Percentiles, cfg.opts.RiskLevel)
	return cfg, atomicfile.CheckPaths([]string{cfg.xlsx, cfg.json, cfg.records}, []string{cfg.input.population, cfg.input.scenario, baselineFile, c.String("published")})
}

// run reads, estimates and writes, one stage after the other, each logged.
func (cfg runConfig) run(stdout, stderr io.Writer) error {
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	bar := progress.New(stderr)
	defer bar.Finish()
	sc, err := stage(log, "scenario", func() (*scenario.Scenario, []any, error) {
		sc, err := cfg.input.loadScenario()
		if err != nil {
			return nil, nil, err
		}
		return sc, []any{"name", sc.Name, "sha256", sc.SHA256, "set", cfg.input.sets}, nil
	})
	if err != nil {
		return err
	}
	pop, err := cfg.input.populationStage(cfg.now, log)
	if err != nil {
		return err
	}
	res, err := stage(log, "estimate", func() (*raming.Result, []any, error) {
		mc := cfg.mc
		mc.Progress = bar.Update
		res, err := raming.Run(sc, pop, mc, cfg.now.In(clock.Dutch).Year())
		if err != nil {
			return nil, nil, err
		}
		for _, w := range res.Warnings {
			log.Warn(w)
		}
		if res.MonteCarlo == nil {
			return res, nil, nil
		}
		return res, []any{"iterations", res.MonteCarlo.Iterations, "seed", res.MonteCarlo.Seed, "memory_mb", res.MonteCarlo.Memory >> 20}, nil
	})
	if err != nil {
		return err
	}
	if err := cfg.compare(log, res, pop); err != nil {
		return err
	}
	if cfg.opts.BudgetCases, err = cfg.budgetTables(log, res); err != nil {
		return err
	}
	files := cfg.outputs(sc, pop, res)
	if len(files) > 0 {
		bar.Writing()
		if err := writeFiles(log, files); err != nil {
			return err
		}
	}
	if cfg.json == "-" { // after the files: stdout cannot be taken back
		if err := step(log, "json", func() ([]any, error) {
			if err := output.WriteJSON(stdout, res, cfg.provenance(), cfg.opts); err != nil {
				return nil, &stdoutError{err}
			}
			return []any{"file", "stdout"}, nil
		}); err != nil {
			return err
		}
	}
	if cfg.quiet {
		return nil
	}
	w, written := stdout, []string{}
	if cfg.json == "-" {
		w = stderr
	}
	for _, f := range files {
		written = append(written, bsn.MaskText(f.Path))
	}
	output.WriteTable(w, res, cfg.opts, written)
	if pop != nil && len(pop.Rejected) > 0 { // under the table: rows left out must not go unseen
		fmt.Fprintln(w, pop.RejectedSummary()+"; the estimate leaves them out")
	}
	return nil
}

func (cfg runConfig) provenance() output.Provenance {
	return output.Provenance{ToolVersion: toolVersion(), RunTime: cfg.now}
}

// compare sets the comparison with an earlier run (--baseline) and with
// published figures (--published) on the result, a stage each.
func (cfg runConfig) compare(log *slog.Logger, res *raming.Result, pop *input.Population) error {
	if cfg.baseline != "" {
		if err := step(log, "baseline", func() ([]any, error) {
			before, err := cfg.previousSummary(log)
			if err != nil {
				return nil, err
			}
			if before == nil {
				return []any{"file", "none"}, nil
			}
			raming.SetBaseline(res, before, pop)
			if note := res.Baseline.Note; note != "" {
				log.Warn("--baseline: "+note, "file", before.File)
			}
			return []any{"file", before.File, "scenario_changed", res.Baseline.ScenarioChanged, "data_changed", res.Baseline.DataChanged}, nil
		}); err != nil {
			return err
		}
	}
	if set := cfg.published; set != nil {
		return step(log, "published", func() ([]any, error) {
			if err := raming.SetPublished(res, set, cfg.publishedCase); err != nil {
				return nil, usage("--published: %v (--published-case CASE; cases: %s)", err, strings.Join(res.CaseIDs(), ", "))
			}
			return []any{"set", set.Origin, "figures", len(set.Figures), "case", res.Published.CaseID}, nil
		})
	}
	return nil
}

// previousSummary reads the summary --baseline names; with "latest", the
// newest one in the --out-dir dated before this run, logging the files it
// passed over, or nil (with a warning) when there is none: the first night.
func (cfg runConfig) previousSummary(log *slog.Logger) (*raming.Previous, error) {
	if cfg.baseline != baselineLatest {
		return baseline.Read(cfg.baseline)
	}
	day := clock.Date(cfg.now)
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

// budgetTables maps each variant to the case --budget-case names for its
// budget table (a stage only when the flag is given).
func (cfg runConfig) budgetTables(log *slog.Logger, res *raming.Result) (map[string]string, error) {
	cases := map[string]string{}
	if len(cfg.budgetCases) == 0 {
		return cases, nil
	}
	return cases, step(log, "budget cases", func() ([]any, error) {
		for _, id := range cfg.budgetCases {
			v := res.VariantOf(id)
			if v == nil {
				return nil, usage("--budget-case %s: no such case; cases: %s", id, strings.Join(res.CaseIDs(), ", "))
			}
			if other, ok := cases[v.ID]; ok && other != id {
				return nil, usage("--budget-case %s and %s are both cases of variant %s: give one case per variant", other, id, v.ID)
			}
			cases[v.ID] = id
		}
		return []any{"cases", cases}, nil
	})
}

// outputs are the files of the run, each rendered by output when written.
func (cfg runConfig) outputs(sc *scenario.Scenario, pop *input.Population, res *raming.Result) []atomicfile.File {
	var files []atomicfile.File
	if cfg.xlsx != "" {
		files = append(files, atomicfile.File{Path: cfg.xlsx, Write: func(w io.Writer) error { return output.WriteWorkbook(w, res, cfg.provenance(), cfg.opts) }})
	}
	if cfg.records != "" {
		files = append(files, atomicfile.File{Path: cfg.records, Private: true, Write: func(w io.Writer) error {
			recs, err := raming.RecordsB(sc, pop)
			if err != nil {
				return err
			}
			caseID := ""
			if c := res.PerRecordCase(); c != nil {
				caseID = c.ID
			}
			return output.WriteRecordsCSV(w, caseID, recs, cfg.dialect)
		}})
	}
	if cfg.json != "" && cfg.json != "-" {
		files = append(files, atomicfile.File{Path: cfg.json, Write: func(w io.Writer) error { return output.WriteJSON(w, res, cfg.provenance(), cfg.opts) }})
	}
	return files
}

// writeFiles writes the outputs atomically and together: prepared in full
// first, renamed at the end, so a run that fails at any point leaves the
// existing outputs untouched.
func writeFiles(log *slog.Logger, files []atomicfile.File) error {
	return step(log, "write", func() ([]any, error) {
		if err := atomicfile.WriteAll(files); err != nil {
			return nil, err
		}
		var paths []string
		for _, f := range files {
			paths = append(paths, f.Path)
		}
		return []any{"files", paths}, nil
	})
}

// smallCellFlag is --small-cell of every command that shows figures of an
// extract (docs/methodology.md, "Small cells").
func smallCellFlag() cli.Flag {
	return &cli.IntFlag{Name: "small-cell", Value: 10, Usage: "figures resting on fewer than `N` people of the extract are not shown (counts below N as \"<N\"; docs/methodology.md, Small cells)"}
}

// checkSmallCell refuses a --small-cell below 1.
func checkSmallCell(n int) error {
	if n < 1 {
		return usage("--small-cell %d: give the smallest count of people to show, at least 1 (default 10)", n)
	}
	return nil
}
