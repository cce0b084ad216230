package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database

	"github.com/urfave/cli/v2"

	"raming/input"
	"raming/internal/suggest"
	"raming/raming"
	"raming/scenario"
)

// releaseVersion is the tool's version; the VCS revision is appended when
// the binary was built from a checkout.
const releaseVersion = "0.2.0"

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

const helpExitCodes = `EXIT CODES:
   0  success
   1  internal error (a bug: please report it)
   2  usage error (unknown command or flag, bad value)
   3  input refused (missing or unreadable file, bad scenario, personal data, file-level CSV problem,
      no usable row, a scenario that cannot be computed on the population)
   4  rows rejected under --strict
   5  the outputs could not be written
   130, 143  interrupted by SIGINT, SIGTERM (no temporary files left)

ENVIRONMENT:
   SOURCE_DATE_EPOCH  the run time in seconds since 1970 (for reproducible outputs); --out-dir dates
                      its file names by it in the Netherlands' time zone, Europe/Amsterdam
   RAMING_DEBUG=1     print the full stack of an internal error`

// newApp builds the command line. stdout gets only what the user asked for;
// messages go to stderr. Each command reads its flags into a typed
// configuration and runs it; errors come back to run, which prints them
// once and maps them to exit codes.
func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:                  "raming",
		Usage:                 "cost estimate of the ex-partner compensation scheme (variants A-E of the policy deck)",
		Version:               toolVersion(),
		Writer:                stdout,
		ErrWriter:             stderr,
		HideHelpCommand:       true,
		CustomAppHelpTemplate: cli.AppHelpTemplate + "\n" + helpExitCodes + "\n",
		ExitErrHandler:        func(*cli.Context, error) {}, // never os.Exit inside Run: run maps errors to codes
		Commands:              []*cli.Command{runCommand(), validateCommand(), generateCommand(), sweepCommand(), scenarioCommand(), publishedCommand()},
	}
	app.OnUsageError = flagError
	app.Action = func(c *cli.Context) error {
		if c.NArg() == 0 {
			return cli.ShowAppHelp(c)
		}
		var names []string
		for _, cmd := range app.Commands {
			names = append(names, cmd.Name)
		}
		return usage("unknown command %q%s; commands: %s", c.Args().First(), suggest.DidYouMean(c.Args().First(), names), strings.Join(names, ", "))
	}
	for _, c := range app.Commands {
		setFlagError(c)
	}
	return app
}

func setFlagError(c *cli.Command) {
	c.OnUsageError = flagError
	for _, s := range c.Subcommands {
		setFlagError(s)
	}
}

var (
	undefinedFlag = regexp.MustCompile(`flag provided but not defined: -+(\S+)`)
	invalidNumber = regexp.MustCompile(`^invalid value (".*") for flag -+(\S+): (parse error|value out of range)$`)
)

// flagError turns a flag parsing error into a usage error, with the flag
// the user probably meant, or what a number flag takes.
func flagError(c *cli.Context, err error, _ bool) error {
	if c.Command == nil {
		return &usageError{err}
	}
	if m := undefinedFlag.FindStringSubmatch(err.Error()); m != nil {
		var names []string
		for _, f := range c.Command.Flags {
			names = append(names, f.Names()...)
		}
		if best, ok := suggest.Nearest(m[1], names); ok {
			return usage("%v (did you mean --%s?)", err, best)
		}
	}
	if m := invalidNumber.FindStringSubmatch(err.Error()); m != nil {
		for _, f := range c.Command.Flags {
			if !slices.Contains(f.Names(), m[2]) {
				continue
			}
			var want string
			switch f.(type) {
			case *cli.IntFlag:
				want = "a whole number"
			case *cli.Uint64Flag:
				want = fmt.Sprintf("a whole number from 0 to %d", uint64(math.MaxUint64))
			case *cli.Float64Flag:
				want = "a number"
			default:
				continue
			}
			if m[3] == "value out of range" {
				return usage("--%s %s: out of range; give %s", m[2], m[1], want)
			}
			return usage("--%s %s: give %s", m[2], m[1], want)
		}
	}
	return &usageError{err}
}

var (
	flagScenario    = &cli.StringFlag{Name: "scenario", Value: "deck", Usage: "built-in scenario name (" + strings.Join(scenario.BuiltinNames(), ", ") + ") or a scenario `FILE` (TOML)"}
	flagPopulation  = &cli.StringFlag{Name: "population", Usage: "population extract `FILE` (CSV, see docs/input.md); without it the scenario's base population is used"}
	flagStrict      = &cli.BoolFlag{Name: "strict", Usage: "fail with exit code 4 if any row of the extract is rejected"}
	flagEncoding    = &cli.StringFlag{Name: "encoding", Usage: "encoding of the extract: utf-8 or windows-1252 (default: detect)"}
	flagIgnoreCols  = &cli.BoolFlag{Name: "ignore-unknown-columns", Usage: "ignore columns the contract does not know instead of refusing the file"}
	flagIterations  = &cli.StringFlag{Name: "iterations", Value: "10000", Usage: "Monte Carlo iterations `N`, 0 for the deterministic estimate only, or auto (until every case's P95 is stable to 0.5%)"}
	flagSeed        = &cli.Uint64Flag{Name: "seed", Value: 1, Usage: "Monte Carlo seed; the same seed gives the same figures whatever the workers"}
	flagWorkers     = &cli.IntFlag{Name: "workers", Value: runtime.NumCPU(), Usage: "Monte Carlo workers, 1 to 1024 (default: the number of cores)"}
	flagPercentiles = &cli.StringFlag{Name: "percentiles", Value: "5,50,95", Usage: "percentiles to report, comma-separated (5, 50 and 95 always)"}
	flagSet         = &cli.StringSliceFlag{Name: "set", Usage: "change the scenario for this run: `KEY=VALUE`, repeatable; an option of B (b.threshold=soft, b.percentage=fixed, ...) or an assumption (funnel.affected_share=0.7)"}
	flagLogFormat   = &cli.StringFlag{Name: "log-format", Value: "text", Usage: "log lines on stderr as text or json"}
	flagMaxMemory   = &cli.IntFlag{Name: "max-memory", Value: 4096, Usage: "refuse a Monte Carlo run whose estimated memory exceeds `MB` (0: no limit)"}
	flagSmallCell   = &cli.IntFlag{Name: "small-cell", Value: 10, Usage: "counts of fewer than `N` people (outside the funnel totals) are shown as \"<N\""}
)

// inputConfig is what a command reads: the scenario with its changes and
// the population extract.
type inputConfig struct {
	scenario   string
	sets       []string
	population string
	read       input.Options
	strict     bool
}

func inputFlags(c *cli.Context) inputConfig {
	return inputConfig{scenario: c.String("scenario"), sets: c.StringSlice("set"), population: c.String("population"),
		read: input.Options{Encoding: c.String("encoding"), IgnoreUnknownColumns: c.Bool("ignore-unknown-columns")}, strict: c.Bool("strict")}
}

// checkEncoding refuses an --encoding the reader does not know, as a usage
// error before any work (nil for a known one or none).
func checkEncoding(enc string) error {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "", "auto", "utf-8", "utf8", "windows-1252", "cp1252":
		return nil
	}
	return usage("--encoding %q: use utf-8 or windows-1252 (or leave it out to detect)", enc)
}

// loadScenario loads the scenario and applies every --set.
func (in inputConfig) loadScenario() (*scenario.Scenario, error) {
	sc, err := scenario.Load(in.scenario)
	if err != nil {
		return nil, err
	}
	for _, kv := range in.sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, usage("--set %q: write KEY=VALUE, e.g. --set b.threshold=soft", kv)
		}
		if err := sc.Set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return nil, &usageError{err}
		}
	}
	if len(in.sets) > 0 {
		if err := sc.Revalidate(); err != nil {
			return nil, &usageError{err}
		}
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
	opts.Today = dutchToday(now)
	return input.ReadFile(in.population, opts)
}

// loadPopulation reads the extract (nil without one). File-level problems
// and an extract without a usable row are input errors; rejected rows
// under --strict exit 4.
func (in inputConfig) loadPopulation(now time.Time) (*input.Population, error) {
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
	return pop, nil
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

// monteCarloFlags reads --iterations, --seed, --workers and --percentiles
// (those a command has).
func monteCarloFlags(c *cli.Context) (raming.MC, error) {
	mc := raming.MC{Seed: c.Uint64("seed"), Workers: c.Int("workers")}
	switch it := c.String("iterations"); it {
	case "auto":
		mc.Auto, mc.Iterations = true, 2000
	default:
		n, err := strconv.Atoi(it)
		if err != nil || n < 0 || n > raming.IterationLimit {
			return mc, usage("--iterations %q: give a number of iterations from 0 (none) to %d, or auto", it, raming.IterationLimit)
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

// dutchTime is the scheme's time zone, Europe/Amsterdam: it says what
// "today" is for the extract's dates and dates the file names of --out-dir,
// whatever the machine's zone. The zone database is embedded (time/tzdata),
// so it loads on a machine without one.
var dutchTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err) // cannot happen: time/tzdata is embedded
	}
	return loc
}()

// lastEpoch is the last SOURCE_DATE_EPOCH accepted: the end of 9999 in
// the Netherlands, so every date written has four digits.
var lastEpoch = time.Date(9999, 12, 31, 23, 59, 59, 0, dutchTime).Unix()

// runTime is the time recorded in the outputs: SOURCE_DATE_EPOCH (seconds
// since 1970, the reproducible-builds convention) when set, else now. A
// value before 1970 or after 9999, such as one in milliseconds, is a usage
// error.
func runTime() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Now().UTC(), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > lastEpoch {
		return time.Time{}, usage("SOURCE_DATE_EPOCH=%q: give the run time in seconds since 1970, from 0 to %d (the year 9999), as `date +%%s` prints it (not in milliseconds)", s, lastEpoch)
	}
	return time.Unix(n, 0).UTC(), nil
}

// dutchToday is the calendar date in the Netherlands at now, as midnight
// UTC like the extract's dates: a row dated today is not in the future,
// even in the first hours of the Dutch day.
func dutchToday(now time.Time) time.Time {
	y, m, d := now.In(dutchTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dutchDate is the calendar date in the Netherlands at now, YYYY-MM-DD:
// the date in the file names of --out-dir.
func dutchDate(now time.Time) string {
	return now.In(dutchTime).Format(time.DateOnly)
}

// newLogger logs to stderr as text, or as JSON with --log-format json.
// Nothing is logged to stdout.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usage("--log-format %q: use text or json", format)
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
			// The error itself is printed once, by run; a JSON log carries
			// it too, for the collector.
			if _, isJSON := log.Handler().(*slog.JSONHandler); isJSON {
				attrs = append(attrs, "error", err.Error())
			}
			log.Error("stage failed", attrs...)
			return err
		}
		log.Info("stage done", attrs...)
	}
	return nil
}

// noArgs refuses stray arguments (every command takes flags only), text
// flags given as empty (`--population ""` from an unset variable in a
// nightly job must not quietly mean "no extract") and an unknown encoding.
func noArgs(c *cli.Context) error {
	if c.NArg() > 0 {
		return usage("unexpected argument %q; %s takes only flags", c.Args().First(), c.Command.Name)
	}
	for _, f := range c.Command.Flags {
		if _, text := f.(*cli.StringFlag); !text {
			continue
		}
		name := f.Names()[0]
		if c.IsSet(name) && strings.TrimSpace(c.String(name)) == "" {
			return usage("--%s is empty: give a value, or leave the flag out", name)
		}
	}
	if c.IsSet("encoding") {
		return checkEncoding(c.String("encoding"))
	}
	return nil
}

var errNothingToWrite = errors.New("nothing to write")
