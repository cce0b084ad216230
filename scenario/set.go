package scenario

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Set changes the scenario for one run, as `--set KEY=VALUE` does: an
// option of variant B ("b.threshold=soft") or the value of any assumption
// by its ID ("funnel.affected_share=0.7", "b.percentage_fixed=0.5"). The
// scenario is validated again afterwards (Revalidate).
func (s *Scenario) Set(key, value string) error {
	if k, ok := strings.CutPrefix(key, "b."); ok {
		if op, isOption := OptionByKey(k); isOption {
			if s.B == nil {
				return fmt.Errorf("--set %s: the scenario has no variant B", key)
			}
			return op.Set(&s.B.Options, value)
		}
		key = "B.options." + k
	}
	for _, e := range s.Entries() {
		if e.ID == key || strings.EqualFold(e.ID, key) {
			d, err := decimal.NewFromString(value)
			if err != nil {
				return fmt.Errorf("--set %s=%s: %q is not a number", key, value, value)
			}
			if !e.Given() {
				e.Assumption.Unit, e.Description, e.Source = e.Unit, "set on the command line", "--set "+key
			}
			e.Value = d
			return nil
		}
	}
	return fmt.Errorf("--set %s: no such option or assumption; options: %s; assumptions: see docs/scenario-reference.md", key, optionKeys())
}

// Revalidate checks the scenario again after Set.
func (s *Scenario) Revalidate() error {
	if errs := s.validate(); len(errs) > 0 {
		return &Error{File: s.Origin + " (with --set)", Problems: errs}
	}
	return nil
}
