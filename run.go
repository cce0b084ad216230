package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"raming/input"
	"raming/output"
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
			&cli.StringFlag{Name: "out-dir", Usage: "write raming-YYYY-MM-DD.xlsx and .json into `DIR` (for schedulers; the date from SOURCE_DATE_EPOCH or today)"},
			&cli.StringFlag{Name: "records", Usage: "write variant B per record to `FILE.csv` (person-level: for the execution, not for publication)"},
			flagSet,
			&cli.StringFlag{Name: "baseline", Usage: "compare with a previous JSON summary `FILE` (last night's): changes split into scenario, data and Monte Carlo noise"},
			flagLogFormat,
			flagIterations, flagSeed, flagWorkers, flagPercentiles,
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
	xlsx, json        string // json "-" is stdout
	records, baseline string
	mc                raming.MC // Iterations 0: the deterministic estimate only
	smallCell         int
	logFormat         string
}

func runConfigFrom(c *cli.Context) (runConfig, error) {
	if err := noArgs(c); err != nil {
		return runConfig{}, err
	}
	now, err := runTime()
	if err != nil {
		return runConfig{}, err
	}
	cfg := runConfig{input: inputFlags(c), now: now, xlsx: c.String("out"), json: c.String("json"), records: c.String("records"),
		baseline: c.String("baseline"), smallCell: c.Int("small-cell"), logFormat: c.String("log-format")}
	if dir := c.String("out-dir"); dir != "" {
		if cfg.xlsx != "" || cfg.json != "" {
			return cfg, usage("give either --out-dir or --out/--json, not both")
		}
		base := filepath.Join(dir, "raming-"+now.UTC().Format("2006-01-02"))
		cfg.xlsx, cfg.json = base+".xlsx", base+".json"
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
	return cfg, output.CheckPaths([]string{cfg.xlsx, cfg.json, cfg.records}, []string{cfg.input.population, cfg.input.scenario, cfg.baseline})
}

// run reads, estimates and writes; one log line per stage.
func (cfg runConfig) run(stdout, stderr io.Writer) error {
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	var (
		sc       *scenario.Scenario
		pop      *input.Population
		res      *raming.Result
		baseline *raming.Baseline
	)
	stages := []stage{
		{"scenario", func() ([]any, error) {
			if sc, err = cfg.input.loadScenario(); err != nil {
				return nil, err
			}
			return []any{"name", sc.Name, "sha256", sc.SHA256, "set", cfg.input.sets}, nil
		}},
		{"population", func() ([]any, error) {
			if pop, err = cfg.input.loadPopulation(cfg.now); err != nil || pop == nil {
				return []any{"source", "scenario"}, err
			}
			return []any{"source", pop.Source, "rows_read", pop.RowsRead, "rows_used", len(pop.Records), "rows_rejected", len(pop.Rejected)}, nil
		}},
		{"estimate", func() ([]any, error) {
			if res, err = estimate(sc, pop, cfg.mc, stderr); err != nil {
				return nil, err
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
			return []any{"iterations", res.MonteCarlo.Iterations, "seed", res.MonteCarlo.Seed}, nil
		}},
	}
	if cfg.baseline != "" {
		stages = append(stages, stage{"baseline", func() ([]any, error) {
			if baseline, err = compareBaseline(cfg.baseline, res, pop); err != nil {
				return nil, err
			}
			return []any{"file", cfg.baseline, "scenario_changed", baseline.ScenarioChanged, "data_changed", baseline.DataChanged}, nil
		}})
	}
	prov := func() output.Provenance {
		p := output.Provenance{ToolVersion: toolVersion(), RunTime: cfg.now, SmallCell: cfg.smallCell, Baseline: baseline}
		if pop != nil {
			p.Rejected, p.Warnings, p.InputSHA256 = pop.Rejected, pop.Warnings, pop.SHA256
		}
		return p
	}
	var files []output.OutputFile
	if cfg.xlsx != "" {
		files = append(files, output.OutputFile{Path: cfg.xlsx, Write: func(w io.Writer) error { return output.WriteWorkbook(w, res, prov()) }})
	}
	if cfg.records != "" {
		files = append(files, output.OutputFile{Path: cfg.records, Private: true, Write: func(w io.Writer) error {
			recs, err := raming.RecordsB(sc, pop)
			if err != nil {
				return err
			}
			return output.WriteRecordsCSV(w, perRecordCase(res), recs)
		}})
	}
	summary := func(w io.Writer) error { return output.WriteJSON(w, output.NewSummary(res, prov())) }
	if cfg.json != "" && cfg.json != "-" {
		files = append(files, output.OutputFile{Path: cfg.json, Write: summary})
	}
	if len(files) > 0 {
		stages = append(stages, writeStage(files))
	}
	if cfg.json == "-" { // after the files: stdout cannot be taken back
		stages = append(stages, stage{"json", func() ([]any, error) {
			if err := summary(stdout); err != nil {
				return nil, &output.WriteError{Path: "stdout", Err: err}
			}
			return []any{"file", "stdout"}, nil
		}})
	}
	return runStages(log, stages)
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
// unless mc.Iterations is 0, with a progress bar on a terminal.
func estimate(sc *scenario.Scenario, pop *input.Population, mc raming.MC, stderr io.Writer) (*raming.Result, error) {
	if mc.Iterations == 0 {
		return raming.Estimate(sc, pop)
	}
	bar := newProgress(stderr)
	mc.Progress = bar.update
	defer bar.finish()
	return raming.Simulate(sc, pop, mc)
}

// compareBaseline compares the result with a previous JSON summary. To
// split each change into data and scenario, the previous scenario (carried
// in the summary) is evaluated on tonight's population.
func compareBaseline(path string, res *raming.Result, pop *input.Population) (*raming.Baseline, error) {
	before, err := output.ReadSummary(path)
	if err != nil {
		return nil, err
	}
	text := before.ScenarioText
	var same *raming.Result
	note := ""
	if text == "" {
		note = "the baseline carries no scenario text, so changes are not split into data and scenario"
	} else if oldSc, err := baselineScenario(text, before.ScenarioSet); err != nil {
		note = "the baseline's scenario no longer reads with this version (" + err.Error() + "), so changes are not split into data and scenario"
	} else if same, err = raming.Estimate(oldSc, pop); err != nil {
		note = "the baseline's scenario cannot be computed on this population (" + err.Error() + "), so changes are not split into data and scenario"
		same = nil
	}
	sha := ""
	if pop != nil {
		sha = pop.SHA256
	}
	return raming.Compare(before, res, sha, same, note), nil
}

// baselineScenario is an earlier run's scenario: its text with its --set
// changes applied again.
func baselineScenario(text string, sets []string) (*scenario.Scenario, error) {
	sc, err := scenario.Parse([]byte(text), "baseline scenario")
	if err != nil {
		return nil, err
	}
	for _, kv := range sets {
		k, v, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, v); err != nil {
			return nil, err
		}
	}
	return sc, sc.Revalidate()
}

// writeStage writes the outputs atomically and together: prepared in full
// first, renamed at the end, so a run that fails at any point leaves the
// existing outputs untouched.
func writeStage(files []output.OutputFile) stage {
	return stage{"write", func() ([]any, error) {
		if err := output.WriteFilesAtomic(files); err != nil {
			return nil, err
		}
		var paths []string
		for _, f := range files {
			paths = append(paths, f.Path)
		}
		return []any{"files", paths}, nil
	}}
}
