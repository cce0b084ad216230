package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// twelveKnown is the extract of issue 24's first finding: 12 ex-partners,
// every flag known, one together a year or more.
func twelveKnown(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,dossier_id,herstel_als_aanvrager,gedupeerd,start_problematiek,einde_samen,eerste_betaling_aanvrager,melddatum,terugvordering_totaal,bijgedragen_terugvordering,ontvangen_deel_30k,integrale_beoordeling,schrijnend\n")
	for i := range 12 {
		end := "2015-02-01"
		if i == 0 {
			end = "2018-06-01"
		}
		b.WriteString("EXP-" + string(rune('A'+i)) + ",DOS-" + string(rune('A'+i)) + ",nee,ja,2015-01-01," + end + ",2022-01-01,2023-01-01,20000.00,,0.00,60000.00,nee\n")
	}
	return writeFile(t, "twelve.csv", b.String())
}

// TestRunHidesTheOnePersonCase: on the 12 rows, the summary shows B-opties
// (and every case resting on the one person together a year or more)
// neither by its population nor by an amount, and the table on stdout
// says "suppressed" for it.
func TestRunHidesTheOnePersonCase(t *testing.T) {
	pop := twelveKnown(t)
	code, out, stderr := runCLI(t, "run", "--population", pop, "--iterations", "0", "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s struct {
		Variants []struct {
			ID    string
			Cases []struct {
				ID, Population, Total string
				SchemeCost            string `json:"scheme_cost"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Variants {
		for _, c := range v.Cases {
			if c.Population == "1" || c.SchemeCost == "17076.27" || c.Total == "19000.00" {
				t.Errorf("%s: population %s, scheme cost %s, total %s: one person's figures", c.ID, c.Population, c.SchemeCost, c.Total)
			}
			if c.ID == "B-opties" && (c.Population != "<10" || c.SchemeCost != "suppressed") {
				t.Errorf("B-opties: population %q, scheme cost %q, want <10 and suppressed", c.Population, c.SchemeCost)
			}
		}
	}
	code, out, _ = runCLI(t, "run", "--population", pop, "--iterations", "0", "--out", filepath.Join(t.TempDir(), "r.xlsx"))
	if code != exitOK || !strings.Contains(out, "B-opties  suppressed") {
		t.Errorf("exit %d; the table does not say B-opties is suppressed:\n%s", code, out)
	}
}

// TestSweepCSVHidesSmallRows: on the 12 rows the sweep's CSV shows no
// access under 10, no amount of a suppressed row and no amount
// statistics of fewer than 10 people (mean = median = P10 = P90), and
// is written with mode 0600 (person-level-derived, like --records).
func TestSweepCSVHidesSmallRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sweep.csv")
	if code, _, stderr := runCLI(t, "sweep", "--population", twelveKnown(t), "--csv", path); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("sweep CSV mode %v, want 0600", fi.Mode().Perm())
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	hidden := 0
	for _, r := range rows[1:] {
		access, mean, median := r[col["access"]], r[col["mean_amount"]], r[col["median_amount"]]
		if access == "<10" || access == "suppressed" {
			hidden++
		}
		n, err := strconv.ParseFloat(access, 64)
		few := err == nil && n > 0 && n < 10
		if few || (access == "<10" || access == "suppressed") && (mean != "" || r[col["total"]] != "") ||
			err == nil && n < 10 && mean != "" && mean == median && mean == r[col["p10_amount"]] && mean == r[col["p90_amount"]] {
			t.Fatalf("row %v: access %s, mean = median = P10 = P90 = %s", r[:9], access, mean)
		}
	}
	if hidden == 0 {
		t.Fatal("no row suppressed: the test checks nothing")
	}
}
