package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"raming/internal/atomicfile"
	"raming/internal/bsn"
	"raming/internal/progress"
	"raming/output"
	"raming/raming"
	"raming/scenario"
)

func compareCommand() *cli.Command {
	f := newSharedFlags()
	scenarios := strings.Join(scenario.BuiltinNames(), ", ")
	return &cli.Command{
		Name:  "compare",
		Usage: "compare two scenarios on the same population and the same random numbers, with the difference split over the keys that differ",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "base", Value: "deck", Usage: "the base scenario: built-in (" + scenarios + ") or a scenario `FILE`"},
			&cli.StringFlag{Name: "other", Usage: "the scenario compared with the base: built-in or a `FILE` (default: the base, changed by --other-set)"},
			f.set,
			&cli.StringSliceFlag{Name: "other-set", Usage: "change the other scenario only: `KEY=VALUE`, repeatable, after --set (a what-if without writing a file)"},
			&cli.StringFlag{Name: "population", Usage: "population extract `FILE` (CSV, Unicode text or .xlsx); without it each scenario's base population"},
			&cli.StringFlag{Name: "iterations", Value: "10000", Usage: "Monte Carlo iterations `N` of both scenarios, on the same random numbers; 0 compares the point estimates only"},
			f.seed, f.workers, f.maxMemory,
			&cli.StringFlag{Name: "json", Usage: "write the comparison as JSON to `FILE` (\"-\" for stdout)"},
			&cli.StringFlag{Name: "out", Usage: "write the comparison as a workbook `FILE` (.xlsx): the two side by side, the difference per budget year, and a waterfall of the keys' shares"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print no table at the end"},
			f.logFormat, f.strict, f.maxRejected, f.encoding, f.sheet, f.ignoreCols, smallCellFlag(),
		},
		Action: func(c *cli.Context) error {
			cfg, err := compareConfigFrom(c)
			if err != nil {
				return err
			}
			return cfg.run(c.App.Writer, c.App.ErrWriter)
		},
	}
}

// compareConfig is `raming compare`, read from its flags.
type compareConfig struct {
	base, other inputConfig // the same population; each its scenario and sets
	now         time.Time
	xlsx, json  string // json "-" is stdout
	mc          raming.MC
	logFormat   string
	quiet       bool
	opts        output.Options // the small-cell limit
}

func compareConfigFrom(c *cli.Context) (compareConfig, error) {
	if err := noArgs(c); err != nil {
		return compareConfig{}, err
	}
	now, err := runTime()
	if err != nil {
		return compareConfig{}, err
	}
	in := inputFlags(c)
	cfg := compareConfig{base: in, other: in, now: now, xlsx: c.String("out"), json: c.String("json"), logFormat: c.String("log-format"), quiet: c.Bool("quiet"),
		opts: output.Options{SmallCell: c.Int("small-cell")}}
	if err := checkSmallCell(cfg.opts.SmallCell); err != nil {
		return cfg, err
	}
	cfg.base.scenario, cfg.other.scenario = c.String("base"), c.String("base")
	if c.IsSet("other") {
		cfg.other.scenario = c.String("other")
	}
	cfg.other.sets = append(append([]string{}, in.sets...), c.StringSlice("other-set")...)
	if cfg.mc, err = monteCarloFlags(c, "a comparison runs both scenarios on the same iterations; give a number (default 10000), or 0 for the point estimates only"); err != nil {
		return cfg, err
	}
	if cfg.xlsx != "" && !strings.EqualFold(filepath.Ext(cfg.xlsx), ".xlsx") {
		return cfg, usage("--out %s: the workbook's name must end in .xlsx (for the JSON use --json)", cfg.xlsx)
	}
	if err := in.checkSheet(); err != nil {
		return cfg, err
	}
	return cfg, atomicfile.CheckPaths([]string{cfg.xlsx, cfg.json}, []string{in.population, cfg.base.scenario, cfg.other.scenario})
}

// run reads both scenarios and the extract, compares and writes, one
// logged stage after the other.
func (cfg compareConfig) run(stdout, stderr io.Writer) error {
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	bar := progress.New(stderr)
	defer bar.Finish()
	type pair struct{ base, other *scenario.Scenario }
	sc, err := stage(log, "scenarios", func() (pair, []any, error) {
		base, err := cfg.base.loadScenario()
		if err != nil {
			return pair{}, nil, err
		}
		other, err := cfg.other.loadScenario()
		if err != nil {
			return pair{}, nil, otherSetError(err, cfg.other.sets[len(cfg.base.sets):])
		}
		return pair{base, other}, []any{"base", base.Name, "other", other.Name, "set", cfg.base.sets, "other_set", cfg.other.sets[len(cfg.base.sets):]}, nil
	})
	if err != nil {
		return err
	}
	pop, err := cfg.base.populationStage(cfg.now, log)
	if err != nil {
		return err
	}
	cmp, err := stage(log, "compare", func() (*raming.ScenarioComparison, []any, error) {
		e, err := raming.NewEngine(sc.base, pop)
		if err != nil {
			return nil, nil, err
		}
		mc := cfg.mc
		mc.Progress = bar.Update
		cmp, err := e.Compare(context.Background(), raming.CompareRequest{Other: sc.other, MC: mc})
		if err != nil {
			return nil, nil, err
		}
		for _, w := range compareLogWarnings(cmp) {
			log.Warn(w)
		}
		return cmp, []any{"differences", len(cmp.Differences), "shared_cases", len(cmp.Cases), "attribution", cmp.Method.String(), "iterations", mc.Iterations}, nil
	})
	if err != nil {
		return err
	}
	prov := output.Provenance{ToolVersion: toolVersion(), RunTime: cfg.now}
	var files []atomicfile.File
	if cfg.xlsx != "" {
		files = append(files, atomicfile.File{Path: cfg.xlsx, Write: func(w io.Writer) error { return output.WriteCompareWorkbook(w, cmp, prov, cfg.opts) }})
	}
	if cfg.json != "" && cfg.json != "-" {
		files = append(files, atomicfile.File{Path: cfg.json, Write: func(w io.Writer) error { return output.WriteCompareJSON(w, cmp, prov, cfg.opts) }})
	}
	if len(files) > 0 {
		bar.Writing()
		if err := writeFiles(log, files); err != nil {
			return err
		}
	}
	if cfg.json == "-" {
		if err := step(log, "json", func() ([]any, error) {
			if err := output.WriteCompareJSON(stdout, cmp, prov, cfg.opts); err != nil {
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
	w := stdout
	if cfg.json == "-" {
		w = stderr
	}
	var written []string
	for _, f := range files {
		written = append(written, bsn.MaskText(f.Path))
	}
	if err := output.WriteCompareTable(w, cmp, written, cfg.opts); err != nil {
		return err
	}
	if pop != nil && len(pop.Rejected) > 0 { // under the table: rows left out must not go unseen
		fmt.Fprintln(w, pop.RejectedSummary()+"; both estimates leave them out")
	}
	return nil
}

// compareLogWarnings are what the log says of a comparison beside its
// figures: each run's warnings, the structure that differs, a note on
// the attribution, no shared case.
func compareLogWarnings(c *raming.ScenarioComparison) []string {
	var out []string
	for i, res := range []*raming.Result{c.Base, c.Other} {
		for _, w := range res.Warnings {
			out = append(out, []string{"base scenario: ", "other scenario: "}[i]+w)
		}
	}
	for _, d := range c.Structure {
		out = append(out, "the scenarios' structure differs: "+d.String())
	}
	if c.Note != "" {
		out = append(out, c.Note)
	}
	if len(c.Cases) == 0 {
		out = append(out, "the two scenarios have no case in common: there is nothing to compare")
	}
	return out
}

// otherSetError names --other-set in an error about one of its changes
// (the scenario package's messages say --set, the flag of both).
func otherSetError(err error, otherSets []string) error {
	msg := err.Error()
	for _, kv := range otherSets {
		key, _, _ := strings.Cut(kv, "=")
		if rest, ok := strings.CutPrefix(msg, "--set "+key); ok && key != "" {
			return usage("--other-set %s%s", key, rest)
		}
	}
	return err
}
