package raming_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/shopspring/decimal"

	"raming/input"
	"raming/internal/strictoml"
	"raming/raming"
	"raming/scenario"
)

// policyCase is one file of testdata/cases: a policy case as data, which an
// analyst writes without Go (docs/cases.md): where it comes from, the
// scenario and B's options, the records, and what variant B gives each.
type policyCase struct {
	// Name says what the case is.
	Name string `toml:"name"`
	// Source names the deck's slide and quotes its wording.
	Source string `toml:"source"`
	// Scenario is a built-in scenario.
	Scenario string `toml:"scenario"`
	// Set changes it as --set does: "b.threshold=hard".
	Set []string `toml:"set"`
	// Tolerance is how far a figure may lie from what the case expects, in
	// the figure's unit (euros for amounts, a fraction for percentage and
	// weight, years for years).
	Tolerance *decimal.Decimal `toml:"tolerance"`
	// Records are the ex-partners, each with what B gives them.
	Records []caseRecord `toml:"record"`
}

// caseRecord is one row of the population extract, its columns named and
// written as the contract (docs/input.md) has them, with TOML's dates and
// numbers; an empty or absent value is empty in the extract. id and
// dossier_id may be left out.
type caseRecord struct {
	ID                  string           `toml:"id"`
	DossierID           string           `toml:"dossier_id"`
	RestoredAsApplicant string           `toml:"herstel_als_aanvrager"`
	Affected            string           `toml:"gedupeerd"`
	ProblemStart        toml.LocalDate   `toml:"start_problematiek"`
	EndTogether         toml.LocalDate   `toml:"einde_samen"`
	FirstPayment        toml.LocalDate   `toml:"eerste_betaling_aanvrager"`
	ReportDate          toml.LocalDate   `toml:"melddatum"`
	Recovery            *decimal.Decimal `toml:"terugvordering_totaal"`
	Contributed         *decimal.Decimal `toml:"bijgedragen_terugvordering"`
	Received30k         *decimal.Decimal `toml:"ontvangen_deel_30k"`
	IntegralAssessment  *decimal.Decimal `toml:"integrale_beoordeling"`
	Hardship            string           `toml:"schrijnend"`
	// Want is what variant B gives the record (raming.RecordsB).
	Want caseWant `toml:"want"`
}

// caseWant is what a case expects of one record; a figure left out is not
// checked, but access and amount are required.
type caseWant struct {
	Access              string           `toml:"access"` // ja, nee or verwacht
	Amount              *decimal.Decimal `toml:"amount"`
	ApplicantAdjustment *decimal.Decimal `toml:"applicant_adjustment"`
	Weight              *decimal.Decimal `toml:"weight"`
	Percentage          *decimal.Decimal `toml:"percentage"`
	YearsTogether       *decimal.Decimal `toml:"years_together"`
	ProblemYears        *decimal.Decimal `toml:"problem_years"`
	// Reason is text the record's reason must contain.
	Reason string `toml:"reason"`
}

// caseLimits bound a case file as a scenario file is bounded.
var caseLimits = strictoml.Limits{FileBytes: 1 << 20, Entries: 10_000, KeyParts: 8, KeyBytes: 64, Elements: 1_000, TextBytes: 4000}

var caseSchema = strictoml.Schema{
	Type: reflect.TypeOf(policyCase{}),
	Noun: "a case file",
	Unknown: func(path []string, _ bool) string {
		switch {
		case len(path) == 3 && path[0] == "record":
			return "a record has the contract's columns (" + strings.Join(input.Columns, ", ") + ") and want"
		case len(path) == 4 && path[2] == "want":
			return "want has " + strings.Join(strictoml.Keys(reflect.TypeOf(caseWant{})), ", ")
		}
		return "a case has " + strings.Join(strictoml.Keys(reflect.TypeOf(policyCase{})), ", ") + " (see docs/cases.md)"
	},
}

// caseError is a problem of a case file, at the line of its key.
type caseError struct {
	file string
	doc  *strictoml.Doc
}

func (c caseError) at(key, format string, args ...any) error {
	line, best := 0, 0 // the line of key, or else of the nearest table that holds it
	for _, e := range c.doc.Entries {
		if k := e.Key(); (k == key || strings.HasPrefix(key, k+".")) && len(k) >= best {
			line, best = e.Line, len(k)
		}
	}
	where := c.file
	if line > 0 {
		where += fmt.Sprintf(":%d", line)
	}
	return fmt.Errorf("%s: %s: %s", where, key, fmt.Sprintf(format, args...))
}

// loadCase reads and checks a case file: every problem names the file,
// the line and the key.
func loadCase(file string, b []byte) (*policyCase, caseError, error) {
	doc, ps := strictoml.Check(b, caseLimits, caseSchema)
	ce := caseError{file: file, doc: doc}
	if len(ps) == 0 {
		var pc policyCase
		if ps = strictoml.Decode(doc, &pc); len(ps) == 0 {
			return &pc, ce, pc.check(ce)
		}
	}
	var msgs []string
	for _, p := range ps {
		msgs = append(msgs, fmt.Sprintf("%s:%d: %s: %s", file, p.Line, p.Key, p.Msg))
	}
	return nil, ce, errors.New(strings.Join(msgs, "\n"))
}

// check says what a case must have beyond its keys' types.
func (pc *policyCase) check(ce caseError) error {
	for _, f := range []struct{ key, v string }{{"name", pc.Name}, {"source", pc.Source}, {"scenario", pc.Scenario}} {
		if strings.TrimSpace(f.v) == "" {
			return ce.at(f.key, "missing: a case needs a name, its source (the deck's slide and wording) and a built-in scenario")
		}
	}
	switch {
	case pc.Tolerance == nil || pc.Tolerance.IsNegative():
		return ce.at("tolerance", "missing: give how far a figure may lie from the case's, e.g. tolerance = 0.005 (half a cent)")
	case len(pc.Records) == 0:
		return ce.at("record", "missing: give at least one [[record]] with its [record.want]")
	}
	for i, r := range pc.Records {
		key := fmt.Sprintf("record.%d.want", i)
		if !slices.Contains([]string{"ja", "nee", "verwacht"}, r.Want.Access) {
			return ce.at(key+".access", "%q: want access = \"ja\", \"nee\" or \"verwacht\"", r.Want.Access)
		}
		if r.Want.Amount == nil {
			return ce.at(key+".amount", "missing: give the amount B pays (0 for none)")
		}
	}
	return nil
}

// population builds the extract of a case's records with the input
// package's own reader, so the records are read as the contract reads them.
func (pc *policyCase) population(ce caseError) (*input.Population, error) {
	var b strings.Builder
	b.WriteString(strings.Join(input.Columns, ",") + "\n")
	for i, r := range pc.Records {
		if r.ID == "" {
			r.ID = fmt.Sprintf("record-%d", i)
		}
		if r.DossierID == "" {
			r.DossierID = "dossier-" + r.ID
		}
		date := func(d toml.LocalDate) string {
			if d == (toml.LocalDate{}) {
				return ""
			}
			return d.String()
		}
		money := func(d *decimal.Decimal) string {
			if d == nil {
				return ""
			}
			return d.String()
		}
		row := []string{r.ID, r.DossierID, r.RestoredAsApplicant, r.Affected, date(r.ProblemStart), date(r.EndTogether),
			date(r.FirstPayment), date(r.ReportDate), money(r.Recovery), money(r.Contributed), money(r.Received30k),
			money(r.IntegralAssessment), r.Hardship}
		for j, v := range row {
			if strings.ContainsAny(v, ",\"\n") {
				row[j] = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
		}
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	pop, err := input.Read(strings.NewReader(b.String()), input.Options{Source: ce.file})
	if err != nil {
		return nil, err
	}
	if len(pop.Rejected) > 0 {
		re := pop.Rejected[0]
		i := re.Line - 2 // the header is line 1
		key := fmt.Sprintf("record.%d", i)
		if re.Column != "" {
			key += "." + re.Column
		}
		return nil, ce.at(key, "the extract's reader refuses it: %s", re.Reason())
	}
	return pop, nil
}

// TestCaseRecordHasTheContract keeps caseRecord's keys in step with the
// contract's columns.
func TestCaseRecordHasTheContract(t *testing.T) {
	keys := strictoml.Keys(reflect.TypeOf(caseRecord{}))
	if got := keys[:len(keys)-1]; !slices.Equal(got, input.Columns) {
		t.Errorf("caseRecord has %v, the contract %v: add the column to caseRecord and to its row in population", got, input.Columns)
	}
}

// TestPolicyCases checks every case of testdata/cases against variant B
// per record (raming.RecordsB) on a population of the case's records.
func TestPolicyCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in testdata/cases (%v)", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".toml"), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, err := range runCase(file, b) {
				t.Error(err)
			}
		})
	}
}

// runCase runs one case file and returns every difference from what it
// expects (or why it cannot run).
func runCase(file string, b []byte) []error {
	pc, ce, err := loadCase(file, b)
	if err != nil {
		return []error{err}
	}
	sc, err := scenario.Load(pc.Scenario)
	if err != nil {
		return []error{ce.at("scenario", "%v", err)}
	}
	for i, kv := range pc.Set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return []error{ce.at("set", "set[%d] %q: write KEY=VALUE, as --set takes it", i, kv)}
		}
		if err := sc.Set(k, v); err != nil {
			return []error{ce.at("set", "%v", err)}
		}
	}
	if err := sc.Revalidate(); err != nil {
		return []error{ce.at("set", "%v", err)}
	}
	pop, err := pc.population(ce)
	if err != nil {
		return []error{err}
	}
	recs, err := raming.RecordsB(sc, pop)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for i, want := range pc.Records {
		got := recs[i]
		key := fmt.Sprintf("record.%d.want", i)
		if got.Access != want.Want.Access {
			errs = append(errs, ce.at(key+".access", "got %s (%s), want %s", got.Access, got.Reason, want.Want.Access))
		}
		for _, f := range []struct {
			key  string
			got  decimal.Decimal
			want *decimal.Decimal
		}{
			{"amount", got.Amount, want.Want.Amount},
			{"applicant_adjustment", got.ApplicantAdjustment, want.Want.ApplicantAdjustment},
			{"weight", decimal.NewFromFloat(got.Weight), want.Want.Weight},
			{"percentage", got.Percentage, want.Want.Percentage},
			{"years_together", got.YearsTogether, want.Want.YearsTogether},
			{"problem_years", got.ProblemYears, want.Want.ProblemYears},
		} {
			if f.want != nil && f.got.Sub(*f.want).Abs().GreaterThan(*pc.Tolerance) {
				errs = append(errs, ce.at(key+"."+f.key, "got %s, want %s ± %s (years together %s of %s, percentage %s, %s)",
					f.got, f.want, pc.Tolerance, got.YearsTogether, got.ProblemYears, got.Percentage, got.Reason))
			}
		}
		if want.Want.Reason != "" && !strings.Contains(got.Reason, want.Want.Reason) {
			errs = append(errs, ce.at(key+".reason", "got %q, want it to contain %q", got.Reason, want.Want.Reason))
		}
	}
	return errs
}

// TestBadCases: a case file with a mistake fails with the file, the line
// and the field, saying what is wrong.
func TestBadCases(t *testing.T) {
	const good = `name = "n"
source = "s"
scenario = "deck-exact"
set = ["b.threshold=none", "b.peildatum=2020-01-01"]
tolerance = 0.005

[[record]]
herstel_als_aanvrager = "nee"
gedupeerd = "ja"
start_problematiek = 2014-01-01
einde_samen = 2016-01-01
[record.want]
access = "ja"
amount = 10000
`
	if errs := runCase("good.toml", []byte(good)); len(errs) > 0 {
		t.Fatalf("the good case fails: %v", errs)
	}
	tests := []struct{ name, old, new, want string }{
		{"misspelt column", "einde_samen = 2016", "einde_sammen = 2016", "bad.toml:11: record.0.einde_sammen: unknown key (did you mean einde_samen?); a record has the contract's columns"},
		{"date as text", "einde_samen = 2016-01-01", `einde_samen = "1-1-2016"`, "bad.toml:11: record.0.einde_samen: not a date; write one as YYYY-MM-DD without quotes"},
		{"a value the reader refuses", `gedupeerd = "ja"`, `gedupeerd = "misschien"`, `bad.toml:9: record.0.gedupeerd: the extract's reader refuses it: value "misschien" is not a valid answer`},
		{"no tolerance", "tolerance = 0.005\n", "", "bad.toml: tolerance: missing"},
		{"no amount", "amount = 10000\n", "", "bad.toml:12: record.0.want.amount: missing"},
		{"access", `access = "ja"`, `access = "yes"`, `bad.toml:13: record.0.want.access: "yes": want access = "ja"`},
		{"unknown option", "b.threshold=none", "b.treshold=none", "bad.toml:4: set: --set b.treshold: no such option or assumption"},
		{"unknown scenario", `scenario = "deck-exact"`, `scenario = "dek"`, "bad.toml:3: scenario: scenario dek is not valid"},
		{"wrong amount", "amount = 10000", "amount = 9000", "bad.toml:14: record.0.want.amount: got 10000, want 9000 ± 0.005"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(good, tt.old) {
				t.Fatalf("%q not in the good case", tt.old)
			}
			errs := runCase("bad.toml", []byte(strings.Replace(good, tt.old, tt.new, 1)))
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("got %v\nwant one error containing %q", errs, tt.want)
			}
		})
	}
}
