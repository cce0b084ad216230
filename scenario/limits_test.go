package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// deckExactWith returns the built-in deck-exact with the first occurrence
// of from replaced by to, and the line it starts on.
func deckExactWith(t *testing.T, from, to string) (text string, line int) {
	t.Helper()
	b, err := BuiltinText("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), from)
	if i < 0 {
		t.Fatalf("%q not in deck-exact", from)
	}
	return strings.Replace(string(b), from, to, 1), strings.Count(string(b[:i]), "\n") + 1
}

// TestValueTypesNameKeyAndLine: a value of a TOML type the scenario cannot
// use (valid TOML all) is refused with its key, its line and what to
// write instead, not with the decoder's bare message.
func TestValueTypesNameKeyAndLine(t *testing.T) {
	tests := []struct {
		old, new string
		key      string
		msg      string
	}{
		{"value = 11000", "value = 11_000", "funnel.base_population.value", "11_000 is not a plain decimal number: write 11000, without underscores"},
		{"value = 11000", "value = 0x2AF8", "funnel.base_population.value", "0x2AF8 is not a plain decimal number: write 11000, in decimal digits"},
		{"value = 11000", "value = 0o25370", "funnel.base_population.value", "write 11000, in decimal digits"},
		{"value = 11000", "value = true", "funnel.base_population.value", "true is not a number; write a number such as 11000 or 0.75"},
		{"value = 11000", "value = nan", "funnel.base_population.value", "nan is not a number the estimate can use"},
		{"value = 11000", "value = inf", "funnel.base_population.value", "inf is not a number the estimate can use"},
		{"value = 11000", "value = -inf", "funnel.base_population.value", "-inf is not a number the estimate can use"},
		{"value = 11000", `value = "11000"`, "funnel.base_population.value", `"11000" is text, not a number: write 11000 without quotes`},
		{"value = 11000", "value = 2023-12-31", "funnel.base_population.value", "a TOML LocalDate is not a number"},
		{"value = 11000", "value = [11000]", "funnel.base_population.value", "a TOML Array is not a number"},
		{"low = 25000", "low = 25_000.5", "A.cws_average_damage.uncertainty.low", "write 25000.5, without underscores"},
		{"mode = 0\nmax = 0.5", "mode = 0\nmax = 0.5\nvalues = [0, 1_0]", "funnel.report_growth.uncertainty.values[1]", "write 10, without underscores"},
		{"deck = { low = 75,", "deck = { low = 7_5,", "A.deck.low", "write 75, without underscores"},
		{`threshold = "hard"`, "threshold = 5", "B.options.threshold", `"5" is not a value of this option; use one of none, hard, soft`},
		{`threshold = "hard"`, `threshold = "hart"`, "B.options.threshold", `"hart" is not a value of this option; use one of none, hard, soft`},
		{`peildatum = "2020-12-31"`, "peildatum = 2020", "B.options.peildatum", "use one of 2020-12-31, 2021-05-01, eerste-betaling, any date YYYY-MM-DD"},
		{"minimum_one_year = false", "minimum_one_year = 0", "B.options.minimum_one_year", "use one of false, true"},
		{"value = 2023-12-31", "value = 20231231", "B.options.pending_peildatum.value", "not a date; write one as YYYY-MM-DD without quotes"},
		{"value = 2023-12-31", `value = "2023-12-31"`, "B.options.pending_peildatum.value", `"2023-12-31" is text, not a date: write 2023-12-31 without quotes`},
	}
	for _, tt := range tests {
		t.Run(tt.new, func(t *testing.T) {
			text, line := deckExactWith(t, tt.old, tt.new)
			line += strings.Count(tt.new, "\n") // the value stands on new's last line
			_, err := Parse([]byte(text), "mine.toml")
			want := "mine.toml:" + strconv.Itoa(line) + ": " + tt.key + ": "
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v\nwant %q and %q", err, want, tt.msg)
			}
		})
	}
}

// TestByteOrderMark: a file saved with a UTF-8 byte-order mark reads as
// the same scenario; its SHA-256 and text are of the bytes as read.
func TestByteOrderMark(t *testing.T) {
	plain, err := BuiltinText("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	b := append([]byte("\xEF\xBB\xBF"), plain...)
	sc, err := Parse(b, "bom.toml")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if sc.SHA256 != hex.EncodeToString(sum[:]) || string(sc.Text) != string(b) {
		t.Errorf("SHA-256 or text is not of the bytes as read")
	}
	if sc.Name != "deck-exact" || !sc.Funnel.BasePopulation.Value.Equal(mustLoad(t, "deck-exact").Funnel.BasePopulation.Value) {
		t.Errorf("read %q with base population %s", sc.Name, sc.Funnel.BasePopulation.Value)
	}
}

func mustLoad(t *testing.T, name string) *Scenario {
	t.Helper()
	sc, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestCaseIDs: a case id must be a name the workbook can use, and no two
// may be one name there (the workbook writes every character but a letter
// or digit as _, and Excel ignores letter case).
func TestCaseIDs(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := []struct {
		id  string
		msg string // "" when the id is valid
	}{
		{"A-30k", ""},
		{"A-30k.v2_50%+", ""},
		{strings.Repeat("x", maxCaseID), ""},
		{"", "missing: every case needs an id"},
		{long, `has 300 characters; use at most 40`},
		{"A 30k", `case id "A 30k" contains ' '; use only letters a-z and A-Z, digits and - + % _ .`},
		{"A-30k€", `contains '€'`},
		{"A=30k", `contains '='`},
		{"A-15k", `case id "A-15k" is used twice`},
		{"A+15k", `case id "A+15k" is the same name in the workbook as case "A-15k"`},
		{"a-15k", `case id "a-15k" is the same name in the workbook as case "A-15k"`},
		{"a_15K", `case id "a_15K" is the same name in the workbook as case "A-15k"`},
		{"E", `case id "E" is the same name in the workbook as variant E`},
		{"b", `the same name in the workbook as variant B`},
		{"B-opties", `the same name in the workbook as the case B-opties that the model adds to variant B with an extract`},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			text, line := deckExactWith(t, `id = "A-30k"`, `id = "`+tt.id+`"`)
			_, err := Parse([]byte(text), "mine.toml")
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused a valid id: %v", err)
				}
				return
			}
			want := "mine.toml:" + strconv.Itoa(line) + ": A.cases.1.id: "
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v\nwant %q and %q", err, want, tt.msg)
			}
		})
	}
}

// TestCaseIDsWhenChanged: a case id changed after reading is checked again.
func TestCaseIDsWhenChanged(t *testing.T) {
	sc := mustLoad(t, "deck-exact")
	sc.A.Cases[1].ID = "a-15K"
	err := sc.Revalidate()
	if err == nil || !strings.Contains(err.Error(), `case id "a-15K" is the same name in the workbook as case "A-15k"`) {
		t.Errorf("got %v, want the clash of a-15K and A-15k", err)
	}
}

// TestBuiltinCaseIDs: the ids the built-in scenarios use and the one the
// model makes (B-opties) are valid case ids.
func TestBuiltinCaseIDs(t *testing.T) {
	ids := []string{"B-opties"}
	for _, name := range BuiltinNames() {
		for _, v := range mustLoad(t, name).Variants() {
			for _, c := range v.CaseHeads() {
				ids = append(ids, c.ID)
			}
		}
	}
	for _, id := range ids {
		if msg := caseIDProblem(id); msg != "" {
			t.Errorf("%s", msg)
		}
	}
}

// TestLimits: a value (or uncertainty parameter) outside its unit's range
// is refused, with its key and what is allowed: from a file with its line,
// from --set with the key as --set spells it.
func TestLimits(t *testing.T) {
	tests := []struct {
		set string // KEY=VALUE on the deck
		msg string
	}{
		{"funnel.base_population=1e308", "funnel.base_population: value 1e308 is too large: a value in persons is at most 100,000,000"},
		{"funnel.base_population=100000001", "a value in persons is at most 100,000,000"},
		{"b.soft_min_contribution=1e17", "b.soft_min_contribution: value 1e17 is too large: a value in eur is at most 1,000,000,000,000"},
		{"A-15k.lump_sum=1e13", "A-15k.lump_sum: value 10000000000000 is too large: a value in eur is at most 1,000,000,000,000"},
		{"A.cws_average_damage.high=1e300", "A.cws_average_damage.high: 1e300 is too large: a value in eur is at most 1,000,000,000,000"},
		{"D.cws_average_damage.sd=1e308", "D.cws_average_damage.sd: 1e308 is too large"},
		{"E.mediation_rate=10001", "E.mediation_rate: value 10001 is too large: a value in eur/hour is at most 10,000"},
		{"E.mediation_hours=1e30", "E.mediation_hours: value 1e30 is too large: a value in hours is at most 10,000"},
		{"E.mediation_cases.max=1e9", "E.mediation_cases.max: 1000000000 is too large: a value in files is at most 100,000,000"},
		{"B.problem_years=101", "B.problem_years: value 101 is too large: a value in years is at most 100"},
		{"phasing.cws_capacity=1e9", "phasing.cws_capacity: value 1000000000 is too large: a value in files/year is at most 100,000,000"},
		{"phasing.intake_years=50", "phasing.intake_years: value 50 must be a whole number from 1 to 20"},
		{"phasing.opening_year=2200", "phasing.opening_year: value 2200 must be a whole number from 2000 to 2100"},
		{"funnel.affected_share=1.5", "funnel.affected_share: value 1.5 is not a share: it must lie between 0 and 1"},
		{"funnel.affected_share.low=-0.1", "funnel.affected_share.low: -0.1 is negative"},
		{"funnel.affected_share=0.123456789012345678901", "has more than 20 decimals; round it"},
		{"funnel.affected_share=1e-30", "funnel.affected_share: value 1e-30 has more than 20 decimals"},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			sc := mustLoad(t, "deck")
			k, v, _ := strings.Cut(tt.set, "=")
			if err := sc.Set(k, v); err != nil {
				t.Fatal(err)
			}
			err := sc.Revalidate()
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v\nwant %q", err, tt.msg)
			}
		})
	}
}

// TestLimitsInFile: the same limits hold in a file, with key and line.
func TestLimitsInFile(t *testing.T) {
	tests := []struct {
		old, new string
		key, msg string
	}{
		{"value = 11000", "value = 1e308", "funnel.base_population.value", "value 1e308 is too large: a value in persons is at most 100,000,000"},
		{"high = 50000", "high = 1e300", "A.cws_average_damage.uncertainty.high", "1e300 is too large"},
		{"deck = { low = 75,", "deck = { low = 1e13,", "A.deck.low", "10000000000000 is too large; give a number from 0 to 1,000,000,000,000"},
		{"min = 500\nmax = 2000", "min = 500\nmax = 2e8", "E.mediation_cases.uncertainty.max", "200000000 is too large: a value in files is at most 100,000,000"},
	}
	for _, tt := range tests {
		t.Run(tt.new, func(t *testing.T) {
			text, line := deckExactWith(t, tt.old, tt.new)
			line += strings.Count(tt.old, "\n")
			_, err := Parse([]byte(text), "mine.toml")
			want := "mine.toml:" + strconv.Itoa(line) + ": " + tt.key + ": " + tt.msg
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v\nwant %q", err, want)
			}
		})
	}
}

// TestLimitsAdmitDocumented: the limits admit the settings the
// documentation shows.
func TestLimitsAdmitDocumented(t *testing.T) {
	for _, sets := range [][]string{
		{"funnel.affected_share=0.7"},
		{"b.threshold=soft"},
		{"funnel.affected_share.low=0.6"},
		{"phasing.cws_capacity_start=80", "phasing.cws_ramp_years=3"},
		{"A-15k.lump_sum=10000"},
		{"b.percentage_fixed=0.5"},
	} {
		for _, name := range BuiltinNames() {
			sc := mustLoad(t, name)
			for _, kv := range sets {
				k, v, _ := strings.Cut(kv, "=")
				if err := sc.Set(k, v); err != nil && !strings.Contains(err.Error(), "no such option or assumption") && !strings.Contains(err.Error(), "has no variant B") {
					t.Errorf("%s: --set %s: %v", name, kv, err)
				}
			}
			if err := sc.Revalidate(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

// TestEveryUnitHasALimit keeps unitMax in step with Units.
func TestEveryUnitHasALimit(t *testing.T) {
	for _, u := range Units {
		if unitMax[u].Sign() <= 0 {
			t.Errorf("unit %s has no largest value in unitMax", u)
		}
	}
}

// A text longer than a spreadsheet cell takes, and a file larger than any
// scenario (or endless), are refused with what to do.
func TestTextAndFileSize(t *testing.T) {
	b, err := BuiltinText("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Replace(string(b), `description = "The deck's assumptions computed exactly`, `description = "`+strings.Repeat("x", MaxText)+`The deck's assumptions computed exactly`, 1)
	if _, err := Parse([]byte(long), "long.toml"); err == nil || !strings.Contains(err.Error(), "shorten it") {
		t.Errorf("long text: got %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := Load("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a scenario file") {
			t.Errorf("/dev/zero: got %v", err)
		}
	}
}

func TestLogNormalSpreadIsBounded(t *testing.T) {
	sc, err := Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	set := func(low string) error {
		if err := sc.Set("A.cws_average_damage.low", low); err != nil {
			return err
		}
		return sc.Revalidate()
	}
	if err := set("1"); err == nil || !strings.Contains(err.Error(), "at most 1000 times its low") {
		t.Errorf("low 1, high 50,000: got %v", err)
	}
	if err := set("50"); err != nil {
		t.Errorf("low 50, high 50,000 (1,000 times): %v", err)
	}
}

// within fails the test unless f returns within a deadline generous for a
// slow machine: a parser whose time grows with the square of its input
// takes minutes on the inputs below, a linear one milliseconds.
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("not done after 10 s: reading is not linear in the file's size")
	}
}

// TestLargeInputsAreFast: a table header of 60,000 dotted parts (120 KB;
// it took minutes when each part joined the ones before it) is refused at
// once, naming the limit; so is a table of 50,000 keys (the decoder looks
// a key up among its table's keys one by one); a derived file with the
// most cases a variant may have resolves quickly; and a file of 4 MB of
// unknown keys is refused with its first problems.
func TestLargeInputsAreFast(t *testing.T) {
	header := "[" + strings.Repeat("a.", 59_999) + "a]\nx = 1\n"
	within(t, func() {
		_, err := Parse([]byte(header), "deep.toml")
		if err == nil || !strings.Contains(err.Error(), "deep.toml:1: a key of more than 16 parts: a dotted key has at most 16 parts") {
			t.Errorf("got %.300v", err)
		}
	})
	var wide strings.Builder
	for i := 0; i < 50_000; i++ {
		fmt.Fprintf(&wide, "[rounding.\"q%d\"]\n", i)
	}
	within(t, func() {
		_, err := Parse([]byte(wide.String()), "wide.toml")
		if err == nil || !strings.Contains(err.Error(), "wide.toml:1001: rounding: more than 1000 keys in one table: a table holds at most 1000") {
			t.Errorf("got %.300v", err)
		}
	})
	var derived strings.Builder
	derived.WriteString("base = \"deck\"\n[A]\ncentral_case = \"A-0\"\n")
	for i := 0; i < limits.Elements; i++ {
		fmt.Fprintf(&derived, "[[A.cases]]\nid = \"A-%d\"\n[A.cases.lump_sum]\nvalue = %d\nunit = \"eur\"\ndescription = \"d\"\nsource = \"s\"\n", i, i)
	}
	within(t, func() {
		sc, err := Parse([]byte(derived.String()), "cases.toml")
		if err != nil || len(sc.A.Cases) != limits.Elements {
			t.Errorf("got %.300v", err)
		}
	})
	var unknown strings.Builder
	for i := 0; unknown.Len() < limits.FileBytes-100; i++ {
		fmt.Fprintf(&unknown, "n%dame = \"x\"\n", i)
	}
	within(t, func() {
		_, err := Parse([]byte(unknown.String()), "typos.toml")
		if err == nil || !strings.Contains(err.Error(), "typos.toml:101: more problems follow") {
			t.Errorf("got %.300v", err)
		}
	})
}
