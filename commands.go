package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"raming/input"
	"raming/internal/atomicfile"
	"raming/output"
	"raming/raming"
	"raming/scenario"
)

func validateCommand() *cli.Command {
	f := newSharedFlags()
	return &cli.Command{
		Name:  "validate",
		Usage: "check a population extract against the contract and list rejected rows",
		Flags: []cli.Flag{&cli.StringFlag{Name: "population", Usage: "population extract `FILE` (CSV, Unicode text or an Excel workbook .xlsx)"},
			&cli.StringFlag{Name: "json", Usage: "write the population part of the summary (the funnel counted with the scenario's shares) as JSON to `FILE` (\"-\" for stdout)"},
			f.scenario, f.strict, f.encoding, f.sheet, f.ignoreCols},
		Action: validate,
	}
}

// validate reads the extract and reports on it: its rows, warnings and
// rejected rows; with --json, the funnel counted on it as well (no
// variant is computed).
func validate(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	in, js := inputFlags(c), c.String("json")
	if in.population == "" {
		return usage("validate needs --population FILE")
	}
	if err := atomicfile.CheckPaths([]string{js}, []string{in.population, in.scenario}); err != nil {
		return err
	}
	now, err := runTime()
	if err != nil {
		return err
	}
	pop, err := in.readPopulation(now)
	if err != nil {
		return err
	}
	w := c.App.Writer
	if js == "-" { // stdout carries the JSON alone
		w = c.App.ErrWriter
	}
	form := fmt.Sprintf("encoding %s, delimiter %q", pop.Encoding, pop.Delimiter)
	if pop.Sheet != "" {
		form = "sheet " + strconv.Quote(input.MaskBSN(pop.Sheet))
	}
	fmt.Fprintf(w, "%s: %d rows read, %d used, %d rejected (%s)\n", pop.Source, pop.RowsRead, len(pop.Records), len(pop.Rejected), form)
	for _, warn := range pop.Warnings {
		fmt.Fprintln(w, "warning:", warn)
	}
	for _, r := range pop.Rejected {
		fmt.Fprintln(w, "rejected:", rejectedLine(r))
	}
	if err := usable(pop); err != nil {
		return err
	}
	if js != "" {
		sc, err := in.loadScenario()
		if err != nil {
			return err
		}
		p, err := raming.CountFunnel(sc, pop)
		if err != nil {
			return err
		}
		if err := writeOut(js, c.App.Writer, func(w io.Writer) error {
			return output.WritePopulationJSON(w, p, sc, output.Provenance{ToolVersion: toolVersion(), RunTime: now})
		}); err != nil {
			return err
		}
	}
	if in.strict && len(pop.Rejected) > 0 {
		return &rejectedError{fmt.Errorf("%d of %d rows rejected under --strict", len(pop.Rejected), pop.RowsRead)}
	}
	return nil
}

// rejectedLine is a rejected row as validate prints it: its position and
// reason, then its id quoted (%q), so that an id with a line break or a
// control character stays on the row's one line, as inert text.
func rejectedLine(r *input.RowError) string {
	if r.ID == "" {
		return r.Error()
	}
	return fmt.Sprintf("%s (id %q)", r.Error(), r.ID)
}

// csvDialectFlag is --dialect of a command's CSV output (what names it).
func csvDialectFlag(what string) *cli.StringFlag {
	return &cli.StringFlag{Name: "dialect", Value: "standard", Usage: "the " + what + " CSV: standard (UTF-8, comma, decimal point) or nl (for Dutch Excel: semicolon, decimal comma, Dutch headers, UTF-8 with a byte-order mark)"}
}

func sweepCommand() *cli.Command {
	f := newSharedFlags()
	return &cli.Command{
		Name:  "sweep",
		Usage: "evaluate variant B per record under every combination of its options",
		Flags: []cli.Flag{f.scenario, &cli.StringFlag{Name: "population", Usage: "population extract `FILE` (CSV, Unicode text or .xlsx): the sweep works record by record"},
			&cli.StringFlag{Name: "out", Usage: "workbook `FILE` (.xlsx): one row per combination, sortable, with a chart of cost against access"},
			&cli.StringFlag{Name: "csv", Usage: "the same rows as CSV `FILE`"}, csvDialectFlag("--csv"),
			&cli.StringFlag{Name: "iterations", Value: "0", Usage: "Monte Carlo iterations `N` for a P5/P50/P95 band per combination (0: none)"},
			f.seed, f.workers, f.maxMemory, f.set, f.logFormat, f.strict, f.maxRejected, f.encoding, f.sheet, f.ignoreCols, smallCellFlag()},
		Action: func(c *cli.Context) error {
			cfg, err := sweepConfigFrom(c)
			if err != nil {
				return err
			}
			return cfg.run(c.App.ErrWriter)
		},
	}
}

// sweepConfig is `raming sweep`, read from its flags.
type sweepConfig struct {
	input      inputConfig
	xlsx, csv  string
	dialect    output.Dialect // of the CSV
	mc         raming.MC
	logFormat  string
	provenance output.Provenance
	smallCell  int
}

func sweepConfigFrom(c *cli.Context) (sweepConfig, error) {
	if err := noArgs(c); err != nil {
		return sweepConfig{}, err
	}
	cfg := sweepConfig{input: inputFlags(c), xlsx: c.String("out"), csv: c.String("csv"), logFormat: c.String("log-format"), smallCell: c.Int("small-cell")}
	if err := checkSmallCell(cfg.smallCell); err != nil {
		return cfg, err
	}
	var err error
	if cfg.dialect, err = output.ParseDialect(c.String("dialect")); err != nil {
		return cfg, usage("%v", err)
	}
	if cfg.input.population == "" {
		return cfg, usage("sweep needs --population FILE: it works record by record")
	}
	if cfg.xlsx == "" && cfg.csv == "" {
		return cfg, usage("nothing to write: give --out FILE.xlsx and/or --csv FILE.csv")
	}
	if err := privateFile("--csv", cfg.csv); err != nil {
		return cfg, err
	}
	if cfg.xlsx != "" && !strings.EqualFold(filepath.Ext(cfg.xlsx), ".xlsx") {
		return cfg, usage("--out %s: the workbook's name must end in .xlsx (for the rows as CSV use --csv)", cfg.xlsx)
	}
	now, err := runTime()
	if err != nil {
		return cfg, err
	}
	cfg.provenance = output.Provenance{ToolVersion: toolVersion(), RunTime: now}
	if cfg.mc, err = monteCarloFlags(c, ""); err != nil {
		return cfg, err
	}
	return cfg, atomicfile.CheckPaths([]string{cfg.xlsx, cfg.csv}, []string{cfg.input.population, cfg.input.scenario})
}

func (cfg sweepConfig) run(stderr io.Writer) error {
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	sc, err := stage(log, "scenario", func() (*scenario.Scenario, []any, error) { sc, err := cfg.input.loadScenario(); return sc, nil, err })
	if err != nil {
		return err
	}
	pop, err := stage(log, "population", func() (*input.Population, []any, error) {
		pop, err := cfg.input.loadPopulation(cfg.provenance.RunTime, log)
		if err != nil {
			return nil, nil, err
		}
		return pop, []any{"rows_used", len(pop.Records)}, nil
	})
	if err != nil {
		return err
	}
	rows, err := stage(log, "sweep", func() ([]raming.SweepRow, []any, error) {
		rows, err := raming.SweepWithBands(sc, pop, cfg.mc)
		if err != nil {
			return nil, nil, err
		}
		return rows, []any{"combinations", len(rows), "iterations", cfg.mc.Iterations}, nil
	})
	if err != nil {
		return err
	}
	var files []atomicfile.File
	if cfg.xlsx != "" {
		files = append(files, atomicfile.File{Path: cfg.xlsx, Write: func(w io.Writer) error {
			return output.WriteSweepWorkbook(w, rows, sc, cfg.mc, cfg.provenance, cfg.smallCell, len(pop.Records))
		}})
	}
	if cfg.csv != "" {
		// Derived from the records per combination: private, like --records.
		files = append(files, atomicfile.File{Path: cfg.csv, Private: true, Write: func(w io.Writer) error {
			return output.WriteSweepCSV(w, rows, cfg.dialect, cfg.smallCell, len(pop.Records))
		}})
	}
	return writeFiles(log, files)
}

// maxGenerateRows bounds `raming generate`: ten times the largest extract
// the tool is measured on (docs/performance.md).
const maxGenerateRows = 10_000_000

func generateCommand() *cli.Command {
	return &cli.Command{
		Name:  "generate",
		Usage: "write a synthetic population extract shaped like the deck (no real data)",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "rows", Value: 11000, Usage: "number of ex-partners"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed; the same seed gives the same file"},
			&cli.StringFlag{Name: "out", Usage: "CSV `FILE` to write (\"-\" for stdout)"},
			&cli.StringFlag{Name: "dialect", Value: "standard", Usage: "standard (UTF-8, comma, ISO dates) or nl (Dutch Excel: Windows-1252, semicolon, DD-MM-YYYY, decimal comma)"},
		},
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			out := c.String("out")
			if out == "" {
				return usage("generate needs --out FILE.csv (or - for stdout)")
			}
			if n := c.Int("rows"); n < 1 || n > maxGenerateRows {
				return usage("--rows %d: give 1 to %d rows", n, maxGenerateRows)
			}
			if ext := strings.ToLower(filepath.Ext(out)); ext == ".xlsx" || ext == ".json" || ext == ".toml" {
				return usage("--out %s: generate writes a CSV extract; give a name ending in .csv", out)
			}
			d := c.String("dialect")
			if d != "standard" && d != "nl" {
				return usage("--dialect %q: use standard or nl", d)
			}
			if err := atomicfile.CheckPaths([]string{out}, nil); err != nil {
				return err
			}
			opts := input.GenerateOptions{Rows: c.Int("rows"), Seed: c.Uint64("seed"), Dialect: d}
			return writeOut(out, c.App.Writer, func(w io.Writer) error { return input.Generate(w, opts) })
		},
	}
}

// writeOut writes to stdout for "-", else to the file, atomically.
func writeOut(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		return write(stdout)
	}
	return atomicfile.Write(path, write)
}
