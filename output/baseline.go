package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"raming/internal/atomicfile"
	"raming/raming"
)

// BaselineJSON is the comparison with a previous summary (--baseline), as
// raming.Compare computes it; see raming.Baseline. Amounts are strings
// with two decimals; a figure that cannot be given is null.
type BaselineJSON struct {
	File string `json:"file"`
	// ScenarioChanged and DataChanged compare the SHA-256 of the inputs.
	ScenarioChanged bool `json:"scenario_changed"`
	DataChanged     bool `json:"data_changed"`
	// Attribution is false when the previous summary carries no readable
	// scenario, so the split into causes could not be made.
	Attribution bool                  `json:"attribution"`
	Note        string                `json:"note,omitempty"`
	RowsBefore  int                   `json:"rows_used_before"`
	RowsNow     int                   `json:"rows_used"`
	Funnel      []BaselineFunnelJSON  `json:"funnel"`
	Variants    []BaselineVariantJSON `json:"variants"`
	Cases       []BaselineCaseJSON    `json:"cases"`
}

// BaselineFunnelJSON is one funnel step before and now.
type BaselineFunnelJSON struct {
	Step   string `json:"step"`
	Before string `json:"before"`
	Now    string `json:"now"`
}

// BaselineVariantJSON is a variant's range before and now.
type BaselineVariantJSON struct {
	ID              string `json:"id"`
	TotalLowBefore  string `json:"total_low_before"`
	TotalLow        string `json:"total_low"`
	TotalLowDelta   string `json:"total_low_delta"`
	TotalHighBefore string `json:"total_high_before"`
	TotalHigh       string `json:"total_high"`
	TotalHighDelta  string `json:"total_high_delta"`
}

// BaselineCaseJSON is a case's total before and now, with the change split
// into causes, and its Monte Carlo P50 with the noise flag.
type BaselineCaseJSON struct {
	ID             string  `json:"id"`
	TotalBefore    *string `json:"total_before"`
	Total          *string `json:"total"`
	Delta          *string `json:"delta"`
	DataEffect     *string `json:"data_effect"`
	ScenarioEffect *string `json:"scenario_effect"`
	P50Before      *string `json:"p50_before"`
	P50            *string `json:"p50"`
	P50Delta       *string `json:"p50_delta"`
	// P50Noise is true when the P50 moved by less than 1.96 × the combined
	// standard errors of the two runs: not a real change.
	P50Noise *bool `json:"p50_noise"`
}

// BaselineError is a --baseline that cannot be read as a summary: refused
// input, as an unreadable extract is.
type BaselineError struct {
	Path string
	Err  error
}

func (e *BaselineError) Error() string { return fmt.Sprintf("baseline %s: %v", e.Path, e.Err) }

// Unwrap returns the underlying error.
func (e *BaselineError) Unwrap() error { return e.Err }

// maxSummaryBytes bounds what ReadSummary reads: a summary of a run with
// every option is a few MB; anything much larger is not one.
const maxSummaryBytes = 64 << 20

// ReadSummary reads a JSON summary written by an earlier run, as the
// figures a comparison needs.
func ReadSummary(path string) (*raming.Previous, error) {
	fail := func(err error) (*raming.Previous, error) { return nil, &BaselineError{path, err} }
	f, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSummaryBytes+1))
	if err != nil {
		return fail(err)
	}
	if len(b) > maxSummaryBytes {
		return fail(fmt.Errorf("larger than %d MB: not a raming JSON summary", maxSummaryBytes>>20))
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fail(fmt.Errorf("not a raming JSON summary: %s holds a %s where the summary has a %s", typeErr.Field, typeErr.Value, typeErr.Type))
		}
		return fail(fmt.Errorf("not a raming JSON summary: %w", err))
	}
	if len(s.Variants) == 0 {
		return fail(fmt.Errorf("no variants: not a raming JSON summary"))
	}
	p := &raming.Previous{File: path, ScenarioSHA256: s.Scenario.SHA256, DataSHA256: s.Population.SHA256, ScenarioText: s.Scenario.Text, ScenarioSet: s.Scenario.Set,
		RowsUsed: s.Population.RowsUsed,
		Variants: map[string]raming.PreviousVariant{}, Cases: map[string]raming.PreviousCase{}}
	// Every figure the comparison reads must be an amount: a damaged one
	// read as 0 would put the whole estimate down to a change in the data.
	var bad error
	amount := func(key, v string) decimal.Decimal {
		d, err := decimal.NewFromString(v)
		switch {
		case bad != nil:
		case err != nil:
			bad = fmt.Errorf("not a raming JSON summary: %s is %q, not an amount", key, v)
		case d.Abs().GreaterThan(maxAmount):
			bad = fmt.Errorf("not a raming JSON summary: %s is %q, beyond the 10^30 any summary holds", key, v)
		}
		return d
	}
	for _, f := range s.Population.Funnel {
		if d, err := decimal.NewFromString(f.Count); err == nil { // a suppressed count ("<10") is not compared
			p.Funnel = append(p.Funnel, raming.PreviousStep{Step: f.Step, Count: d})
		}
	}
	for i, v := range s.Variants {
		p.Variants[v.ID] = raming.PreviousVariant{TotalLow: amount(fmt.Sprintf("variants[%d].total_low", i), v.TotalLow),
			TotalHigh: amount(fmt.Sprintf("variants[%d].total_high", i), v.TotalHigh)}
		for j, c := range v.Cases {
			pc := raming.PreviousCase{Total: amount(fmt.Sprintf("variants[%d].cases[%d].total", i, j), c.Total), P50: math.NaN(), P50SE: math.NaN()}
			if c.MonteCarlo != nil {
				for _, x := range c.MonteCarlo.Percentiles {
					v, err1 := decimal.NewFromString(x.Value)
					e, err2 := decimal.NewFromString(x.SE)
					if x.P == 50 && err1 == nil && err2 == nil {
						pc.P50, pc.P50SE = v.InexactFloat64(), e.InexactFloat64()
					}
				}
			}
			p.Cases[c.ID] = pc
		}
	}
	if bad != nil {
		return fail(bad)
	}
	return p, nil
}

// maxAmount bounds an amount read from a summary: above any figure the
// tool writes (an assumption in euros is at most 10^12, a population 10^8,
// and an extract's sums of cents fit an int64), so that a summary the tool
// wrote is always read back; a damaged one beyond it is refused.
var maxAmount = decimal.New(1, 30)

// datedSummary is the name of the summary `raming run --out-dir` writes:
// raming-YYYY-MM-DD.json.
var datedSummary = regexp.MustCompile(`^raming-(\d{4}-\d{2}-\d{2})\.json$`)

// LatestSummary reads the newest summary an earlier `raming run --out-dir`
// left in dir: of the files named raming-YYYY-MM-DD.json dated before day
// (YYYY-MM-DD), the latest by that date that is a regular file ReadSummary
// accepts. The files it passed over (a failed night writes none, but a
// file may have been damaged or put there by hand) are in skipped, each
// a *BaselineError. Without any such file it returns nil and no error: the
// first night. A directory that cannot be read is a *BaselineError.
func LatestSummary(dir, day string) (prev *raming.Previous, skipped []error, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, &BaselineError{dir, err}
	}
	var names []string
	for _, e := range entries {
		m := datedSummary.FindStringSubmatch(e.Name())
		if m == nil || m[1] >= day {
			continue
		}
		if _, err := time.Parse(time.DateOnly, m[1]); err == nil {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names) // by date: the names differ in nothing else
	for _, name := range slices.Backward(names) {
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		switch {
		case err != nil:
			skipped = append(skipped, &BaselineError{path, err})
		case !fi.Mode().IsRegular():
			skipped = append(skipped, &BaselineError{path, fmt.Errorf("%s, not a regular file", atomicfile.Kind(fi))})
		default:
			if prev, err = ReadSummary(path); err == nil {
				return prev, skipped, nil
			}
			skipped = append(skipped, err)
		}
	}
	return nil, skipped, nil
}

// baselineJSON renders a comparison for the summary.
func baselineJSON(b *raming.Baseline) *BaselineJSON {
	if b == nil {
		return nil
	}
	j := &BaselineJSON{File: b.File, ScenarioChanged: b.ScenarioChanged, DataChanged: b.DataChanged, Attribution: b.Attribution,
		Note: b.Note, RowsBefore: b.RowsBefore, RowsNow: b.Rows}
	for _, f := range b.Funnel {
		now := ""
		if f.NowKnown {
			now = count(f.Now)
		}
		j.Funnel = append(j.Funnel, BaselineFunnelJSON{Step: f.Step, Before: count(f.Before), Now: now})
	}
	for _, v := range b.Variants {
		j.Variants = append(j.Variants, BaselineVariantJSON{ID: v.ID, TotalLowBefore: money(v.LowBefore), TotalLow: money(v.Low),
			TotalLowDelta: money(v.Low.Sub(v.LowBefore)), TotalHighBefore: money(v.HighBefore), TotalHigh: money(v.High),
			TotalHighDelta: money(v.High.Sub(v.HighBefore))})
	}
	for _, c := range b.Cases {
		bc := BaselineCaseJSON{ID: c.ID, Total: ptrTo(money(c.Total))}
		if c.Had {
			bc.TotalBefore, bc.Delta = ptrTo(money(c.TotalBefore)), ptrTo(money(c.Delta()))
		}
		if c.Attributed {
			bc.DataEffect, bc.ScenarioEffect = ptrTo(money(c.DataEffect)), ptrTo(money(c.ScenarioEffect))
		}
		if c.Simulated {
			bc.P50 = ptrTo(euros(c.P50))
		}
		if c.P50Compared {
			bc.P50Before, bc.P50Delta, bc.P50Noise = ptrTo(euros(c.P50Before)), ptrTo(euros(c.P50-c.P50Before)), ptrTo(c.P50Noise)
		}
		j.Cases = append(j.Cases, bc)
	}
	return j
}

func ptrTo[T any](v T) *T { return &v }
