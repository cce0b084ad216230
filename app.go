package main

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"raming/internal/bsn"
	"raming/internal/suggest"
	"raming/published"
	"raming/scenario"
)

// releaseVersion is the tool's version; the VCS revision is appended when
// the binary was built from a checkout.
const releaseVersion = "0.2.0"

// build is what the binary knows of the commit it was built from.
type buildInfo struct {
	revision, time string // the commit's hash and time (RFC 3339), "" outside a checkout
	dirty          bool   // built with uncommitted changes
}

func buildOf() buildInfo {
	var b buildInfo
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.revision = s.Value
		case "vcs.time":
			b.time = s.Value
		case "vcs.modified":
			b.dirty = s.Value == "true"
		}
	}
	return b
}

// toolVersion is the version the outputs name: releaseVersion, with the
// commit's short hash when built from a checkout ("0.2.0+3a51023c9f1e").
func toolVersion() string {
	b := buildOf()
	if b.revision == "" {
		return releaseVersion
	}
	rev, dirty := b.revision, ""
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if b.dirty {
		dirty = "-dirty"
	}
	return releaseVersion + "+" + rev + dirty
}

// longVersion is what raming --version prints: the version, the whole
// commit hash and the build date, which is the commit's date (a release
// built from the same commit is the same binary: make dist).
func longVersion() string {
	b := buildOf()
	if b.revision == "" {
		return toolVersion() + " (built outside a git checkout: no commit or build date recorded)"
	}
	date := b.time
	if t, err := time.Parse(time.RFC3339, b.time); err == nil {
		date = t.UTC().Format("2006-01-02")
	}
	return fmt.Sprintf("%s (commit %s, built %s)", toolVersion(), b.revision, date)
}

const helpExitCodes = `EXIT CODES:
   0  success
   1  internal error (a bug: please report it)
   2  usage error (unknown command or flag, bad value)
   3  input refused (missing or unreadable file, bad scenario, personal data, file-level problem of the
      extract (CSV, Unicode text or workbook), a limit of the reader exceeded, no usable row, a
      scenario that cannot be computed on the population)
   4  rows rejected under --strict, or more than --max-rejected of them (1% by default)
   5  the outputs could not be written (stdout included: a full disk, a closed pipe)
   130, 143  interrupted by SIGINT, SIGTERM (no temporary files left)

ENVIRONMENT:
   SOURCE_DATE_EPOCH  the run time in seconds since 1970 (for reproducible outputs); --out-dir dates
                      its file names by it in the Netherlands' time zone, Europe/Amsterdam
   RAMING_DEBUG=1     print the full stack of an internal error`

// newApp builds the command line, with flags of its own (urfave/cli keeps
// a flag's value in the flag, so no two apps share one). stdout gets only
// what the user asked for; messages go to stderr. Each command reads its
// flags into a typed configuration and runs it; errors come back to run,
// which prints them once and maps them to exit codes.
func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:    "raming",
		Usage:   "cost estimate of the ex-partner compensation scheme (variants A-E of the policy deck)",
		Version: longVersion(),
		// A value of --set may hold a comma (funnel.affected_share=0,7 is
		// how a Dutch user writes 0.7): repeat the flag instead.
		DisableSliceFlagSeparator: true,
		Writer:                    stdout,
		ErrWriter:                 stderr,
		HideHelpCommand:           true,
		CustomAppHelpTemplate:     cli.AppHelpTemplate + "\n" + helpExitCodes + "\n",
		ExitErrHandler:            func(*cli.Context, error) {}, // never os.Exit inside Run: run maps errors to codes
		Commands:                  []*cli.Command{runCommand(), compareCommand(), validateCommand(), generateCommand(), sweepCommand(), serveCommand(), scenarioCommand(), publishedCommand()},
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

// maxRejectedDefault is --max-rejected's default: a run on an extract of
// which more than 1% of the rows is rejected fails, since every variant
// would quietly leave them out.
const maxRejectedDefault = 0.01

// sharedFlags are the flags several commands have, made anew for each
// command: urfave/cli keeps a flag's value in the flag.
type sharedFlags struct {
	scenario, strict, maxRejected, encoding, sheet, ignoreCols, seed, workers, logFormat, maxMemory, set cli.Flag
}

func newSharedFlags() sharedFlags {
	return sharedFlags{
		scenario: &cli.StringFlag{Name: "scenario", Value: "deck", Usage: "built-in scenario name (" + strings.Join(scenario.BuiltinNames(), ", ") + ") or a scenario `FILE` (TOML)"},
		strict:   &cli.BoolFlag{Name: "strict", Usage: "fail with exit code 4 if any row of the extract is rejected"},
		maxRejected: &cli.Float64Flag{Name: "max-rejected", Value: maxRejectedDefault,
			Usage: "fail with exit code 4, writing nothing, when more than this `SHARE` of the extract's rows is rejected (0.01 is 1%; 0 fails on any, 1 never); fewer are a warning"},
		encoding:   &cli.StringFlag{Name: "encoding", Usage: "encoding of the extract: utf-8 or windows-1252 (default: detect)"},
		sheet:      &cli.StringFlag{Name: "sheet", Usage: "the sheet to read when the extract is a workbook (.xlsx), by `NAME` (default: the first sheet)"},
		ignoreCols: &cli.BoolFlag{Name: "ignore-unknown-columns", Usage: "ignore columns the contract does not know instead of refusing the file"},
		seed:       &cli.Uint64Flag{Name: "seed", Value: 1, Usage: "Monte Carlo seed; the same seed gives the same figures whatever the workers"},
		workers:    &cli.IntFlag{Name: "workers", Value: runtime.NumCPU(), DefaultText: "the number of cores", Usage: "Monte Carlo workers, 1 to 1024"},
		logFormat:  &cli.StringFlag{Name: "log-format", Value: "text", Usage: "log lines on stderr as text or json"},
		maxMemory:  &cli.IntFlag{Name: "max-memory", Value: 4096, Usage: "refuse a Monte Carlo run whose estimated memory exceeds `MB` (0: no limit)"},
		set:        &cli.StringSliceFlag{Name: "set", Usage: "change the scenario for this run: `KEY=VALUE`, repeatable; an option of B (b.threshold=soft, b.percentage=fixed, ...) or an assumption (funnel.affected_share=0.7)"},
	}
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
	if v := c.Float64("max-rejected"); c.IsSet("max-rejected") && !(v >= 0 && v <= 1) {
		return usage("--max-rejected %v: give a share of the rows from 0 to 1 (0.01 is 1%%)", v)
	}
	if enc := c.String("encoding"); c.IsSet("encoding") {
		switch strings.ToLower(strings.TrimSpace(enc)) {
		case "", "auto", "utf-8", "utf8", "windows-1252", "cp1252":
		default:
			return usage("--encoding %q: use utf-8 or windows-1252 (or leave it out to detect)", enc)
		}
	}
	return nil
}

// newLogger logs to stderr as text, or as JSON with --log-format json.
// Nothing is logged to stdout. Every message and value is logged with any
// number in it that could be a BSN masked (maskAttr).
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{ReplaceAttr: maskAttr}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usage("--log-format %q: use text or json", format)
}

// maskAttr masks any number that could be a BSN in a log line's message
// and values (file names, flag values, errors): bsn.MaskText on a text,
// on each text of a list, and on any other value as printed; a value with
// nothing to hide is logged as it is.
func maskAttr(_ []string, a slog.Attr) slog.Attr {
	switch v := a.Value; v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(bsn.MaskText(v.String()))
	case slog.KindAny:
		switch x := v.Any().(type) {
		case []string:
			masked := make([]string, len(x))
			for i, s := range x {
				masked[i] = bsn.MaskText(s)
			}
			a.Value = slog.AnyValue(masked)
		default:
			if s := fmt.Sprint(x); bsn.MaskText(s) != s {
				a.Value = slog.StringValue(bsn.MaskText(s))
			}
		}
	}
	return a
}

// stage runs one step of a command and logs one line for it, with its
// duration and what the step says about itself (attrs); its value is the
// step's outcome, for the steps after it.
func stage[T any](log *slog.Logger, name string, step func() (T, []any, error)) (T, error) {
	start := time.Now()
	v, attrs, err := step()
	attrs = append([]any{"stage", name, "duration_ms", time.Since(start).Milliseconds()}, attrs...)
	if err != nil {
		// The error itself is printed once, by run; a JSON log carries it
		// too, for the collector.
		if _, isJSON := log.Handler().(*slog.JSONHandler); isJSON {
			attrs = append(attrs, "error", err.Error())
		}
		log.Error("stage failed", attrs...)
		return v, err
	}
	log.Info("stage done", attrs...)
	return v, nil
}

// step is a stage with no outcome but its log line.
func step(log *slog.Logger, name string, f func() ([]any, error)) error {
	_, err := stage(log, name, func() (struct{}, []any, error) { attrs, err := f(); return struct{}{}, attrs, err })
	return err
}

// listShowCommand is `raming scenario` or `raming published`: list the
// built-in ones, or print one (built-in or a file) as TOML, to copy.
// what are its texts: the command's usage, list's, show's, and what show
// takes one of; load gives what list says of one, and its text.
func listShowCommand(name string, what [4]string, names func() []string, load func(string) (string, []byte, error)) *cli.Command {
	list := func(c *cli.Context) error {
		if err := noArgs(c); err != nil {
			return err
		}
		for _, n := range names() {
			line, _, err := load(n)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "%-12s %s\n", n, line)
		}
		return nil
	}
	show := func(c *cli.Context) error {
		if c.NArg() != 1 {
			return usage("give one %s: %s, or a file", what[3], strings.Join(names(), ", "))
		}
		_, text, err := load(c.Args().First())
		if err == nil {
			_, err = c.App.Writer.Write(text)
		}
		return err
	}
	return &cli.Command{Name: name, Usage: what[0],
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cli.ShowSubcommandHelp(c)
			}
			return usage("unknown command %q%s; %s takes list or show", c.Args().First(), suggest.DidYouMean(c.Args().First(), []string{"list", "show"}), name)
		},
		Subcommands: []*cli.Command{{Name: "list", Usage: what[1], Action: list}, {Name: "show", Usage: what[2], ArgsUsage: "NAME|FILE", Action: show}}}
}

func scenarioCommand() *cli.Command {
	return listShowCommand("scenario", [4]string{"list or print scenarios (copy one to edit it)", "list the built-in scenarios",
		"print a scenario (built-in name or file) as TOML", "scenario"}, scenario.BuiltinNames,
		func(n string) (string, []byte, error) {
			sc, err := scenario.Load(n)
			if err != nil {
				return "", nil, err
			}
			return sc.Description, sc.Text, nil
		})
}

// publishedCommand is `raming published list|show`: the built-in sets of
// published figures, to copy and extend (docs/published-reference.md).
func publishedCommand() *cli.Command {
	return listShowCommand("published", [4]string{"list or print the built-in published figures (copy a set to extend it; run it with raming run --published FILE)",
		"list the built-in sets of published figures", "print a set of published figures (built-in name or file) as TOML", "set"}, published.BuiltinNames,
		func(n string) (string, []byte, error) {
			set, err := published.Load(n)
			if err != nil {
				return "", nil, err
			}
			return fmt.Sprintf("%d figures", len(set.Figures)), set.Text, nil
		})
}
