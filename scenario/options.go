package scenario

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// BOptions are the option choices of the preferred variant B, worked out in
// the deck's appendix ("Samenvatting uitwerking regeling"). With a
// population extract, variant B is computed record by record under them.
// docs/methodology.md, "Variant B per record", gives every rule.
type BOptions struct {
	// Percentage: share | weighted-share | per-year | fixed.
	Percentage string `toml:"percentage"`
	// Base: 30000 | 15000 | terugvordering (the applicant's total recovery).
	Base string `toml:"base"`
	// Peildatum: a date (2020-12-31, 2021-05-01) or eerste-betaling.
	Peildatum string `toml:"peildatum"`
	// Threshold: none | hard | soft.
	Threshold string `toml:"threshold"`
	// MinimumOneYear computes those admitted by the soft threshold as if
	// together at least one full year.
	MinimumOneYear bool `toml:"minimum_one_year"`
	// Offset30k: none | front | back.
	Offset30k string `toml:"offset_30k"`
	// DeductFromApplicant: 30k | 30k-plus-lump-sum.
	DeductFromApplicant string `toml:"deduct_from_applicant"`
	// ExtraPayment: none | proportional-split | extra.
	ExtraPayment string `toml:"extra_payment"`
	// CWSRoute: direct | uht-step.
	CWSRoute string `toml:"cws_route"`

	PercentagePerYear   Assumption `toml:"percentage_per_year" unit:"share" nl:"Percentage per jaar samen"`
	PercentageFixed     Assumption `toml:"percentage_fixed" unit:"share" nl:"Vast percentage"`
	SoftMinContribution Assumption `toml:"soft_min_contribution" unit:"eur" nl:"Zachte drempel: minimale bijdrage aan terugvordering"`
	Cap                 Assumption `toml:"cap" unit:"eur" nl:"Maximum bedrag (niet bij basis terugvordering)"`
	LumpSum             Assumption `toml:"lump_sum" unit:"eur" nl:"Forfaitair bedrag aanvrager (Catshuisregeling)"`
	AverageYears        Assumption `toml:"average_years" unit:"years" nl:"Gemiddeld aantal jaren problematiek (gewogen aandeel)" optional:"true"`
	UnknownYearsShare   Assumption `toml:"unknown_years_share" unit:"share" nl:"Aandeel jaren samen bij onbekend einde samenwonen"`
	LowAmount           Assumption `toml:"low_amount" unit:"eur" nl:"Grens laag bedrag"`
	UHTStepShare        Assumption `toml:"uht_step_share" unit:"share" nl:"Deel CWS-verzoeken afgehandeld in UHT-tussenstap"`
	ExecutionNone       Assumption `toml:"execution_none" unit:"eur" nl:"Uitvoeringskosten zonder drempel"`
	ExecutionHard       Assumption `toml:"execution_hard" unit:"eur" nl:"Uitvoeringskosten harde drempel"`
	ExecutionSoft       Assumption `toml:"execution_soft" unit:"eur" nl:"Uitvoeringskosten zachte drempel"`
	ExecutionExtra      Assumption `toml:"execution_extra" unit:"eur" nl:"Extra uitvoeringskosten per gekozen optie"`
}

// OptionChoices lists, per option key of `--set b.KEY=VALUE`, its valid
// values; "DATE" stands for a date YYYY-MM-DD.
var OptionChoices = map[string][]string{
	"percentage":            {"share", "weighted-share", "per-year", "fixed"},
	"base":                  {"30000", "15000", "terugvordering"},
	"peildatum":             {"2020-12-31", "2021-05-01", "eerste-betaling", "DATE"},
	"threshold":             {"none", "hard", "soft"},
	"minimum_one_year":      {"true", "false"},
	"offset_30k":            {"none", "front", "back"},
	"deduct_from_applicant": {"30k", "30k-plus-lump-sum"},
	"extra_payment":         {"none", "proportional-split", "extra"},
	"cws_route":             {"direct", "uht-step"},
}

// PeildatumDate returns the fixed reference date, or ok false for
// eerste-betaling (each record's own date).
func (o *BOptions) PeildatumDate() (d time.Time, ok bool) {
	t, err := time.Parse("2006-01-02", o.Peildatum)
	return t, err == nil
}

// choices maps each option key to its field (minimum_one_year is the
// one bool).
func (o *BOptions) choices() map[string]*string {
	return map[string]*string{
		"percentage": &o.Percentage, "base": &o.Base, "peildatum": &o.Peildatum, "threshold": &o.Threshold,
		"offset_30k": &o.Offset30k, "deduct_from_applicant": &o.DeductFromApplicant,
		"extra_payment": &o.ExtraPayment, "cws_route": &o.CWSRoute,
	}
}

// choice returns the value of an option key.
func (o *BOptions) choice(key string) string {
	if key == "minimum_one_year" {
		return fmt.Sprint(o.MinimumOneYear)
	}
	if p, ok := o.choices()[key]; ok {
		return *p
	}
	return ""
}

// setChoice sets an option key, checking the value.
func (o *BOptions) setChoice(key, value string) error {
	valid, ok := OptionChoices[key]
	if !ok {
		return fmt.Errorf("unknown option b.%s; options: %s", key, optionKeys())
	}
	if !slices.Contains(valid, value) && !(key == "peildatum" && isDate(value)) {
		return fmt.Errorf("b.%s=%q is not valid; use one of %s", key, value, strings.Join(valid, ", "))
	}
	if key == "minimum_one_year" {
		o.MinimumOneYear = value == "true"
		return nil
	}
	*o.choices()[key] = value
	return nil
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func optionKeys() string {
	keys := sortedKeys(OptionChoices)
	for i, k := range keys {
		keys[i] = "b." + k
	}
	return strings.Join(keys, ", ")
}

// validateOptions checks every choice of B's options.
func (s *Scenario) validateOptions(add func(key, format string, args ...any)) {
	o := &s.B.Options
	for _, key := range sortedKeys(OptionChoices) {
		v := o.choice(key)
		if key == "minimum_one_year" {
			continue
		}
		if v == "" {
			add("B.options."+key, "missing: choose one of %s", strings.Join(OptionChoices[key], ", "))
			continue
		}
		if err := (&BOptions{}).setChoice(key, v); err != nil {
			add("B.options."+key, "%v", err)
		}
	}
}

// Set changes the scenario for one run, as `--set KEY=VALUE` does: an
// option of variant B ("b.threshold=soft") or the value of any assumption
// by its ID ("funnel.affected_share=0.7", "b.percentage_fixed=0.5"). The
// scenario is validated again afterwards.
func (s *Scenario) Set(key, value string) error {
	if k, ok := strings.CutPrefix(key, "b."); ok {
		if _, isChoice := OptionChoices[k]; isChoice {
			return s.B.Options.setChoice(k, value)
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
