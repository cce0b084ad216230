package published

import (
	"fmt"
	"strings"
)

// Reference returns the reference of the file format (docs/published-reference.md)
// in Markdown: every key of a [[figure]] table, the units, the comparison
// kinds, and the figures of s (the built-in set when generated).
func Reference(s *Set) string {
	var b strings.Builder
	b.WriteString("# Published figures reference\n\n")
	b.WriteString("Generated from the built-in set `ex-partners` by `go test ./published -run TestReferenceIsCurrent -update`;\n")
	b.WriteString("do not edit by hand. A test fails when this file is stale.\n\n")
	b.WriteString("A file of published figures (`--published FILE`) holds one `[[figure]]` table per figure.\n")
	b.WriteString("Copy the built-in set and extend it; every figure must keep its source. Numbers are read\n")
	b.WriteString("exactly (as decimals), never in quotes. Unknown keys are errors; every problem is reported\n")
	b.WriteString("with the file, the line and the key (`figure.N.key`, figures counted from 0), with the nearest valid key\n")
	b.WriteString("for a misspelt one. A file may begin with a UTF-8 byte-order mark.\n\n")
	fmt.Fprintf(&b, "A file holds at most %d figures and %d MB; a text (line, source, note, scope_note) has at most %d bytes,\n",
		MaxFigures, limits.FileBytes>>20, limits.TextBytes)
	b.WriteString("and no control character but a line break or a tab. No text, key or comment may hold a number that could be\n")
	b.WriteString("a BSN (nine digits passing the eleven-test, or eight, also in groups).\n\n")
	b.WriteString("## Keys of a `[[figure]]`\n\n")
	b.WriteString("| key | kind | required | example | meaning |\n|---|---|---|---|---|\n")
	for _, k := range figureKeys {
		req := "yes"
		if !k.required {
			req = "no"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | `%s` | %s |\n", k.name, k.kind, req, cell(k.example), cell(k.doc))
	}
	b.WriteString("\n## Units (`unit`)\n\n")
	b.WriteString("`BaseValue` gives the value in euros or persons: value × factor.\n\n")
	b.WriteString("| unit | as budget tables write it | factor | in |\n|---|---|---|---|\n")
	for _, u := range Units {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", u, u.Label(), u.Factor(), u.Base())
	}
	b.WriteString("\n## Comparison kinds (`compare`)\n\n")
	b.WriteString("Which of the tool's figures has the same scope as the published one. The tool's totals exclude\n")
	b.WriteString("execution costs and any debt approach, as the deck's do; \"the adopted scheme's variant\" is the\n")
	b.WriteString("scenario variant (and case) that models the scheme as adopted, chosen by the caller.\n\n")
	b.WriteString("| compare | units | the tool's figure beside it | label in the sheet |\n|---|---|---|---|\n")
	for _, c := range Comparisons {
		var us []string
		for _, u := range Units {
			if c.Accepts(u) {
				us = append(us, "`"+u.String()+"`")
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c, strings.Join(us, ", "), cell(c.Doc()), cell(c.Label()))
	}
	fmt.Fprintf(&b, "\n## Figures of %s\n\n", s.Origin)
	b.WriteString("| id | year | line | value | unit | range | compare | secondary | source |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, f := range s.Figures {
		rng := ""
		if f.Low != nil && f.High != nil {
			rng = f.Low.String() + " – " + f.High.String()
		}
		sec := ""
		if f.Secondary {
			sec = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s | %s | %s | `%s` | %s | %s |\n", f.ID, f.Year, cell(f.Line), f.Value, f.Unit, rng, f.Compare, sec, cell(f.Source))
	}
	return b.String()
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
