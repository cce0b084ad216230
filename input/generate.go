package input

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// GenerateOptions configure a synthetic extract.
type GenerateOptions struct {
	Rows int    // data rows to write (0: the header only)
	Seed uint64 // the same seed gives the same bytes
	// Dialect is "standard" (or ""): UTF-8, comma, ISO dates, decimal
	// points; or "nl": a Dutch Excel export: Windows-1252, semicolon,
	// DD-MM-YYYY, decimal commas with thousands dots, "€ " before amounts,
	// CRLF line ends.
	Dialect string
}

// Generate writes a synthetic population extract shaped like the policy
// deck: ~5% already restored as applicant; of all rows ~60% affected
// (gedupeerd ja), ~20% not and ~20% onbekend, so 75% of the known ones are
// affected and the funnel's assumption is exercised; problems starting
// 2012-2019 (a quarter written as a bare year); einde_samen for ~85%, half
// of them less than a year after the start and half a year or more; first
// payments 2021-2023 for 85%, reports 2022-2024 for 90%; recoveries EUR
// 1k-100k, log-uniform (right-skewed); a contribution up to EUR 5,000 for
// 40%; part of the 30k for 10%; an integral assessment of EUR 30k-90k for
// 40%; schrijnend mostly empty, 10% ja, 20% nee; about one dossier in ten
// with more than one ex-partner. The same options give the same bytes
// (PCG). No real person is in it: ids are EXP-0000001, ..., dossier ids
// DOS-000001, ..., which can never pass the BSN eleven-test; every
// generated file reads without a rejected row.
func Generate(w io.Writer, opts GenerateOptions) error {
	if opts.Rows < 0 {
		return fmt.Errorf("rows %d: give a number of rows of 0 or more", opts.Rows)
	}
	nl := false
	switch opts.Dialect {
	case "", "standard":
	case "nl":
		nl = true
	default:
		return fmt.Errorf("unknown dialect %q: use standard or nl", opts.Dialect)
	}
	bw := bufio.NewWriter(w)
	var out io.Writer = bw
	if nl {
		out = charmap.Windows1252.NewEncoder().Writer(bw)
	}
	cw := csv.NewWriter(out)
	if nl {
		cw.Comma, cw.UseCRLF = ';', true
	}
	if err := cw.Write(Columns); err != nil {
		return err
	}
	g := &genRow{r: rand.New(rand.NewPCG(opts.Seed, 0x5eed)), nl: nl}
	row := make([]string, numColumns)
	for i := 1; i <= opts.Rows; i++ {
		g.next(i)
		for c := range columns {
			row[c] = columns[c].generate(g)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

var yesNo = map[bool]string{true: "ja", false: "nee"}

// genRow is the state of the generator and the values of the row it
// writes that more than one column depends on; each column's generate
// writes its value (columns), drawing in column order.
type genRow struct {
	r  *rand.Rand
	nl bool // the Dutch Excel dialect

	i, dossier int    // the row (from 1) and its dossier
	restored   bool   // herstel_als_aanvrager
	affected   string // gedupeerd
	startText  string // start_problematiek as written
	end        string // einde_samen
	recovery   int64  // terugvordering_totaal in cents, when given
}

// next draws row i's shared values.
func (g *genRow) next(i int) {
	r := g.r
	g.i = i
	if g.dossier == 0 || r.Float64() < 0.9 {
		g.dossier++ // one file may have several ex-partners
	}
	start := time.Date(2012+r.IntN(8), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	g.startText = g.date(start)
	if r.Float64() < 0.25 {
		g.startText = strconv.Itoa(start.Year())
		start = time.Date(start.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	g.restored = r.Float64() < 0.05
	g.affected = []string{"ja", "ja", "ja", "nee", "onbekend"}[r.IntN(5)]
	g.end = ""
	if r.Float64() < 0.85 {
		// Half together less than a year after the start, half longer.
		months := r.IntN(12)
		if r.Float64() < 0.5 {
			months = 12 + r.IntN(72)
		}
		e := start.AddDate(0, months, r.IntN(28))
		if last := time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC); e.After(last) {
			e = last // the extract is of ex-partners: separated by the time it was taken
		}
		g.end = g.date(e)
	}
	g.recovery = int64(math.Exp(math.Log(1000)+r.Float64()*math.Log(100))) * 100 // EUR 1k-100k, skewed
}

// date writes a date in the dialect.
func (g *genRow) date(t time.Time) string {
	if g.nl {
		return t.Format("02-01-2006")
	}
	return t.Format("2006-01-02")
}

// money writes an amount of cents in the dialect.
func (g *genRow) money(cents int64) string {
	whole, frac := strconv.FormatInt(cents/100, 10), fmt.Sprintf("%02d", cents%100)
	if !g.nl {
		return whole + "." + frac
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return "€ " + b.String() + "," + frac
}

// day returns a day within maxDays from from.
func (g *genRow) day(from time.Time, maxDays int) time.Time {
	return from.AddDate(0, 0, g.r.IntN(maxDays))
}

// maybe returns s() with probability p, else "".
func (g *genRow) maybe(p float64, s func() string) string {
	if g.r.Float64() < p {
		return s()
	}
	return ""
}
