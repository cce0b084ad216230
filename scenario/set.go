package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/shopspring/decimal"

	"raming/internal/suggest"
)

// uncertaintyKeys are the parameters of an uncertainty that --set can
// change: `--set funnel.affected_share.low=0.6`.
var uncertaintyKeys = []string{"low", "high", "min", "max", "mode", "mean", "sd"}

// Set changes the scenario for one run, as `--set KEY=VALUE` does. KEY is
// one spelling everywhere (the workbook's sheet Aannames, the scenario
// reference, messages): an option of variant B ("b.threshold=soft"), the
// value of an assumption by its ID ("funnel.affected_share=0.7",
// "A-15k.lump_sum=10000", "b.percentage_fixed=0.5"), or a parameter of an
// assumption's uncertainty ("funnel.affected_share.low=0.6"). Changed
// records what was set. The scenario is validated again afterwards
// (Revalidate).
func (s *Scenario) Set(key, value string) error {
	n := len(s.Changed)
	err := s.set(key, value)
	if err == nil && len(s.Changed) > n {
		s.Settings = append(s.Settings, key+"="+value)
	}
	return err
}

// SetAll applies changes written KEY=VALUE, as --set gives them (spaces
// around KEY and VALUE do not count), with Set, and validates the scenario
// again (Revalidate) when there are any.
func (s *Scenario) SetAll(changes []string) error {
	for _, kv := range changes {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("--set %q: write KEY=VALUE, e.g. --set b.threshold=soft", kv)
		}
		if err := s.Set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return err
		}
	}
	if len(changes) == 0 {
		return nil
	}
	return s.Revalidate()
}

func (s *Scenario) set(key, value string) error {
	if k, ok := strings.CutPrefix(key, "b."); ok {
		if op, isOption := OptionByKey(k); isOption {
			if s.B == nil {
				return fmt.Errorf("--set %s: the scenario has no variant B", key)
			}
			if err := op.Set(&s.B.Options, value); err != nil {
				return fmt.Errorf("--set %s", err)
			}
			s.Changed = append(s.Changed, key)
			return nil
		}
	}
	if key == "b.pending_peildatum" && s.B != nil {
		var d toml.LocalDate
		if err := d.UnmarshalText([]byte(value)); err != nil {
			return fmt.Errorf("--set %s=%s: %q is not a date; write YYYY-MM-DD", key, value, value)
		}
		s.B.Options.PendingPeildatum.Value = d
		s.Changed = append(s.Changed, key)
		return nil
	}
	number := func(unit Unit) (decimal.Decimal, error) {
		d, err := ParseNumber(value, unit)
		if err != nil {
			return d, fmt.Errorf("--set %s: %w", key, err)
		}
		return d, nil
	}
	entries := s.Entries()
	find := func(id string) (Entry, bool) {
		for _, e := range entries {
			if e.ID == id || strings.EqualFold(e.ID, id) {
				return e, true
			}
		}
		return Entry{}, false
	}
	if e, ok := find(key); ok {
		d, err := number(e.Unit)
		if err != nil {
			return err
		}
		given := e.Given()
		if !given {
			e.Assumption.Unit, e.Description, e.Source = e.Unit, "set on the command line", "--set "+e.ID
		}
		if !given || !e.Value.Equal(d) { // the same value changes nothing (and keeps the deck's rounding)
			s.Changed = append(s.Changed, e.ID)
		}
		e.Value = d
		return nil
	}
	if i := strings.LastIndex(key, "."); i > 0 && slices.Contains(uncertaintyKeys, key[i+1:]) {
		if e, ok := find(key[:i]); ok {
			u := e.Uncertainty
			if u == nil || u.MovesWith != "" {
				return fmt.Errorf("--set %s: %s has no distribution of its own; give it one in a scenario file ([%s.uncertainty], see docs/methodology.md)", key, e.ID, e.Key)
			}
			d, err := number(e.Unit)
			if err != nil {
				return err
			}
			field := map[string]**decimal.Decimal{"low": &u.Low, "high": &u.High, "min": &u.Min, "max": &u.Max, "mode": &u.Mode, "mean": &u.Mean, "sd": &u.SD}[key[i+1:]]
			*field = &d
			s.Changed = append(s.Changed, e.ID+"."+key[i+1:])
			return nil
		}
	}
	keys := []string{"b.pending_peildatum"}
	for _, op := range Options {
		keys = append(keys, "b."+op.Key)
	}
	for _, e := range entries {
		keys = append(keys, e.ID)
	}
	return fmt.Errorf("--set %s: no such option or assumption%s; the keys are listed in docs/scenario-reference.md (options: %s)",
		key, suggest.DidYouMean(key, keys), optionKeys())
}

// Revalidate checks the scenario again after Set. Its problems name an
// assumption as --set does (A-15k.lump_sum, A.cws_average_damage.high).
func (s *Scenario) Revalidate() error {
	errs := s.validate()
	if len(errs) == 0 {
		return nil
	}
	entries := s.Entries()
	for i, p := range errs {
		for _, e := range entries {
			if p.Key == e.Key+".value" {
				errs[i].Key = e.ID
				break
			}
			if rest, ok := strings.CutPrefix(p.Key, e.Key+"."); ok {
				errs[i].Key = e.ID + "." + strings.TrimPrefix(rest, "uncertainty.")
				break
			}
		}
	}
	return &Error{File: s.Origin + " (with --set " + strings.Join(s.Changed, ", ") + ")", Problems: errs}
}

// IsChanged reports whether --set changed the assumption or option with
// the given ID (or a parameter of its uncertainty).
func (s *Scenario) IsChanged(id string) bool {
	for _, c := range s.Changed {
		if c == id || strings.HasPrefix(c, id+".") {
			return true
		}
	}
	return false
}
