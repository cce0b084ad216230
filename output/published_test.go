package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"raming/published"
	"raming/raming"
	"raming/scenario"
)

// adoptedWithPublished is the scheme as adopted (wet-2023), simulated, with
// the built-in published figures beside it.
func adoptedWithPublished(t *testing.T) *raming.Result {
	t.Helper()
	sc, err := scenario.Load("wet-2023")
	if err != nil {
		t.Fatal(err)
	}
	res, err := raming.Simulate(sc, nil, raming.MC{Seed: 1, Iterations: 500, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	set, err := published.Load("ex-partners")
	if err != nil {
		t.Fatal(err)
	}
	if err := raming.SetPublished(res, set, ""); err != nil {
		t.Fatal(err)
	}
	return res
}

// The sheet Gepubliceerde cijfers has a row per published figure, with
// the estimate of the same scope or, for context, words saying there is
// none; a total with excluded parts names the parts not estimated.
func TestPublishedSheet(t *testing.T) {
	res := adoptedWithPublished(t)
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, res, fixedProvenance, Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetPublished)
	if err != nil {
		t.Fatal(err)
	}
	text := func(r []string) string { return strings.Join(r, " | ") }
	for _, pc := range res.Published.Comparisons {
		var found []string
		for _, r := range rows {
			if len(r) > 1 && r[1] == pc.Figure.Line {
				found = r
			}
		}
		if found == nil {
			t.Errorf("%s: no row", pc.Figure.ID)
			continue
		}
		if !pc.Known && !strings.Contains(text(found), "geen cijfer met deze reikwijdte") {
			t.Errorf("%s: context row %q does not say there is no figure of this scope", pc.Figure.ID, text(found))
		}
		if pc.Known && (len(found) < 7 || found[5] == "" || found[6] == "") {
			t.Errorf("%s: row %q lacks the estimate or the difference", pc.Figure.ID, text(found))
		}
	}
	all := ""
	for _, r := range rows {
		all += text(r) + "\n"
	}
	for _, want := range []string{"waarvan schuldenaanpak", "niet geraamd", "secundaire bron", "W-10k"} {
		if !strings.Contains(all, want) {
			t.Errorf("sheet does not say %q", want)
		}
	}
}

// Ids that differ only in punctuation or letter case get names of their
// own, so that no formula reads another id's value.
func TestDefinedNamesAreUnique(t *testing.T) {
	taken := map[string]bool{}
	var names []string
	for _, id := range []string{"A-15k.lump_sum", "A+15k.lump_sum", "a_15k.lump_sum", "A-30k.lump_sum"} {
		names = append(names, uniqueName(taken, definedName("aanname_", id)))
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[strings.ToLower(n)] {
			t.Fatalf("names %v: %s twice", names, n)
		}
		seen[strings.ToLower(n)] = true
	}
	if names[0] != "aanname_A_15k_lump_sum" || names[3] != "aanname_A_30k_lump_sum" {
		t.Errorf("names %v: the first of each changed", names)
	}
}
