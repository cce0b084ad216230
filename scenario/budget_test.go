package scenario

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestBudgetOfTheBuiltins: every built-in scenario shows the compensation
// nominal (an amount fixed in law) and the CWS damage and execution costs
// indexed, and takes artikel 13's row of the staffel (10 / 20 mln).
func TestBudgetOfTheBuiltins(t *testing.T) {
	for _, name := range BuiltinNames() {
		sc, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		p := sc.Budget.PriceLevel
		if p.Scheme != Nominal || p.CWS != Indexed || p.Execution != Indexed {
			t.Errorf("%s: scheme %s, cws %s, execution %s; want nominal, indexed, indexed", name, p.Scheme, p.CWS, p.Execution)
		}
		row, ok := sc.Budget.Row()
		if !ok || !row.Policy.Equal(decimal.NewFromInt(10_000_000)) || !row.Technical.Equal(decimal.NewFromInt(20_000_000)) {
			t.Errorf("%s: staffel row %+v, want 10 / 20 mln (artikel 13: 1 bn or more)", name, row)
		}
	}
}

// TestStaffelRow picks the row of the article's size.
func TestStaffelRow(t *testing.T) {
	sc, err := Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		size, policy int64
	}{{0, 1_000_000}, {49_999_999, 1_000_000}, {50_000_000, 2_000_000}, {199_000_000, 2_000_000}, {200_000_000, 5_000_000}, {999_999_999, 5_000_000}, {5_000_000_000, 10_000_000}} {
		sc.Budget.ArticleSize = decimal.NewFromInt(tt.size)
		if row, _ := sc.Budget.Row(); row.Policy.IntPart() != tt.policy {
			t.Errorf("article of %d: policy threshold %s, want %d", tt.size, row.Policy, tt.policy)
		}
	}
	var none *Budget
	if _, ok := none.Row(); ok {
		t.Error("a scenario without [budget] has a staffel row")
	}
	if (*PriceLines)(nil).Line(func(p *PriceLines) Indexing { return p.CWS }) != Nominal {
		t.Error("without [budget.price_level] a line is not nominal")
	}
}

// TestBudgetRefused: the budget table's mistakes are refused with the key.
func TestBudgetRefused(t *testing.T) {
	base, err := BuiltinText("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, from, to, want string
	}{
		{"unknown indexing", `cws = "indexed"`, `cws = "geindexeerd"`, `budget.price_level.cws`},
		{"no source", `source = "Rijksbegrotingsvoorschriften: een raming`, `sourcex = "`, `budget.price_level`},
		{"first row not 0", "article_from = 0\n", "article_from = 5\n", "the first row must start at 0"},
		{"not rising", "article_from = 200000000", "article_from = 40000000", "from the smallest article up"},
		{"zero threshold", "policy = 1000000\n", "policy = 0\n", "flags every mutation"},
	} {
		text := strings.Replace(string(base), tt.from, tt.to, 1)
		if text == string(base) {
			t.Fatalf("%s: %q not in deck-exact", tt.name, tt.from)
		}
		_, err := Parse([]byte(text), "budget.toml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}
