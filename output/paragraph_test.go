package output

import (
	"regexp"
	"strings"
	"testing"

	"raming/raming"
	"raming/scenario"
)

// TestRating: the uncertainty rating by the band's width relative to the
// raming, and the same as a formula.
func TestRating(t *testing.T) {
	for _, tt := range []struct {
		width float64
		want  string
	}{{0, "laag"}, {0.249, "laag"}, {0.25, "gemiddeld"}, {0.43, "gemiddeld"}, {0.5, "hoog"}, {0.99, "hoog"}, {1, "zeer hoog"}, {3.45, "zeer hoog"}} {
		if got := rating(tt.width); got != tt.want {
			t.Errorf("width %v: %s, want %s", tt.width, got, tt.want)
		}
	}
	if f := ratingFormula("X"); f != `IF(X<0.25,"laag",IF(X<0.5,"gemiddeld",IF(X<1,"hoog","zeer hoog")))` {
		t.Errorf("formula %s", f)
	}
}

// TestFinancialParagraph: per budgeted variant the text a budget officer
// pastes: cost per year and in total, the budget and article, execution
// apart, what is left out, price × quantity, the band in words with its
// rating, the date of each assumption's source, and the --set changes.
func TestFinancialParagraph(t *testing.T) {
	sc, err := scenario.Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.SetAll([]string{"A.cws_appeal_share=0.25"}); err != nil {
		t.Fatal(err)
	}
	res, err := raming.Simulate(sc, nil, raming.MC{Seed: 1, Iterations: 1000, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	f := writeOpen(t, res, fixedProvenance, Options{BudgetYear: 2024})
	rows, err := f.GetRows(sheetParagraph)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, r := range rows {
		if len(r) > 0 {
			texts = append(texts, r[0])
		}
	}
	all := strings.Join(texts, "\n")
	for _, v := range res.Variants {
		if !strings.Contains(all, "Variant "+v.ID+": ") {
			t.Errorf("no text for variant %s", v.ID)
		}
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`kost naar verwachting in totaal € \d+,\d mln aan uitgaven \(kas, prijspeil 2024`),
		regexp.MustCompile(`Per jaar, in € mln: eerdere jaren 0,0; 2022 \d+,\d; 2023 \d+,\d`),
		regexp.MustCompile(`begroting IX \(Financiën\), artikel 13 Toeslagen`),
		regexp.MustCompile(`uitvoeringskosten \(apparaat Belastingdienst/Toeslagen, eveneens op artikel 13\) staan los van de uitgaven: € 4,0 mln`),
		regexp.MustCompile(`Niet in de bedragen: de schuldenaanpak`),
		regexp.MustCompile(`Tegemoetkoming: 3\.919 ex-partners met toegang × gemiddeld € 15\.000 = € 58,8 mln`),
		regexp.MustCompile(`De onzekerheid is (laag|gemiddeld|hoog|zeer hoog): de uitgaven liggen tussen € \d+,\d mln en € \d+,\d mln \(P5-P95`),
		regexp.MustCompile(`Deck \(ongedateerd, van vóór 1 januari 2022\): .*aandeel gedupeerd 75%`),
		regexp.MustCompile(`Handmatig gewijzigd voor deze raming \(--set, afwijkend van scenario deck-exact\): A\.cws_appeal_share=0\.25`),
	} {
		if !want.MatchString(all) {
			t.Errorf("the text lacks %s:\n%s", want, all)
		}
	}
}
