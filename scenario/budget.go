package scenario

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Budget holds what the budget tables need beyond the assumptions: which
// cost lines follow prices and which are fixed in law (PriceLevel), and
// the thresholds from which the Rijksbegrotingsvoorschriften ask a written
// explanation of a mutation (the "staffel"). Optional: a scenario without
// it shows every line nominal and no explanation flag. Source:
// docs/methodology.md, "The budget table".
type Budget struct {
	// PriceLevel says per cost line whether it follows prices.
	PriceLevel *PriceLines `toml:"price_level"`
	// ArticleSize is the size of the budget article the scheme is on
	// (EUR; artikel 13 Toeslagen: 1 billion or more); it picks the
	// staffel's row.
	ArticleSize   decimal.Decimal `toml:"article_size"`
	ArticleSource string          `toml:"article_source"`
	// Staffel are the RBV's thresholds, one row per article size, from
	// the smallest article up.
	Staffel       []StaffelRow `toml:"staffel"`
	StaffelSource string       `toml:"staffel_source"`
}

// PriceLines says for each cost line of a budget table whether it is
// shown at the budget year's price level (Indexed: prices follow, as
// execution costs and damages do) or nominal (amounts fixed in law, as a
// lump sum). Source names the decision's ground.
type PriceLines struct {
	Scheme    Indexing `toml:"scheme"`
	CWS       Indexing `toml:"cws"`
	Execution Indexing `toml:"execution"`
	Source    string   `toml:"source"`
}

// StaffelRow is one row of the RBV's staffel: from an article of From
// euros up, a beleidsmatige mutation needs a written explanation from
// Policy euros, a technische from Technical euros.
type StaffelRow struct {
	From      decimal.Decimal `toml:"article_from"`
	Policy    decimal.Decimal `toml:"policy"`
	Technical decimal.Decimal `toml:"technical"`
}

// Indexing is whether a cost line follows prices.
type Indexing uint8

// The ways a line is shown.
const (
	Nominal Indexing = iota + 1 // fixed in law: the same euros at any price level
	Indexed                     // follows prices: raised by phasing.indexation_rate from phasing.price_level_year
)

var indexingValues = enum{
	{"nominal", "nominaal (vastgelegd bedrag)", "nominaal"},
	{"indexed", "geïndexeerd (volgt de prijzen)", "geïndexeerd"},
}

func (i Indexing) String() string { return indexingValues.text(uint8(i)) }

// Label is the value's Dutch label.
func (i Indexing) Label() string {
	if i == 0 || int(i) > len(indexingValues) {
		return ""
	}
	return indexingValues[i-1].Label
}

// UnmarshalText reads "nominal" or "indexed".
func (i *Indexing) UnmarshalText(b []byte) error {
	v, err := indexingValues.parse(b)
	*i = Indexing(v)
	if err != nil {
		return fmt.Errorf("%w: give \"nominal\" (fixed in law) or \"indexed\" (follows prices)", err)
	}
	return nil
}

// MarshalText writes the name.
func (i Indexing) MarshalText() ([]byte, error) { return []byte(i.String()), nil }

// Line returns how a line is shown: nominal when the scenario does not say.
func (p *PriceLines) Line(get func(*PriceLines) Indexing) Indexing {
	if p == nil {
		return Nominal
	}
	return get(p)
}

// Row returns the staffel's row for the article's size, and false when the
// scenario has no staffel.
func (b *Budget) Row() (StaffelRow, bool) {
	if b == nil || len(b.Staffel) == 0 {
		return StaffelRow{}, false
	}
	row := b.Staffel[0]
	for _, r := range b.Staffel {
		if !b.ArticleSize.LessThan(r.From) {
			row = r
		}
	}
	return row, true
}

// validateBudget checks the budget table: every line's indexing and its
// source, and a staffel that starts at 0, rises, and has its source and
// the article's size.
func (s *Scenario) validateBudget(add func(key, format string, args ...any)) {
	b := s.Budget
	if b == nil {
		return
	}
	if p := b.PriceLevel; p != nil {
		for _, l := range []struct {
			key string
			v   Indexing
		}{{"scheme", p.Scheme}, {"cws", p.CWS}, {"execution", p.Execution}} {
			if l.v == 0 {
				add("budget.price_level."+l.key, "missing: give \"nominal\" (an amount fixed in law) or \"indexed\" (follows prices)")
			}
		}
		if strings.TrimSpace(p.Source) == "" {
			add("budget.price_level.source", "missing: say why each line is nominal or indexed, with the document")
		}
	}
	if len(b.Staffel) == 0 {
		return
	}
	if strings.TrimSpace(b.StaffelSource) == "" {
		add("budget.staffel_source", "missing: name the Rijksbegrotingsvoorschriften' staffel the thresholds come from")
	}
	if strings.TrimSpace(b.ArticleSource) == "" {
		add("budget.article_source", "missing: name the budget article and where its size is stated")
	}
	if msg := unitProblem(b.ArticleSize, EUR); msg != "" {
		add("budget.article_size", "value %s", msg)
	}
	for i, r := range b.Staffel {
		key := fmt.Sprintf("budget.staffel.%d", i)
		for _, x := range []struct {
			key string
			d   decimal.Decimal
		}{{"article_from", r.From}, {"policy", r.Policy}, {"technical", r.Technical}} {
			if msg := unitProblem(x.d, EUR); msg != "" {
				add(key+"."+x.key, "value %s", msg)
			}
		}
		if r.Policy.Sign() <= 0 || r.Technical.Sign() <= 0 {
			add(key, "a threshold of 0 flags every mutation: give policy and technical thresholds above 0 (EUR)")
		}
		if i == 0 && !r.From.IsZero() {
			add(key+".article_from", "the first row must start at 0, so that every article has a row")
		}
		if i > 0 && !r.From.GreaterThan(b.Staffel[i-1].From) {
			add(key+".article_from", "the rows must go from the smallest article up: %s is not above %s", r.From, b.Staffel[i-1].From)
		}
	}
}
