package output

import (
	"fmt"
	"regexp"
	"strings"

	"raming/raming"
)

// The workbook is Dutch; the log, the JSON and the reader's messages are
// English. This file words what reaches the workbook from them in Dutch:
// the reasons of rejected rows, by the reader's kind of error, and the
// run's warnings, by their form.

// rejectNL words each kind of rejection in Dutch.
var rejectNL = map[raming.RejectKind]string{
	raming.RejectBadDate:       "geen geldige datum",
	raming.RejectBadMoney:      "geen geldig bedrag (een getal met hoogstens twee decimalen)",
	raming.RejectNegativeMoney: "negatief bedrag",
	raming.RejectBadAnswer:     "geen geldig antwoord (ja, nee of onbekend; leeg is onbekend)",
	raming.RejectMissingValue:  "verplichte waarde ontbreekt",
	raming.RejectFutureDate:    "datum in de toekomst",
	raming.RejectDuplicateID:   "id komt al op een eerdere rij voor",
	raming.RejectFieldCount:    "verkeerd aantal velden in de rij",
	raming.RejectMalformedRow:  "de rij is geen geldige CSV (een losse of niet gesloten aanhalingsquote)",
	raming.RejectOther:         "afgewezen door de lezer van het extract",
}

// RejectReasonNL is a kind of rejected row's reason in Dutch, without the
// value (for the page of raming serve, which quotes no value of the file).
func RejectReasonNL(k raming.RejectKind) string { return rejectNL[k] }

// quoted is the first value the reader's reason quotes.
var quoted = regexp.MustCompile(`"([^"]*)"`)

// reasonNL is a rejected row's reason in Dutch: the kind's text, and the
// value the reader quoted (masked as the reader masks it).
func reasonNL(r raming.RejectedRow) string {
	text := rejectNL[r.Kind]
	if m := quoted.FindStringSubmatch(r.Reason); m != nil && r.Kind != raming.RejectOther {
		text += fmt.Sprintf(": %q", m[1])
	}
	return text
}

// warningsNL are the warnings the tool and the extract's reader give, by
// their English form, with their Dutch wording ($1 ... for the parts kept).
var warningsNL = []struct {
	en *regexp.Regexp
	nl string
}{
	{regexp.MustCompile(`^(.+): the deck's rounding \((.+)\) does not apply: (.+) was changed with --set, so the figure is computed exactly$`),
		"$1: de afronding van het deck ($2) geldt niet: $3 is met --set gewijzigd, dus het cijfer is exact berekend"},
	{regexp.MustCompile(`^--iterations auto stopped at its maximum of (\d+) iterations before the P95 of every case was stable to ([\d.]+)%: .*$`),
		"--iterations auto stopte bij het maximum van $1 iteraties voordat de P95 van elk geval tot op $2% stabiel was: de percentielen zijn minder precies dan auto beoogt (zie hun standaardfouten); kijk of een onzekerheid in het scenario breder is dan bedoeld, of geef --iterations N"},
	{regexp.MustCompile(`^only (\d+) Monte Carlo iterations: .*$`),
		"slechts $1 Monte Carlo-iteraties: de banden en percentielen zijn ruw (hun standaardfouten zeggen hoe ruw); gebruik 10000, de standaard, of meer"},
	{regexp.MustCompile(`^phasing\.opening_year (\d+) lies before this run's year (\d+): .*$`),
		"phasing.opening_year $1 ligt vóór het jaar van deze berekening ($2): de begrotingsjaren vóór $2 zijn voorbij, en hun bedragen zijn wat het scenario aanneemt, geen uitgaven"},
	{regexp.MustCompile(`^--set (\S+) has no effect: a run on an extract counts its rows \((\d+)\) instead of funnel\.base_population$`),
		"--set $1 heeft geen effect: een berekening op een extract telt zijn rijen ($2) in plaats van funnel.base_population"},
	// The notes of a comparison with an earlier run (raming.SetBaseline).
	{regexp.MustCompile(`^the baseline carries no scenario text, so changes are not split into data and scenario$`),
		"de vorige run bevat geen scenariotekst, dus de verandering is niet gesplitst in data en scenario"},
	{regexp.MustCompile(`^the baseline's scenario no longer reads with this version \((.*)\), so changes are not split into data and scenario$`),
		"het scenario van de vorige run is met deze versie niet meer te lezen ($1), dus de verandering is niet gesplitst in data en scenario"},
	{regexp.MustCompile(`^the baseline's scenario cannot be computed on this population \((.*)\), so changes are not split into data and scenario$`),
		"het scenario van de vorige run is op deze populatie niet te berekenen ($1), dus de verandering is niet gesplitst in data en scenario"},
	{regexp.MustCompile(`^a newer summary could not be read and was passed over \((.*)\)$`),
		"een nieuwere samenvatting was niet te lezen en is overgeslagen ($1)"},
	{regexp.MustCompile(`^(\d+) newer summaries could not be read and were passed over \((.*)\)$`),
		"$1 nieuwere samenvattingen waren niet te lezen en zijn overgeslagen ($2)"},
	{regexp.MustCompile(`^this extract has (\d+) rows used where the baseline had (\d+) \(([-+]\d+)%\): check that it is complete and the right file$`),
		"dit extract heeft $1 gebruikte rijen, de vorige run had er $2 ($3%): controleer of het volledig is en het juiste bestand"},
	{regexp.MustCompile(`^ignored columns not in the contract: (.+)$`),
		"kolommen die niet in het contract staan, genegeerd: $1"},
	{regexp.MustCompile(`^(\d+) values contain characters that could not be decoded as (\S+) .*$`),
		"$1 waarden bevatten tekens die niet als $2 te lezen waren (getoond als U+FFFD); kies de andere codering met --encoding"},
	{regexp.MustCompile(`^(\d+) empty rows \(nothing but delimiters\) were skipped$`),
		"$1 lege rijen (alleen scheidingstekens) overgeslagen"},
	{regexp.MustCompile(`^the file is not valid UTF-8 and was read as Windows-1252.*$`),
		"het bestand is geen geldige UTF-8 en is gelezen als Windows-1252 (een Nederlandse Excel-export); kies met --encoding utf-8 of windows-1252"},
}

// warningNL is a warning in Dutch, or, for one of no known form, the
// English text said to be the log's.
func warningNL(w string) string {
	for _, t := range warningsNL {
		if t.en.MatchString(w) {
			return t.en.ReplaceAllString(w, t.nl)
		}
	}
	return "(tekst uit het log, in het Engels) " + w
}

// WarningsNL is each warning in Dutch, as the workbook words it (for the
// page of raming serve, and the JSON's warnings_nl).
func WarningsNL(ws []string) []string {
	var out []string
	for _, w := range ws {
		out = append(out, warningNL(w))
	}
	return out
}

// noteNL is a note of parts joined by "; " (raming.SetBaseline), each part
// in Dutch (warningNL); a "; " inside parentheses belongs to its part.
func noteNL(note string) string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(note); i++ {
		switch {
		case note[i] == '(':
			depth++
		case note[i] == ')':
			depth--
		case depth == 0 && strings.HasPrefix(note[i:], "; "):
			parts = append(parts, warningNL(note[start:i]))
			start = i + 2
		}
	}
	return strings.Join(append(parts, warningNL(note[start:])), "; ")
}
