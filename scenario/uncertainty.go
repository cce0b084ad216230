package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Distribution names the shape of an assumption's uncertainty.
type Distribution string

// The distributions an uncertainty may have. docs/methodology.md gives each
// with its parameters.
const (
	Uniform    Distribution = "uniform"    // min, max
	Triangular Distribution = "triangular" // min, mode (default: the value), max
	PERT       Distribution = "pert"       // min, mode (default: the value), max: a scaled beta
	Beta       Distribution = "beta"       // mean (default: the value) and sd, or a 90% interval low-high
	Normal     Distribution = "normal"     // mean (default: the value) and sd, or a 90% interval; truncated at 0 (and 1 for shares)
	LogNormal  Distribution = "lognormal"  // a 90% interval low-high, high at most maxLogNormalRatio × low
	Discrete   Distribution = "discrete"   // values with weights
)

// maxLogNormalRatio bounds a lognormal's spread: with high = 1,000 × low
// its P99.9 is already about 10^5 × its median.
const maxLogNormalRatio = 1000

// Distributions lists the valid distributions.
var Distributions = []Distribution{Uniform, Triangular, PERT, Beta, Normal, LogNormal, Discrete}

// DefaultDistribution is the distribution of an interval written without
// one ("low" and "high" only): beta for shares, which must stay between 0
// and 1; lognormal for amounts and counts, which are positive and skewed to
// the right; a normal truncated at 0 for everything else.
func DefaultDistribution(u Unit) Distribution {
	switch u {
	case Share:
		return Beta
	case EUR, EURPerHour, Persons, Files, FilesPerYear:
		return LogNormal
	}
	return Normal
}

// Uncertainty is an assumption's uncertainty for the Monte Carlo
// simulation. Which fields apply depends on the distribution; "low" and
// "high" always mean a 90% interval (5th and 95th percentile).
type Uncertainty struct {
	Distribution Distribution      `toml:"distribution"`
	Min          *decimal.Decimal  `toml:"min"`
	Max          *decimal.Decimal  `toml:"max"`
	Mode         *decimal.Decimal  `toml:"mode"`
	Mean         *decimal.Decimal  `toml:"mean"`
	SD           *decimal.Decimal  `toml:"sd"`
	Low          *decimal.Decimal  `toml:"low"`
	High         *decimal.Decimal  `toml:"high"`
	Values       []decimal.Decimal `toml:"values"`
	Weights      []decimal.Decimal `toml:"weights"`
	// MovesWith names another assumption (its Entry ID) whose draw this one
	// follows in proportion (value × other draw ÷ other value), for two
	// assumptions that are one quantity in two places, such as the CWS's
	// average damage in variants A and B. No other field applies then.
	MovesWith string `toml:"moves_with"`
	// Point says what the assumption's value is to its distribution:
	// "median" (the default): the distribution, shaped by its parameters,
	// is moved so that its median is the value; "base": the value is a
	// floor with upside risk only (such as growth of the reporting
	// population), and the distribution is moved so that its minimum is the
	// value; "stated": the distribution is used as written. Because the
	// distribution is moved to the value, changing the value (in the file
	// or with --set) moves the distribution with it.
	Point PointKind `toml:"point"`
	// Why says in a sentence why the assumption is uncertain and where the
	// range comes from. Required.
	Why string `toml:"why"`

	// anchor is the value the file states with this uncertainty: a mode or
	// mean left out defaults to it, also after --set changes the value.
	anchor *decimal.Decimal
}

// PointKind is what an assumption's value is to its distribution (see
// Uncertainty.Point).
type PointKind string

// The point kinds.
const (
	PointMedian PointKind = "median"
	PointBase   PointKind = "base"
	PointStated PointKind = "stated"
)

// Kind returns the point kind, filling in the default (median).
func (p PointKind) Kind() PointKind {
	if p == "" {
		return PointMedian
	}
	return p
}

// Anchor returns the value the scenario file states with this uncertainty
// (the value as read, before any --set): the default of a mode or mean
// that the file leaves out. An uncertainty made in code has none, and
// reports ok false.
func (u *Uncertainty) Anchor() (d decimal.Decimal, ok bool) {
	if u.anchor == nil {
		return decimal.Zero, false
	}
	return *u.anchor, true
}

// Kind returns the distribution, filling in the default for a bare interval.
func (u *Uncertainty) Kind(unit Unit) Distribution {
	if u.Distribution == "" {
		return DefaultDistribution(unit)
	}
	return u.Distribution
}

// validateUncertainty checks an uncertainty's parameters before any
// distribution is built from them (gonum's constructors panic on bad ones).
func validateUncertainty(key string, a *Assumption, unit Unit, add func(key, format string, args ...any)) {
	u := a.Uncertainty
	k := key + ".uncertainty"
	if strings.TrimSpace(u.Why) == "" {
		add(k+".why", "missing: say in a sentence why this value is uncertain and where the range comes from")
	}
	if u.MovesWith != "" {
		return // checked against the other entries in validate
	}
	point := u.Point.Kind()
	switch point {
	case PointMedian, PointStated:
	case PointBase:
		switch u.Kind(unit) {
		case Uniform, Triangular, PERT, Discrete:
		default:
			add(k+".point", "point = \"base\" needs a distribution with a minimum (uniform, triangular, pert or discrete), not %s", u.Kind(unit))
		}
	default:
		add(k+".point", "unknown point %q; use median (the value is the distribution's median, the default), base (the value is its minimum: upside risk only) or stated (as written)", u.Point)
	}
	// The parameters shape the distribution at the value the file states
	// (a mode or mean left out defaults to it); with point median or base
	// the distribution is then moved to the value in use, so only a
	// stated distribution must contain it.
	anchor := a.Value
	if d, ok := u.Anchor(); ok {
		anchor = d
	}
	kind := u.Kind(unit)
	valid := false
	for _, d := range Distributions {
		valid = valid || d == kind
	}
	if !valid {
		add(k+".distribution", "unknown distribution %q; use one of %s", kind, distributionList())
		return
	}
	need := func(names ...string) bool {
		ok := true
		for _, n := range names {
			if !u.has(n) {
				add(k, "%s needs %s", kind, strings.Join(names, ", "))
				ok = false
				break
			}
		}
		return ok
	}
	ordered := func(lo, hi decimal.Decimal, loName, hiName string) {
		if !lo.LessThan(hi) {
			add(k, "%s %s must be below %s %s", loName, lo, hiName, hi)
		}
	}
	inside := func(lo, hi decimal.Decimal, what string) {
		if point == PointStated && (a.Value.LessThan(lo) || a.Value.GreaterThan(hi)) {
			add(k, "the value %s lies outside the %s %s-%s of a stated distribution; widen it, or leave out point = \"stated\" so the distribution moves to the value", a.Value, what, lo, hi)
		}
	}
	// Every parameter lies in the range of the value's unit; the shape
	// checks below assume it.
	params := map[string]*decimal.Decimal{"min": u.Min, "max": u.Max, "mode": u.Mode, "mean": u.Mean, "sd": u.SD, "low": u.Low, "high": u.High}
	for i := range u.Values {
		params[fmt.Sprintf("values[%d]", i)] = &u.Values[i]
	}
	inRange := true
	for _, name := range sortedKeys(params) {
		if d := params[name]; d != nil {
			if msg := unitProblem(*d, unit); msg != "" {
				add(k+"."+name, "%s", msg)
				inRange = false
			}
		}
	}
	for _, w := range u.Weights {
		if msg := numberProblem(w); msg != "" {
			add(k+".weights", "weight %s", msg)
			inRange = false
		}
	}
	if !inRange {
		return
	}
	// A parameter the distribution does not read is refused: it would
	// look like a change and change nothing.
	uses := map[Distribution][]string{Uniform: {"min", "max"}, Triangular: {"min", "max", "mode"}, PERT: {"min", "max", "mode"},
		LogNormal: {"low", "high"}, Discrete: {"values", "weights"}, Beta: {"sd", "mean"}, Normal: {"sd", "mean"}}[kind]
	if (kind == Beta || kind == Normal) && (u.Low != nil || u.High != nil) {
		uses = []string{"low", "high"}
	}
	given := map[string]bool{"min": u.Min != nil, "max": u.Max != nil, "mode": u.Mode != nil, "mean": u.Mean != nil, "sd": u.SD != nil,
		"low": u.Low != nil, "high": u.High != nil, "values": u.Values != nil, "weights": u.Weights != nil}
	for _, name := range sortedKeys(given) {
		if given[name] && !slices.Contains(uses, name) {
			add(k+"."+name, "a %s given by %s does not use %s: leave it out", kind, strings.Join(uses, " and "), name)
		}
	}
	switch kind {
	case Uniform, Triangular, PERT:
		if need("min", "max") {
			ordered(*u.Min, *u.Max, "min", "max")
			inside(*u.Min, *u.Max, "range")
			switch {
			case u.Mode != nil && (u.Mode.LessThan(*u.Min) || u.Mode.GreaterThan(*u.Max)):
				add(k+".mode", "mode %s lies outside min-max", *u.Mode)
			case u.Mode == nil && kind != Uniform && (anchor.LessThan(*u.Min) || anchor.GreaterThan(*u.Max)):
				add(k, "the mode defaults to the value %s, which lies outside min-max %s-%s; give a mode", anchor, *u.Min, *u.Max)
			}
		}
	case Beta, Normal:
		switch {
		case u.has("low") || u.has("high"):
			if need("low", "high") {
				ordered(*u.Low, *u.High, "low", "high")
				inside(*u.Low, *u.High, "90% interval")
			}
		case need("sd"):
			if u.SD.Sign() <= 0 {
				add(k+".sd", "sd must be above 0")
			}
		}
		if kind == Beta && unit != Share {
			add(k+".distribution", "beta applies to shares only; use pert for a bounded %s", unit)
		}
		if kind == Beta && u.Mean != nil && (u.Mean.Sign() <= 0 || u.Mean.GreaterThanOrEqual(decimal.NewFromInt(1))) {
			add(k+".mean", "a beta's mean must lie strictly between 0 and 1")
		}
	case LogNormal:
		if need("low", "high") {
			ordered(*u.Low, *u.High, "low", "high")
			if u.Low.Sign() <= 0 {
				add(k+".low", "a lognormal's 90%% interval must be above 0")
			} else if u.High.GreaterThan(u.Low.Mul(decimal.NewFromInt(maxLogNormalRatio))) {
				add(k+".high", "a lognormal's high may be at most %d times its low (its tail would reach beyond any budget); give a narrower interval", maxLogNormalRatio)
			}
			inside(*u.Low, *u.High, "90% interval")
		}
	case Discrete:
		if len(u.Values) == 0 || len(u.Values) != len(u.Weights) {
			add(k, "discrete needs values and as many weights")
			return
		}
		total := decimal.Zero
		for _, w := range u.Weights {
			total = total.Add(w)
		}
		if total.Sign() == 0 {
			add(k+".weights", "the weights add up to 0; give at least one value a weight above 0")
		}
	}
}

func (u *Uncertainty) has(name string) bool {
	switch name {
	case "min":
		return u.Min != nil
	case "max":
		return u.Max != nil
	case "low":
		return u.Low != nil
	case "high":
		return u.High != nil
	case "sd":
		return u.SD != nil
	}
	return false
}

func distributionList() string {
	var s []string
	for _, d := range Distributions {
		s = append(s, string(d))
	}
	return strings.Join(s, ", ")
}
