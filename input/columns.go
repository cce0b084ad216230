package input

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"raming/internal/bsn"
)

// column is one column of the contract (../shared/population-schema.md,
// docs/input.md): its name, whether the header and a row must have it, how
// a value is read into a Record and how the generator writes one. The
// header check, the row parser and the generator all read the one table
// of them, columns: adding a column is an entry there and a Record field.
type column struct {
	name string // in the header (the contract's Dutch name)
	// inHeader: the header must have the column (the first five).
	inHeader bool
	// needed: a row must give a value (ErrMissingValue when empty).
	needed bool
	// set reads a value (not empty when needed) into the record; nil for
	// the ids, which the parser reads itself (duplicates, shared dossiers).
	set func(ru *rules, rec *Record, v string) error
	// generate writes the value of one synthetic row.
	generate func(g *genRow) string
}

// rules are what reading a value needs of the file.
type rules struct {
	// workbook: the values are a workbook's cells, whose numbers are
	// doubles (excelNumber) and, in a date column, Excel date numbers
	// (serialDate); date1904: counted from 1904.
	workbook, date1904 bool
	today              Date        // a later date is refused; 0: no check
	decimal            decimalMark // what separates an amount's decimals
}

// The ids are read by the parser itself; its other columns by their set.
const (
	colID      = 0 // id
	colDossier = 1 // dossier_id
)

// columns is the contract's columns, in its order.
var columns = [...]column{
	{name: "id", inHeader: true, needed: true,
		generate: func(g *genRow) string { return fmt.Sprintf("EXP-%07d", g.i) }},
	{name: "dossier_id", inHeader: true, needed: true,
		generate: func(g *genRow) string { return fmt.Sprintf("DOS-%06d", g.dossier) }},
	{name: "herstel_als_aanvrager", inHeader: true, needed: true,
		set:      boolValue(func(r *Record) *bool { return &r.RestoredAsApplicant }),
		generate: func(g *genRow) string { return yesNo[g.restored] }},
	{name: "gedupeerd", inHeader: true,
		set:      answerValue(func(r *Record) *Answer { return &r.Affected }),
		generate: func(g *genRow) string { return g.affected }},
	{name: "start_problematiek", inHeader: true, needed: true,
		set:      dateValue(true, func(r *Record) *Date { return &r.ProblemStart }),
		generate: func(g *genRow) string { return g.startText }},
	{name: "einde_samen",
		set:      dateValue(false, func(r *Record) *Date { return &r.EndTogether }),
		generate: func(g *genRow) string { return g.end }},
	{name: "eerste_betaling_aanvrager",
		set: dateValue(false, func(r *Record) *Date { return &r.FirstPayment }),
		generate: func(g *genRow) string {
			return g.maybe(0.85, func() string { return g.date(g.day(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), 3*365)) })
		}},
	{name: "melddatum",
		set: dateValue(false, func(r *Record) *Date { return &r.ReportDate }),
		generate: func(g *genRow) string {
			return g.maybe(0.9, func() string { return g.date(g.day(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), 3*365)) })
		}},
	{name: "terugvordering_totaal",
		set:      moneyValue(func(r *Record) *Money { return &r.Recovery }),
		generate: func(g *genRow) string { return g.maybe(0.9, func() string { return g.money(g.recovery) }) }},
	{name: "bijgedragen_terugvordering",
		set:      moneyValue(func(r *Record) *Money { return &r.Contributed }),
		generate: func(g *genRow) string { return g.maybe(0.4, func() string { return g.money(int64(g.r.IntN(500000))) }) }},
	{name: "ontvangen_deel_30k",
		set: moneyValue(func(r *Record) *Money { return &r.Received30k }),
		generate: func(g *genRow) string {
			return g.maybe(0.1, func() string { return g.money(int64(100000 + g.r.IntN(1400000))) })
		}},
	{name: "integrale_beoordeling",
		set: moneyValue(func(r *Record) *Money { return &r.IntegralAssessment }),
		generate: func(g *genRow) string {
			return g.maybe(0.4, func() string { return g.money(3000000 + int64(g.r.IntN(6000000))) })
		}},
	{name: "schrijnend",
		set:      answerValue(func(r *Record) *Answer { return &r.Hardship }),
		generate: func(g *genRow) string { return []string{"", "", "", "", "", "", "", "nee", "nee", "ja"}[g.r.IntN(10)] }},
}

// numColumns is the number of columns of the contract.
const numColumns = len(columns)

// Columns lists the contract's column names in its order; the first five
// are required.
var Columns = func() []string {
	names := make([]string, numColumns)
	for i, c := range columns {
		names[i] = c.name
	}
	return names
}()

// boolValue reads ja/nee into the field.
func boolValue(field func(*Record) *bool) func(*rules, *Record, string) error {
	return func(_ *rules, r *Record, v string) (err error) {
		*field(r), err = parseBool(v)
		return err
	}
}

// answerValue reads ja/nee/onbekend into the field.
func answerValue(field func(*Record) *Answer) func(*rules, *Record, string) error {
	return func(_ *rules, r *Record, v string) (err error) {
		*field(r), err = parseAnswer(v)
		return err
	}
}

// dateValue reads a date into the field (with year, a bare year too),
// refusing one after Options.Today. An einde_samen before
// start_problematiek is valid: the ex-partner left before the problems
// began (the deck's "was (snel) weg").
func dateValue(year bool, field func(*Record) *Date) func(*rules, *Record, string) error {
	return func(ru *rules, r *Record, v string) error {
		d, serial, err := Date(0), false, error(nil)
		if ru.workbook {
			v = excelNumber(v)
			d, serial, err = serialDate(v, ru.date1904)
		}
		if !serial {
			d, err = parseDate(v, year)
		}
		if err != nil {
			return err
		}
		if ru.today != 0 && d > ru.today {
			return valueError(ErrFutureDate, "date %s is in the future (after %s)", d, ru.today)
		}
		*field(r) = d
		return nil
	}
}

// moneyValue reads an amount into the field (with a decimal comma in a
// file separated by semicolons: rules.decimal).
func moneyValue(field func(*Record) *Money) func(*rules, *Record, string) error {
	return func(ru *rules, r *Record, v string) (err error) {
		if ru.workbook {
			v = excelNumber(v)
		}
		*field(r), err = parseMoney(v, ru.decimal)
		return err
	}
}

// columnIndex is the contract column of a normalised name, or -1.
func columnIndex(name string) int {
	for c := range columns {
		if columns[c].name == name {
			return c
		}
	}
	return -1
}

// requiredNames lists the columns the header must have.
func requiredNames() []string {
	var names []string
	for _, c := range columns {
		if c.inHeader {
			names = append(names, c.name)
		}
	}
	return names
}

// header reads and checks the header row.
func (rd *reader) header() error {
	rd.tape.start = rd.csvStart
	names, err := rd.cr.Read()
	if rd.tape.over {
		return rd.rowTooLong(0, "the header row is", maxHeaderBytes)
	}
	if err == io.EOF {
		return rd.fail(ErrEmptyFile, 0, "", "export the population with a header row and one row per ex-partner")
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return rd.fail(ErrNotCSV, pe.StartLine+rd.lineShift, "", "the header is not valid CSV: "+quoteProblem(pe, rd.lineShift)+"; export the sheet as CSV with a header row")
	}
	if err != nil {
		return rd.fail(ErrNotCSV, 0, "", "cannot read it: "+err.Error())
	}
	line, _ := rd.cr.FieldPos(0)
	line += rd.lineShift
	if len(names) > maxColumns {
		return rd.fail(ErrLimit, line, "", fmt.Sprintf("the header has %s columns, more than the %s the reader takes; export only the contract's columns (docs/input.md)",
			thousands(int64(len(names))), thousands(maxColumns)))
	}
	rd.endRow(names)
	rd.tape.forget(rd.csvStart + rd.cr.InputOffset())
	rd.tape.limit = maxRowBytes
	return rd.checkHeader(names, line)
}

// checkHeader checks the column names of the header row, on line (a
// workbook: row) line, and maps the contract's columns to fields.
func (rd *reader) checkHeader(names []string, line int) error {
	rd.headers = make([]string, len(names))
	for i, n := range names {
		rd.headers[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(n, "\uFEFF")))
	}
	// Privacy first: a name that is a BSN, or that suggests identification.
	for i, n := range rd.headers {
		if bsn.InValue(n) {
			if rd.pop.Sheet != "" {
				fe := rd.fail(ErrNotPseudonymised, line, "", "the column's name looks like a BSN; is the header row missing? "+bsnDetail).(*FileError)
				fe.Cell = cellName(i, line)
				return fe
			}
			return rd.fail(ErrNotPseudonymised, line, fmt.Sprintf("#%d", i+1), "the column's name looks like a BSN; is the header row missing? "+bsnDetail)
		}
	}
	for i, n := range rd.headers {
		if identifyingColumn(n) {
			return rd.failAt(ErrNotPseudonymised, line, i, "the column's name suggests direct identification (name, BSN, address, birth date, e-mail, telephone, account number); remove the column before exporting")
		}
	}
	for c := range rd.idx {
		rd.idx[c] = -1
	}
	first := map[string]int{}
	var unknown []string
	firstUnknown := -1
	for i, n := range rd.headers {
		if n == "" { // ignored while empty in every row (noName)
			rd.noName = append(rd.noName, i)
			continue
		}
		if j, dup := first[n]; dup {
			return rd.failAt(ErrDuplicateColumn, line, i, fmt.Sprintf("columns %s and %s are both called %s; keep one", rd.columnNumber(j), rd.columnNumber(i), n))
		}
		first[n] = i
		if c := columnIndex(n); c >= 0 {
			rd.idx[c] = i
		} else {
			unknown = append(unknown, n)
			if firstUnknown < 0 {
				firstUnknown = i
			}
		}
	}
	var missing []string
	for c := range columns {
		if columns[c].inHeader && rd.idx[c] < 0 {
			missing = append(missing, columns[c].name)
		}
	}
	if len(missing) > 0 {
		return rd.fail(ErrMissingColumn, line, missing[0], fmt.Sprintf("the extract must have the columns %s (missing: %s); add or rename it",
			strings.Join(requiredNames(), ", "), strings.Join(missing, ", ")))
	}
	if len(rd.noName) > 0 {
		rd.noNameUsed = make([]bool, len(rd.noName))
	}
	if len(unknown) > 0 {
		if !rd.opts.IgnoreUnknownColumns {
			return rd.failAt(ErrUnknownColumn, line, firstUnknown, fmt.Sprintf("not in the contract (docs/input.md); rename or remove it, or give --ignore-unknown-columns (unknown: %s)",
				some(unknown)))
		}
		rd.pop.Warnings = append(rd.pop.Warnings, bsn.Mask("ignored columns not in the contract: "+some(unknown)))
	}
	return nil
}

// noNameValues checks the values of a row under the columns without a name
// in the header (Excel's trailing empty columns: ...,schrijnend,,,), which
// are ignored as long as they are empty: a value under one is an unknown
// column, unless Options.IgnoreUnknownColumns (then a warning names the
// column at the end: unnamedWarning).
func (rd *reader) noNameValues(fields []string, line int) error {
	for k, i := range rd.noName {
		if i >= len(fields) || strings.TrimSpace(fields[i]) == "" {
			continue
		}
		if !rd.opts.IgnoreUnknownColumns {
			return rd.failAt(ErrUnknownColumn, line, i, "the column has no name in the header but a value on this line; name it if it is in the contract (docs/input.md), or remove it, or give --ignore-unknown-columns")
		}
		rd.noNameUsed[k] = true
	}
	return nil
}

// unnamedWarning names the columns without a name that held a value and
// were ignored (Options.IgnoreUnknownColumns), or returns "".
func (rd *reader) unnamedWarning() string {
	var names []string
	for k, used := range rd.noNameUsed {
		if used {
			names = append(names, rd.unnamed(rd.noName[k]))
		}
	}
	past := slices.Sorted(maps.Keys(rd.pastHeader))
	for _, i := range past {
		names = append(names, rd.unnamed(i))
	}
	if len(names) == 0 {
		return ""
	}
	return "ignored columns without a name in the header that hold values: " + some(names)
}

// unnamed names a column without a name: by its number in text (#14 (no
// name)), by its letter in a workbook (column N).
func (rd *reader) unnamed(i int) string {
	if rd.pop.Sheet != "" {
		return "column " + columnLetter(i)
	}
	return rd.columnName(i)
}

// columnNumber names the position of field i: its number in text, its
// letter in a workbook.
func (rd *reader) columnNumber(i int) string {
	if rd.pop.Sheet != "" {
		return columnLetter(i)
	}
	return fmt.Sprint(i + 1)
}

// columnName names field i of a row in messages.
func (rd *reader) columnName(i int) string {
	if i < len(rd.headers) && rd.headers[i] != "" {
		return rd.headers[i]
	}
	if i < len(rd.headers) {
		return fmt.Sprintf("#%d (no name)", i+1)
	}
	return fmt.Sprintf("#%d", i+1)
}

// some lists names for a message: the first ten, and how many more.
func some(names []string) string {
	const shown = 10
	if len(names) <= shown {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:shown], ", "), len(names)-shown)
}
