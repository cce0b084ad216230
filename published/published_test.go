package published

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestBuiltinFigures: the built-in set has every figure of the page
// "Published budget figures (EUR)", in euros or persons, with its range,
// comparison kind and secondary mark.
func TestBuiltinFigures(t *testing.T) {
	s, err := Load("ex-partners")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string // the figure's id
		year      int
		base      string // BaseValue: euros or persons
		low, high string // BaseRange; "" when the source gives one figure
		unit      Unit
		compare   Comparison
		secondary bool
	}{
		{name: "reservering-2021", year: 2021, base: "590000000", unit: EURMln, compare: TotalWithExcluded, secondary: true},
		{name: "reservering-2021-aantal", year: 2021, base: "8400", low: "7000", high: "9800", unit: Persons, compare: Population, secondary: true},
		{name: "forfait-afgeleid", year: 2023, base: "84000000", low: "70000000", high: "98000000", unit: EURMln, compare: SchemeTotal, secondary: true},
		{name: "psupp-2023-vastgesteld", year: 2023, base: "82909000", unit: EURThousand, compare: CashYear},
		{name: "psupp-2023-mutatie", year: 2023, base: "-72089000", unit: EURThousand, compare: ContextOnly},
		{name: "psupp-2023-stand", year: 2023, base: "10820000", unit: EURThousand, compare: CashYear},
		{name: "najaarsnota-2023", year: 2023, base: "11000000", unit: EURMln, compare: CashYear},
		{name: "mn2024-kasschuif", year: 2023, base: "-72089000", unit: EURThousand, compare: ContextOnly},
		{name: "vjn-2024-herijking", year: 2024, base: "233000000", unit: EURMln, compare: ContextOnly},
		{name: "vjn-2024-ap-schade", year: 2024, base: "1200000000", unit: EURMln, compare: ContextOnly},
		{name: "psupp-2023-andere-toeslagen", year: 2023, base: "1700000", unit: EURThousand, compare: ContextOnly},
		{name: "mn2023-publieke-schulden", year: 2023, base: "186000000", unit: EURMln, compare: ContextOnly},
		{name: "mn2023-private-schulden", year: 2023, base: "60000000", unit: EURMln, compare: ContextOnly},
		{name: "mn2023-derving", year: 2023, base: "34000000", unit: EURMln, compare: ContextOnly},
		{name: "aangemeld-2021-03", year: 2021, base: "180", unit: Persons, compare: ContextOnly, secondary: true},
	}
	if len(s.Figures) != len(tests) {
		t.Errorf("got %d figures, want %d", len(s.Figures), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := s.Find(tt.name)
			if !ok {
				t.Fatalf("no figure %q", tt.name)
			}
			if i < len(s.Figures) && s.Figures[i].ID != tt.name {
				t.Errorf("figure %d is %q, want %q (file order)", i, s.Figures[i].ID, tt.name)
			}
			if got := f.BaseValue().String(); got != tt.base {
				t.Errorf("BaseValue: got %s, want %s", got, tt.base)
			}
			low, high, ranged := f.BaseRange()
			if ranged != (tt.low != "") {
				t.Errorf("range given: got %v, want %v", ranged, tt.low != "")
			} else if ranged && (low.String() != tt.low || high.String() != tt.high) {
				t.Errorf("BaseRange: got %s-%s, want %s-%s", low, high, tt.low, tt.high)
			}
			if f.Year != tt.year || f.Unit != tt.unit || f.Compare != tt.compare || f.Secondary != tt.secondary {
				t.Errorf("got year %d, unit %s, compare %s, secondary %v; want %d, %s, %s, %v",
					f.Year, f.Unit, f.Compare, f.Secondary, tt.year, tt.unit, tt.compare, tt.secondary)
			}
		})
	}
}

// TestBuiltinSources: the sources are those the page gives, in Dutch as the
// sheet shows them (with "same" written out).
func TestBuiltinSources(t *testing.T) {
	const (
		cabinet = "nieuwsbericht dat het kabinetsbesluit van 29-10-2021 aanhaalt (Kamerstuk 31066 nr. 912)"
		psupp   = "rijksfinancien.nl, memorie van toelichting 2023 PSUPP IX (suppletoire begroting, Prinsjesdag 2023)"
		mn      = `rijksfinancien.nl, miljoenennota 2023, bijlage "Herstel Toeslagen"`
	)
	s, err := Load("ex-partners")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, source string }{
		{"reservering-2021", cabinet},
		{"reservering-2021-aantal", cabinet},
		{"psupp-2023-vastgesteld", psupp},
		{"psupp-2023-mutatie", psupp},
		{"psupp-2023-stand", psupp + "; ongewijzigd bij de tweede suppletoire begroting 2023"},
		{"najaarsnota-2023", "rijksfinancien.nl, najaarsnota 2023"},
		{"mn2023-publieke-schulden", mn},
		{"mn2023-private-schulden", mn},
		{"mn2023-derving", mn},
		{"aangemeld-2021-03", "nieuwsbericht (NOS)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := s.Find(tt.name)
			if f.Source != tt.source {
				t.Errorf("got source %q, want %q", f.Source, tt.source)
			}
		})
	}
	f, _ := s.Find("forfait-afgeleid")
	for _, w := range []string{"afgeleid", "7.000-9.800", "10.000", "36352", "31066 nr. 912"} {
		if !strings.Contains(f.Source+" "+f.Note, w) {
			t.Errorf("forfait-afgeleid: source and note do not say %q", w)
		}
	}
}

// TestMetadata checks what every figure of every built-in set must carry:
// a source; a note where it is secondary; a scope note where the tool has
// no figure of the same scope.
func TestMetadata(t *testing.T) {
	for _, name := range BuiltinNames() {
		s, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range s.Figures {
			if strings.TrimSpace(f.Source) == "" {
				t.Errorf("%s/%s: no source", name, f.ID)
			}
			if f.Secondary && !strings.Contains(strings.ToLower(f.Note), "secundair") {
				t.Errorf("%s/%s: secondary, but the note does not say so: %q", name, f.ID, f.Note)
			}
			if f.Compare == ContextOnly && f.ScopeNote == "" {
				t.Errorf("%s/%s: compare = context without a scope_note saying why", name, f.ID)
			}
			if !f.Unit.Valid() || !f.Compare.Valid() || !f.Compare.Accepts(f.Unit) {
				t.Errorf("%s/%s: unit %s, compare %s", name, f.ID, f.Unit, f.Compare)
			}
		}
	}
}

// TestBuiltinProvenance: the set carries its origin, the file's SHA-256 and text.
func TestBuiltinProvenance(t *testing.T) {
	s, err := Load("ex-partners")
	if err != nil {
		t.Fatal(err)
	}
	disk, err := os.ReadFile(filepath.Join("builtin", "ex-partners.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Origin != "built-in ex-partners" || len(s.SHA256) != 64 || string(s.Text) != string(disk) {
		t.Errorf("got origin %q, sha256 %q, text of %d bytes; want the built-in file's", s.Origin, s.SHA256, len(s.Text))
	}
	fromPath, err := Load(filepath.Join("builtin", "ex-partners.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if fromPath.SHA256 != s.SHA256 || !reflect.DeepEqual(fromPath.Figures, s.Figures) {
		t.Error("loading the file by path gives another set than loading it by name")
	}
}

// TestBadFiles: each bad file (made by testdata/make-bad.py) is refused with
// a message naming the file, the line (that of the marker text) and the key,
// and saying what to do.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file   string
		marker string // text on the line the error must point at; "" for no line
		key    string
		msg    string
	}{
		{"unknown-key.toml", `scopenote = "Uitgaven op de begrotingsregel in 2023 na de suppletoire begroting (82.909 - 72.089 duizend)."`, "figure.5.scopenote", "unknown key (did you mean scope_note?); a [[figure]] has the keys id, year"},
		{"top-level-key.toml", `title = "Gepubliceerde cijfers"`, "title", "the file holds only [[figure]] tables"},
		{"misspelt-table.toml", "[[figuur]]", "figuur", "unknown table (did you mean figure?); the file holds only [[figure]] tables"},
		{"bad-unit.toml", `unit = "euro"`, "figure.6.unit", `"euro" is not a unit; use one of eur, eur_thousand, eur_mln, persons`},
		{"missing-unit.toml", "[[figure]]\n#4", "figure.3.unit", `missing: add it, e.g. unit = "eur_thousand"`},
		{"duplicate-key.toml", "value = 12", "figure.6.value", "already defined on line 116; give each key once"},
		{"missing-value.toml", "[[figure]]\n#10", "figure.9.value", "missing: add it, e.g. value = 82909"},
		{"no-source.toml", "[[figure]]\n#7", "figure.6.source", "missing: add it, e.g. source ="},
		{"empty-source.toml", `source = ""`, "figure.6.source", "is empty; fill it in: source is the document"},
		{"unknown-compare.toml", `compare = "cash"`, "figure.5.compare", `"cash" is not a comparison kind; use one of cash_year, scheme_total, total_with_excluded, population, context`},
		{"low-above-high.toml", "low = 9800", "figure.1.low", "low 9800 is above high 7000: swap them"},
		{"value-outside-range.toml", "value = 10000", "figure.1.value", "value 10000 lies outside the range low 7000 to high 9800"},
		{"only-low.toml", "low = 7000", "figure.1.low", "low without high: give both ends"},
		{"quoted-number.toml", `value = "82909"`, "figure.3.value", `"82909" is text, not a number: write 82909 without quotes`},
		{"not-a-number.toml", `value = "ca. 590"`, "figure.0.value", `"ca. 590" is text, not a number; write a plain number, e.g. value = 82909`},
		{"thousands-separator.toml", "value = 82,909", "", "not valid TOML"},
		{"fractional-year.toml", "year = 2023.5", "figure.6.year", "must be a whole number, e.g. year = 2023"},
		{"secondary-text.toml", `secondary = "yes"`, "figure.10.secondary", "must be true or false, without quotes"},
		{"duplicate-id.toml", `id = "psupp-2023-vastgesteld"` + "\n#2", "figure.5.id", `id "psupp-2023-vastgesteld" is used twice (first by figure.3 on line 83)`},
		{"secondary-without-note.toml", "[[figure]]\n#11", "figure.10.note", "a figure with secondary = true needs a note"},
		{"compare-unit-mismatch.toml", `compare = "population"`, "figure.0.compare", `compare = "population" needs unit persons, but unit is "eur_mln"`},
		{"no-figures.toml", "", "figure", "no [[figure]] table: add one"},
		{"bsn-in-note.toml", `note = "gecontroleerd voor 1234 56 782"`, "figure.6.note", "the text holds a number that could be a BSN"},
		{"control-character.toml", `source = "rijksfinancien.nl,\u0007 najaarsnota 2023"`, "figure.6.source", "holds the character U+0007, which a workbook cannot hold"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := path
			if tt.marker != "" {
				want += ":" + strconv.Itoa(lineOf(t, string(text), tt.marker))
			}
			if tt.key != "" {
				want += ": " + tt.key + ": "
			}
			_, err = Load(path)
			if err == nil {
				t.Fatalf("got no error, want %q", want)
			}
			var pe *Error
			if !errors.As(err, &pe) || len(pe.Problems) != 1 {
				t.Errorf("got %v, want one problem in an *Error", err)
			}
			for _, w := range []string{want, tt.msg} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.toml"))
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s has no case in TestBadFiles", f)
		}
	}
}

// lineOf returns the 1-based line of a marker: "text" is its first
// occurrence, "text\n#2" its second.
func lineOf(t *testing.T, text, marker string) int {
	t.Helper()
	m, opt, _ := strings.Cut(marker, "\n")
	nth := 1
	if strings.HasPrefix(opt, "#") {
		nth, _ = strconv.Atoi(opt[1:])
	}
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == m {
			if nth--; nth == 0 {
				return i + 1
			}
		}
	}
	t.Fatalf("marker %q not found", marker)
	return 0
}

func TestLoadUnknown(t *testing.T) {
	_, err := Load("ex-partner")
	if err == nil || !strings.Contains(err.Error(), "neither a built-in set of published figures (ex-partners) nor a readable file") {
		t.Errorf("got %v, want an error naming the built-in sets", err)
	}
}

// TestAllProblemsAtOnce: the contents stage reports every problem, top down.
func TestAllProblemsAtOnce(t *testing.T) {
	b := []byte(`[[figure]]
id = "a"
year = 1999
line = "x"
value = 5
low = 1
high = 2
unit = "persons"
compare = "cash_year"

[[figure]]
id = "a"
year = 2023
line = "y"
value = 1
unit = "eur"
source = "s"
secondary = true
compare = "context"
`)
	_, err := Parse(b, "two.toml")
	want := []string{
		"two.toml:1: figure.0.source: missing",
		"two.toml:3: figure.0.year: 1999 is not a year from 2000 to 2100",
		"two.toml:5: figure.0.value: value 5 lies outside the range",
		"two.toml:9: figure.0.compare: compare = \"cash_year\" needs unit eur, eur_thousand or eur_mln",
		"two.toml:11: figure.1.note: missing",
		"two.toml:12: figure.1.id: id \"a\" is used twice (first by figure.0 on line 2)",
	}
	if err == nil {
		t.Fatal("got no error")
	}
	var pe *Error
	if !errors.As(err, &pe) || len(pe.Problems) != len(want) {
		t.Fatalf("got\n%v\nwant %d problems", err, len(want))
	}
	got := err.Error()
	last := -1
	for _, w := range want {
		i := strings.Index(got, w)
		if i < 0 || i < last {
			t.Errorf("got\n%v\nwant %q, after the problems above it", got, w)
		}
		last = i
	}
}

// TestMultilineStringLines: the layout follows TOML, not lines that look
// like keys or tables inside a multi-line string.
func TestMultilineStringLines(t *testing.T) {
	b := []byte(`[[figure]]
id = "a"
year = 2023
line = """
value = 1
[[figure]]
"""
value = "1"
unit = "eur"
source = "s"
compare = "context"
`)
	_, err := Parse(b, "ml.toml")
	if err == nil || !strings.Contains(err.Error(), `ml.toml:8: figure.0.value: "1" is text, not a number`) {
		t.Errorf("got %v, want the quoted number on line 8 of figure.0", err)
	}
}

func TestUnitsAndComparisons(t *testing.T) {
	for _, u := range Units {
		var back Unit
		txt, err := u.MarshalText()
		if err != nil || back.UnmarshalText(txt) != nil || back != u {
			t.Errorf("%s: text round trip gives %s (%v)", u, back, err)
		}
		if u.Label() == "" || !u.Factor().IsPositive() || !u.Base().Valid() {
			t.Errorf("%s: label %q, factor %s, base %s", u, u.Label(), u.Factor(), u.Base())
		}
	}
	for _, c := range Comparisons {
		var back Comparison
		txt, err := c.MarshalText()
		if err != nil || back.UnmarshalText(txt) != nil || back != c {
			t.Errorf("%s: text round trip gives %s (%v)", c, back, err)
		}
		if c.Label() == "" || c.Doc() == "" {
			t.Errorf("%s: label %q, doc %q", c, c.Label(), c.Doc())
		}
	}
	if Unit(0).Valid() || Comparison(0).Valid() {
		t.Error("the zero Unit or Comparison is valid; it must mean \"not given\"")
	}
	if got := EURThousand.Factor(); !got.Equal(decimal.NewFromInt(1000)) {
		t.Errorf("eur_thousand factor: got %s, want 1000", got)
	}
	if got := EURMln.Factor(); !got.Equal(decimal.NewFromInt(1_000_000)) {
		t.Errorf("eur_mln factor: got %s, want 1000000", got)
	}
}

// TestKeysMatchFigure: the table of keys (documentation, messages, checks)
// and Figure's toml tags list the same keys in the same order.
func TestKeysMatchFigure(t *testing.T) {
	var tags []string
	ft := reflect.TypeOf(Figure{})
	for i := 0; i < ft.NumField(); i++ {
		tags = append(tags, ft.Field(i).Tag.Get("toml"))
	}
	var keys []string
	for _, k := range figureKeys {
		keys = append(keys, k.name)
	}
	if !reflect.DeepEqual(tags, keys) {
		t.Errorf("Figure's toml tags %v, figureKeys %v", tags, keys)
	}
}

// FuzzParse: no input makes Parse panic or take more than time linear in
// its size (a second and 20 µs a byte, about a thousand times what parsing
// costs), and a file it accepts has only figures it would accept again.
func FuzzParse(f *testing.F) {
	b, _ := BuiltinText("ex-partners")
	f.Add(b)
	files, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.toml"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(figures(100))
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		s, err := Parse(b, "fuzz.toml")
		if d, budget := time.Since(start), time.Second+time.Duration(len(b))*20*time.Microsecond; d > budget {
			t.Fatalf("Parse took %v for %d bytes, more than %v: not linear in the file's size", d, len(b), budget)
		}
		if err != nil {
			return
		}
		for _, fig := range s.Figures {
			if !fig.Unit.Valid() || !fig.Compare.Valid() || fig.Source == "" {
				t.Errorf("accepted %+v", fig)
			}
			fig.BaseValue()
		}
	})
}

// Figures beyond any budget, or with fractions of a cent, are refused with
// their line.
func TestValueBounds(t *testing.T) {
	base := "[[figure]]\nid = \"x\"\nyear = 2023\nline = \"Regel\"\nunit = \"%s\"\nsource = \"bron\"\ncompare = \"context\"\nscope_note = \"n\"\nvalue = %s\n"
	for _, tt := range []struct{ unit, value, want string }{
		{"eur_mln", "1e300", "more than"},
		{"eur", "-1e-30", "more than two decimals"},
		{"persons", "2000000000000", "more than"},
	} {
		_, err := Parse([]byte(fmt.Sprintf(base, tt.unit, tt.value)), "f.toml")
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "f.toml:9") {
			t.Errorf("%s %s: got %v, want %q on line 9", tt.value, tt.unit, err, tt.want)
		}
	}
	if _, err := Parse([]byte(fmt.Sprintf(base, "eur_thousand", "82909.5")), "ok.toml"); err != nil {
		t.Errorf("82909.5 thousand: %v", err)
	}
}

// figures is a valid file of n figures.
func figures(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[[figure]]\nid = \"f-%d\"\nyear = 2023\nline = \"Regel\"\nvalue = 5\nunit = \"eur\"\nsource = \"bron\"\ncompare = \"cash_year\"\n\n", i)
	}
	return []byte(b.String())
}

// within fails the test unless f returns within a deadline generous for a
// slow machine: reading 6,000 figures took over 10 s when each key's line
// was counted from the start of the file, 20,000 more than 300 s.
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

// TestManyFiguresAreFast: a file of the most figures a file may hold reads
// quickly; one of 20,000 is refused at once, naming the limit.
func TestManyFiguresAreFast(t *testing.T) {
	within(t, func() {
		s, err := Parse(figures(MaxFigures), "most.toml")
		if err != nil || len(s.Figures) != MaxFigures {
			t.Errorf("got %v", err)
		}
	})
	within(t, func() {
		_, err := Parse(figures(20_000), "many.toml")
		if err == nil || !strings.Contains(err.Error(), "many.toml:18001: figure: more than 2000 [[figure]] tables: a file of published figures holds at most 2000") {
			t.Errorf("got %.300v", err)
		}
	})
}

// TestFileSize: a file larger than any set of figures (or endless) is
// refused before it is read.
func TestFileSize(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := Load("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a file of published figures") {
			t.Errorf("/dev/zero: got %v", err)
		}
	}
	big := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(big, make([]byte, limits.FileBytes+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "a file may have at most 4 MB") {
		t.Errorf("big file: got %v", err)
	}
}

// TestByteOrderMark: a file saved with a UTF-8 byte-order mark reads as
// the same figures.
func TestByteOrderMark(t *testing.T) {
	b, _ := BuiltinText("ex-partners")
	s, err := Parse(append([]byte("\uFEFF"), b...), "bom.toml")
	if err != nil || len(s.Figures) != 15 {
		t.Errorf("got %v", err)
	}
}
