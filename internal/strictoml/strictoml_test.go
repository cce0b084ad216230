package strictoml

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/shopspring/decimal"
)

// doc is the schema of the tests: a table, an array of tables, a map, a
// date, a list of numbers and a closed list.
type doc struct {
	Name   string `toml:"name"`
	Funnel struct {
		Base decimal.Decimal `toml:"base"`
		Year int             `toml:"year"`
		On   bool            `toml:"on"`
	} `toml:"funnel"`
	Cases []struct {
		ID     string `toml:"id"`
		Amount struct {
			Value decimal.Decimal `toml:"value"`
		} `toml:"amount"`
	} `toml:"cases"`
	Rounding map[string]struct {
		Value decimal.Decimal `toml:"value"`
	} `toml:"rounding"`
	Date   toml.LocalDate    `toml:"date"`
	Values []decimal.Decimal `toml:"values"`
	Color  color             `toml:"color"`
}

// color is a closed list.
type color int

func (c *color) UnmarshalText(b []byte) error {
	switch string(b) {
	case "red", "blue":
		return nil
	}
	return fmt.Errorf("%q is not a color; use one of red, blue", b)
}

var testLimits = Limits{FileBytes: 1 << 20, Entries: 1000, KeyParts: 6, KeyBytes: 32, Elements: 50, TextBytes: 100}

var testSchema = Schema{Type: reflect.TypeOf(doc{}), Noun: "a test file",
	Unknown: func([]string, bool) string { return "see the keys" }}

func check(text string) []Problem {
	_, ps := Check([]byte(text), testLimits, testSchema)
	return ps
}

// TestProblems: each problem is found with its line, its numbered key and
// what to do.
func TestProblems(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // "line: key: message" of the one problem
	}{
		{"valid", "name = \"x\"\n[funnel]\nbase = 5\n[[cases]]\nid = \"a\"\n[cases.amount]\nvalue = 1\n[[cases]]\nid = \"b\"\n[rounding.\"x.y\"]\nvalue = 2\n", ""},
		{"unknown key", "[funnel]\nbsae = 5\n", "2: funnel.bsae: unknown key (did you mean base?); see the keys"},
		{"unknown table", "[funel]\nbase = 5\n", "1: funel: unknown table (did you mean funnel?); see the keys"},
		{"unknown nested table", "[funnel.base.x]\n", "1: funnel.base.x: unknown table (a typo?); see the keys"},
		{"unknown in array element", "[[cases]]\nid = \"a\"\n[[cases]]\nidd = \"b\"\n", "4: cases.1.idd: unknown key (did you mean id?); see the keys"},
		{"sub-table of an array element", "[[cases]]\n[[cases]]\n[cases.amount]\nvalue = \"1\"\n", `4: cases.1.amount.value: "1" is text, not a number: write 1 without quotes`},
		{"unknown in inline table", "funnel = { base = 1, yaer = 2 }\n", "1: funnel.yaer: unknown key (did you mean year?); see the keys"},
		{"duplicate key", "[funnel]\nbase = 1\nbase = 2\n", "3: funnel.base: already defined on line 2; give each key once"},
		{"duplicate table", "[funnel]\n[funnel]\n", "2: funnel: already defined on line 1; give each table once"},
		{"duplicate key in inline table", "funnel = { base = 1, base = 2 }\n", "1: funnel.base: already defined on line 1; give each key once"},
		{"underscores", "[funnel]\nbase = 11_000\n", "2: funnel.base: 11_000 is not a plain decimal number: write 11000, without underscores"},
		{"hexadecimal", "[funnel]\nbase = 0x10\n", "2: funnel.base: 0x10 is not a plain decimal number: write 16, in decimal digits"},
		{"nan", "[funnel]\nbase = nan\n", "2: funnel.base: nan is not a number the estimate can use; write a number such as 11000 or 0.75"},
		{"quoted number", "[funnel]\nbase = \"5\"\n", `2: funnel.base: "5" is text, not a number: write 5 without quotes`},
		{"text for a number", "[funnel]\nbase = \"ca. 5\"\n", `2: funnel.base: "ca. 5" is text, not a number; write a number such as 11000 or 0.75 (no thousands separators, no "ca.")`},
		{"fraction for a whole number", "[funnel]\nyear = 2023.5\n", "2: funnel.year: must be a whole number"},
		{"text for a whole number", "[funnel]\nyear = \"2023\"\n", `2: funnel.year: is text ("2023"); write the number without quotes`},
		{"text for a boolean", "[funnel]\non = \"yes\"\n", "2: funnel.on: must be true or false, without quotes"},
		{"number for text", "name = 5\n", "1: name: must be text in quotes"},
		{"date as text", "date = \"2023-12-31\"\n", `1: date: "2023-12-31" is text, not a date: write 2023-12-31 without quotes`},
		{"not a date", "date = 20231231\n", "1: date: not a date; write one as YYYY-MM-DD without quotes, e.g. 2023-12-31"},
		{"closed list", "color = \"green\"\n", `1: color: "green" is not a color; use one of red, blue`},
		{"array element", "values = [1, 2_0]\n", "1: values[1]: 2_0 is not a plain decimal number: write 20, without underscores"},
		{"value for a table", "funnel = 5\n", "1: funnel: is a table, not a single value: write it as [funnel] with the keys base, year, on"},
		{"long text", "name = \"" + strings.Repeat("x", 101) + "\"\n", "1: name: 101 characters: a text may have at most 100 (a spreadsheet cell holds 32,767); shorten it"},
		{"control character", "name = \"a\\u0007b\"\n", "1: name: holds the character U+0007, which a workbook cannot hold; remove it (a line break or a tab may stay)"},
		{"C1 control character", "[[cases]]\nid = \"a\\u0085\"\n", "2: cases.0.id: holds the character U+0085, which a workbook cannot hold; remove it (a line break or a tab may stay)"},
		{"non-character", "name = \"\\uFFFF\"\n", "1: name: holds the character U+FFFF, which a workbook cannot hold; remove it (a line break or a tab may stay)"},
		{"line break and tab", "name = \"\"\"a\n\tb\\r\"\"\"\n", ""},
		{"syntax", "[funnel]\nbase = 300 euro\n", "2: : not valid TOML: expected newline but got U+0065 'e'; write text in quotes and numbers with digits only (82909 or 10.82, no thousands separators)"},
		{"key depth", "[a.b.c.d.e.f.g]\n", "1: : a key of more than 6 parts: a dotted key has at most 6 parts"},
		{"key length", "[" + strings.Repeat("a", 33) + "]\n", "1: : a key of 33 bytes: a key (each part of a dotted key) has at most 32"},
		{"array of tables", strings.Repeat("[[cases]]\n", 51), "51: cases: more than 50 [[cases]] tables: a test file holds at most 50"},
		{"array", "values = [" + strings.Repeat("1,", 51) + "]\n", "1: values: more than 50 values: an array holds at most 50"},
		{"keys of a table", entries(51), "51: rounding: more than 50 keys in one table: a table holds at most 50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := check(tt.text)
			var got []string
			for _, p := range ps {
				got = append(got, fmt.Sprintf("%d: %s: %s", p.Line, p.Key, p.Msg))
			}
			want := []string{}
			if tt.want != "" {
				want = []string{tt.want}
			}
			if len(got) == 0 {
				got = []string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q\nwant %q", got, want)
			}
		})
	}
}

// entries is a document of n distinct tables.
func entries(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[rounding.k%d]\n", i)
	}
	return b.String()
}

// TestEntryLimit: a document with more tables and keys than the limit is
// refused at the first one past it.
func TestEntryLimit(t *testing.T) {
	lim := testLimits
	lim.Elements = 10_000
	_, ps := Check([]byte(entries(1001)), lim, testSchema)
	if len(ps) != 1 || ps[0].Line != 1001 || ps[0].Msg != "more than 1000 tables and keys: a test file holds at most 1000" {
		t.Errorf("got %v", ps)
	}
}

// TestByteOrderMark: a document may begin with one; lines count without it.
func TestByteOrderMark(t *testing.T) {
	d, ps := Check([]byte("\uFEFFname = \"x\"\n[funnel]\nbsae = 1\n"), testLimits, testSchema)
	if len(ps) != 1 || ps[0].Line != 3 || string(d.Text[:4]) != "name" {
		t.Errorf("got %v", ps)
	}
}

// TestFileSize: a document or a file larger than the limit is refused
// before it is read.
func TestFileSize(t *testing.T) {
	big := strings.Repeat("#\n", 600_000)
	if ps := check(big); len(ps) != 1 || !strings.Contains(ps[0].Msg, "a file may have at most 1 MB") {
		t.Errorf("document: got %v", ps)
	}
	path := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(path, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path, 1<<20); err == nil || !strings.Contains(err.Error(), "1.1 MB (a file may have at most 1 MB)") {
		t.Errorf("file: got %v", err)
	}
	if _, err := ReadFile(t.TempDir(), 1<<20); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: got %v", err)
	}
}

// TestEntries: entries carry their numbered path and lines; a multi-line
// value spans its lines.
func TestEntries(t *testing.T) {
	d, ps := Check([]byte("name = \"\"\"\na\nb\"\"\"\n[[cases]]\n[cases.amount]\nvalue = 1\n# a comment\n[[cases]]\nid = \"x\"\n"), testLimits, testSchema)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	var got []string
	for _, e := range d.Entries {
		got = append(got, fmt.Sprintf("%s %d-%d", e.Key(), e.Line, e.EndLine))
	}
	want := []string{"name 1-3", "cases.0 4-4", "cases.0.amount 5-5", "cases.0.amount.value 6-6", "cases.1 8-8", "cases.1.id 9-9"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if i := d.EntryAt(7); d.Entries[i].Key() != "cases.0.amount.value" {
		t.Errorf("EntryAt(7): %d", i)
	}
}

// TestDecode: Decode fills the value, and reports what the decoder refuses
// with the numbered key of its line.
func TestDecode(t *testing.T) {
	d, ps := Check([]byte("[[cases]]\n[[cases]]\nid = \"b\"\n[cases.amount]\nvalue = 2.5\n"), testLimits, testSchema)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	var v doc
	if ps := Decode(d, &v); len(ps) > 0 || len(v.Cases) != 2 || v.Cases[1].ID != "b" || v.Cases[1].Amount.Value.String() != "2.5" {
		t.Errorf("got %v, %+v", ps, v)
	}
	d, ps = Check([]byte("name = \"a\"\ndate = 2023-13-45\n"), testLimits, testSchema)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	ps = Decode(d, &v)
	if len(ps) != 1 || ps[0].Line != 2 || ps[0].Key != "date" || !strings.HasPrefix(ps[0].Msg, "toml: ") {
		t.Errorf("got %v", ps)
	}
}

// TestProblemsAreCapped: a document full of mistakes is reported with the
// first MaxProblems and a line that more follow.
func TestProblemsAreCapped(t *testing.T) {
	ps := check(strings.Repeat("nmae = 1\n", 150))
	if len(ps) != MaxProblems+1 || !strings.Contains(ps[MaxProblems].Msg, "more problems follow") {
		t.Errorf("got %d problems, the last %v", len(ps), ps[len(ps)-1])
	}
}

// TestLinear: documents at the limits are read in time linear in their
// size: a key of many parts, many tables, many unknown keys, a long line.
// The deadline is generous for a slow machine; a quadratic pass takes
// minutes on these.
func TestLinear(t *testing.T) {
	lim := Limits{FileBytes: 4 << 20, Entries: 200_000, KeyParts: 100_000, KeyBytes: 128, Elements: 100_000, TextBytes: 4000}
	var many strings.Builder
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&many, "[[cases]]\nidd = \"%d\"\n", i)
	}
	for name, text := range map[string]string{
		"60,000-part header":   "[" + strings.Repeat("a.", 59_999) + "a]\nx = 1\n",
		"100,000 array tables": many.String(),
		"long value":           "name = \"" + strings.Repeat("x", 3<<20) + "\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				Check([]byte(text), lim, testSchema)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("not done after 10 s: reading is not linear in the document's size")
			}
		})
	}
}

// FuzzCheck: no document makes Check or Decode panic or take more than
// time linear in its size (a second and 20 us a byte, about a thousand
// times what reading costs); every problem has a message.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("name = \"x\"\n[funnel]\nbase = 5\n[[cases]]\nid = \"a\"\n[cases.amount]\nvalue = 1\n[rounding.\"x.y\"]\nvalue = 2\nvalues = [1, 2]\n"))
	f.Add([]byte("[" + strings.Repeat("a.", 100) + "a]\n"))
	f.Add([]byte(strings.Repeat("[[cases]]\nid = \"a\"\n", 60)))
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		d, ps := Check(b, testLimits, testSchema)
		if len(ps) == 0 {
			var v doc
			ps = Decode(d, &v)
		}
		if dt, budget := time.Since(start), time.Second+time.Duration(len(b))*20*time.Microsecond; dt > budget {
			t.Fatalf("took %v for %d bytes, more than %v", dt, len(b), budget)
		}
		for _, p := range ps {
			if p.Msg == "" {
				t.Errorf("a problem without a message: %+v", p)
			}
		}
	})
}

// TestPersonalData: a number that could be a BSN in any text of a document
// (a string value, wherever it stands, written with escapes or not; a key;
// a comment) refuses it with the line and key, never repeating the
// number, and alone (another problem's message might repeat it); a number
// value is an amount, not a BSN. The BSNs are made up.
func TestPersonalData(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // "line: key: kind" of the one problem; "" for none
	}{
		{"text", "name = \"dossier van 123456782\"\n", "1: name: text"},
		{"grouped text", "[[cases]]\nid = \"a\"\n[[cases]]\nid = \"123 456 782\"\n", "4: cases.1.id: text"},
		{"escaped digits", "name = \"\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036\\u0037\\u0038\\u0032\"\n", "1: name: text"},
		{"literal string", "name = 'bsn 123.456.782'\n", "1: name: text"},
		{"multi-line string", "name = \"\"\"\nregel\nbsn 111222333\n\"\"\"\n", "1: name: text"},
		{"in an array", "values = [1, 2]\nnames = [\"a\", \"b 123456782\"]\n", "2: names: text"},
		{"in an inline table", "funnel = { base = 1, x = \"123456782\" }\n", "1: funnel: text"},
		{"under an unknown key", "[funnel]\nnote = \"123456782\"\n", "2: funnel.note: text"},
		{"quoted key", "[rounding.\"123456782\"]\nvalue = 1\n", "1: rounding.123456782: key"},
		{"comment", "# bsn 123456782\nname = \"x\"\n", "1: : comment"},
		{"comment after a value", "[funnel]\nbase = 5 # van 123456782\n", "2: funnel.base: comment"},
		{"comment in an array", "values = [\n  1, # 123456782\n  2,\n]\n", "2: values: comment"},
		{"second comment of a run in an array", "values = [\n  1,\n  # x\n  # 123456782\n  2,\n]\n", "4: values: comment"},
		{"a number is an amount", "[funnel]\nbase = 123456782\n", ""},
		{"a date", "date = 2014-03-01\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range check(tt.text) {
				if strings.Contains(p.Msg, "could be a BSN") {
					kind := strings.Fields(p.Msg)[1]
					got = append(got, fmt.Sprintf("%d: %s: %s", p.Line, p.Key, kind))
				}
				if strings.Contains(p.Msg, "456") || strings.Contains(p.Msg, "222") {
					t.Errorf("%q repeats the number", p.Msg)
				}
			}
			want := []string{}
			if tt.want != "" {
				want = []string{tt.want}
			}
			if len(got) == 0 {
				got = []string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	// Alone: the unknown key is not reported beside it.
	if ps := check("[funnel]\nbsae = \"123456782\"\n"); len(ps) != 1 || !strings.Contains(ps[0].Msg, "could be a BSN") {
		t.Errorf("got %v, want the BSN alone", ps)
	}
}
