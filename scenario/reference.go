package scenario

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Reference returns the scenario reference (docs/scenario-reference.md) in
// Markdown: every key the model reads, with its unit, Dutch label, the
// value in this scenario, description and source.
func Reference(sc *Scenario) string {
	var b strings.Builder
	b.WriteString("# Scenario reference\n\n")
	b.WriteString("Generated from the built-in scenario `" + sc.Name + "` by `make docs`; do not edit by hand.\n")
	b.WriteString("A test fails when this file is stale.\n\n")
	b.WriteString("Every assumption is a TOML table with four keys: `value` (a number, read exactly),\n")
	b.WriteString("`unit` (one of " + unitList() + "), `description` and `source`.\n")
	b.WriteString("Each value lies in its unit's range (see [Allowed values](#allowed-values)). Case assumptions sit under\n")
	b.WriteString("`[[X.cases]]` (id, label, optional `deck = {...}` with the deck's printed figures in EUR mln).\n")
	b.WriteString("A variant's optional `central_case` names the case whose Monte Carlo spread stands for it (default: the first).\n\n")
	b.WriteString("The key is one spelling everywhere: `--set KEY=VALUE`, the workbook's sheet Aannames, messages. A case's\n")
	b.WriteString("assumption is named by the case's id (`A-15k.lump_sum`), an assumption of B's options by `b.` (`b.cap`);\n")
	b.WriteString("the column \"in the file\" says where it stands in a scenario file. An uncertain assumption's interval is\n")
	b.WriteString("changed with `--set KEY.low=...` (also `.high`, `.min`, `.max`, `.mode`, `.mean`, `.sd`).\n\n")
	b.WriteString("A scenario may also have variant `W`, the scheme as adopted in 2023 (built-in scenario `wet-2023`): it\n")
	b.WriteString("has variant A's keys under its own id (`W.cws_appeal_share`, `W.cws_average_damage`, `W-10k.lump_sum`);\n")
	b.WriteString("`raming scenario show wet-2023` prints them with their sources.\n\n")
	writeDerived(&b)
	b.WriteString("## Keys\n\n")
	b.WriteString("| key | in the file | unit | label (workbook) | value | description | source |\n|---|---|---|---|---|---|---|\n")
	for _, e := range sc.Entries() {
		value := e.Value.String()
		if e.Optional && !e.Given() {
			value = "(not given)"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s | %s | %s |\n", e.ID, e.Key, e.Unit, e.Label, value, cell(e.Description), cell(e.Source))
	}
	if sc.B != nil {
		d := sc.B.Options.PendingPeildatum
		fmt.Fprintf(&b, "| `b.pending_peildatum` | `B.options.pending_peildatum` | date | Peildatum bij nog geen eerste betaling en geen melddatum | %s | %s | %s |\n",
			d.Value, cell(d.Description), cell(d.Source))
	}
	writeLimits(&b)
	b.WriteString("\n## Options of variant B\n\n")
	b.WriteString("`[B.options]` holds the choices of the worked-out variant B, applied record by record with a\n")
	b.WriteString("population extract. Each can be changed for one run with `--set b.KEY=VALUE`; any assumption with\n")
	b.WriteString("`--set ID=NUMBER` (IDs as in the workbook's sheet Aannames, e.g. `funnel.affected_share`).\n\n")
	b.WriteString("| key | stage | values | in this scenario |\n|---|---|---|---|\n")
	for _, op := range Options {
		var vs []string
		for _, v := range op.Values {
			vs = append(vs, "`"+v.Text+"` ("+v.Label+")")
		}
		if op.Also != "" {
			vs = append(vs, op.Also)
		}
		current := ""
		if sc.B != nil {
			current = "`" + op.Get(&sc.B.Options) + "`"
		}
		fmt.Fprintf(&b, "| `b.%s` | %s | %s | %s |\n", op.Key, op.Stage, cell(strings.Join(vs, "; ")), current)
	}
	writeBudget(&b, sc.Budget)
	b.WriteString("\n## Rounding\n\n")
	b.WriteString("`[rounding.\"QUANTITY\"]` replaces a derived figure by the rounded figure the deck multiplied with\n")
	b.WriteString("(`value`, `deck_text`, `source`). It applies to the scenario's base population only, never to an extract.\n")
	b.WriteString("Any quantity on the workbook's sheet Populatie may be rounded: the funnel's steps and the figures each\n")
	b.WriteString("variant derives. The model defines them, so it checks the key when it runs: a key that names no\n")
	b.WriteString("quantity is refused, with the nearest name. The built-in scenarios round these:\n\n")
	b.WriteString("| quantity | rounded to | scenario |\n|---|---|---|\n")
	for _, r := range builtinRoundings() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.key, cell(r.deckText), r.scenario)
	}
	return b.String()
}

// writeDerived writes the section on scenarios that derive from another.
func writeDerived(b *strings.Builder) {
	b.WriteString("## Scenarios that derive from another\n\n")
	b.WriteString("A scenario file may hold only what differs from another scenario, its base: `base = \"deck-exact\"` names\n")
	b.WriteString("a built-in scenario, or a scenario file relative to this one (`base = \"../common.toml\"`), which may derive\n")
	fmt.Fprintf(b, "in turn (at most %d files in a chain, no cycles). `remove = [\"A\", \"B\"]` leaves keys of the base out: a\n", maxDerivation)
	b.WriteString("variant, an optional assumption, a rounding. The rest of the file changes the base:\n\n")
	b.WriteString("- an assumption (`[funnel.affected_share]`), a rounding, a `deck = {...}` figure, a single value and a\n")
	b.WriteString("  variant's cases (`[[A.cases]]`, all of them) are replaced as a whole: give every key of what you\n")
	b.WriteString("  change (value, unit, description, source, and an uncertainty if it has one), so that a value never\n")
	b.WriteString("  carries the source of another;\n")
	b.WriteString("- the other tables (`[B.options]`, `[A]`, `[phasing]`) are changed key by key: `[B.options]` with\n")
	b.WriteString("  `threshold = \"soft\"` changes that option only;\n")
	b.WriteString("- the file's opening comment, if it has one, replaces the base's.\n\n")
	b.WriteString("The built-in `deck` is `deck-exact` plus the deck's rounding, and `wet-2023` is `deck-exact` with the\n")
	b.WriteString("adopted start and variant W instead of A-E: a new assumption is added once, in `deck-exact`.\n")
	b.WriteString("`raming scenario show NAME` prints the complete scenario a file resolves to (the base with the\n")
	b.WriteString("changes made in place, comments kept), which is also the text a run records and hashes (Herkomst,\n")
	b.WriteString("the JSON summary): copy it to edit any value. Problems are reported in the file and on the line where\n")
	b.WriteString("they were written, the base's or the derived file's.\n\n")
}

// writeBudget writes the section on the budget tables' data.
func writeBudget(b *strings.Builder, bu *Budget) {
	b.WriteString("\n## Budget tables\n\n")
	b.WriteString("`[budget]` (optional) says how the budget tables show begroting T (`--budget-year T`) and when a mutation\n")
	b.WriteString("needs a written explanation. `[budget.price_level]` gives each line, `scheme` (the compensation), `cws`\n")
	b.WriteString("(the additional damage) and `execution` (execution costs), as `nominal` (an amount fixed in law: the same\n")
	b.WriteString("euros at any price level) or `indexed` (follows prices: × (1 + `phasing.indexation_rate`) ^ (T −\n")
	b.WriteString("`phasing.price_level_year`)), with a `source`; without it every line is nominal. `[[budget.staffel]]`\n")
	b.WriteString("rows (`article_from`, `policy`, `technical`, in EUR, from the smallest article up, the first from 0) are the\n")
	b.WriteString("Rijksbegrotingsvoorschriften' thresholds for a beleidsmatige and a technische mutation; `article_size`\n")
	b.WriteString("(EUR) picks the row, with `article_source` and `staffel_source`. This scenario:\n\n")
	if bu == nil {
		b.WriteString("(no `[budget]` table)\n")
		return
	}
	b.WriteString("| line | shown |\n|---|---|\n")
	p := bu.PriceLevel
	for _, l := range []struct {
		key string
		get func(*PriceLines) Indexing
	}{{"scheme", func(p *PriceLines) Indexing { return p.Scheme }}, {"cws", func(p *PriceLines) Indexing { return p.CWS }},
		{"execution", func(p *PriceLines) Indexing { return p.Execution }}} {
		fmt.Fprintf(b, "| `%s` | `%s` |\n", l.key, p.Line(l.get))
	}
	if p != nil {
		fmt.Fprintf(b, "\nSource: %s\n", p.Source)
	}
	b.WriteString("\n| article from (EUR) | beleidsmatig from (EUR) | technisch from (EUR) |\n|---|---|---|\n")
	for _, r := range bu.Staffel {
		fmt.Fprintf(b, "| %s | %s | %s |\n", thousands(r.From), thousands(r.Policy), thousands(r.Technical))
	}
	if row, ok := bu.Row(); ok {
		fmt.Fprintf(b, "\nArticle size %s: the row from %s applies. Sources: %s; %s\n", thousands(bu.ArticleSize), thousands(row.From), bu.StaffelSource, bu.ArticleSource)
	}
}

// writeLimits writes the section on the values a scenario may hold.
func writeLimits(b *strings.Builder) {
	b.WriteString("\n## Allowed values\n\n")
	b.WriteString("Every number is a TOML number in plain decimal notation (`11000`, `0.75`, `1.5e6`): not quoted,\n")
	b.WriteString("without underscores, not hexadecimal, octal or binary, not `true`, `nan` or `inf`, with at most\n")
	fmt.Fprintf(b, "%d decimals. A value and every parameter of its uncertainty lie from 0 to its unit's largest value:\n\n", maxDecimals)
	b.WriteString("| unit | largest value |\n|---|---|\n")
	for _, u := range Units {
		fmt.Fprintf(b, "| `%s` | %s |\n", u, thousands(unitMax[u]))
	}
	b.WriteString("\nThese assumptions are whole numbers in a narrower range:")
	for i, id := range sortedKeys(wholeRanges) {
		r := wholeRanges[id]
		sep := ","
		if i == len(wholeRanges)-1 {
			sep = "."
		}
		fmt.Fprintf(b, " `%s` %d to %d%s", id, r[0], r[1], sep)
	}
	fmt.Fprintf(b, "\nThe deck's printed figures, rounded figures and discrete weights lie from 0 to %s.\n\n", thousands(maxNumber))
	fmt.Fprintf(b, "A case id has 1 to %d characters: letters `a-z` and `A-Z`, digits and `- + %% _ .`. The workbook\n", maxCaseID)
	b.WriteString("names cells after case ids with every character but a letter or digit as `_`, and ignores letter case,\n")
	b.WriteString("so no two case ids may be one name there (`A-15k`, `A+15k` and `a_15k` are); nor may a case id be\n")
	b.WriteString("another variant's id, or `B-opties`, the case the model adds to variant B with an extract.\n\n")
	fmt.Fprintf(b, "A lognormal's `high` is at most %d times its `low`. A text (description, source, label) has at most\n", maxLogNormalRatio)
	fmt.Fprintf(b, "%d bytes, and a scenario file at most %d MB. A text holds no control character but a line break or a tab.\n", MaxText, limits.FileBytes>>20)
	b.WriteString("No text, key or comment may hold a number that could be a BSN (nine digits passing the eleven-test, or\n")
	b.WriteString("eight, also in groups): a scenario's text is copied into the outputs. Write amounts with thousands separators.\n")
	b.WriteString("A variant's `short_name` names its sheet with its id (`A Forfaitair`): by Excel's rules, the two with a space\n")
	fmt.Fprintf(b, "between them have at most %d characters (an emoji counts as two), none of `: \\ / ? * [ ]` or a control\n", maxSheetName)
	b.WriteString("character, and the short name neither begins nor ends with an apostrophe.\n\n")
	fmt.Fprintf(b, "A file holds at most %s tables and keys, a table (or an array, or a variant's cases) at most %s; a dotted\n", thousands(decimal.NewFromInt(int64(limits.Entries))), thousands(decimal.NewFromInt(int64(limits.Elements))))
	fmt.Fprintf(b, "key has at most %d parts of at most %d bytes each. A file may begin with a UTF-8 byte-order mark.\n", limits.KeyParts, limits.KeyBytes)
	b.WriteString("`--set` is held to the same limits.\n")
}

func unitList() string {
	var s []string
	for _, u := range Units {
		s = append(s, "`"+string(u)+"`")
	}
	return strings.Join(s, ", ")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// builtinRounding is a rounding of a built-in scenario.
type builtinRounding struct{ key, deckText, scenario string }

// builtinRoundings lists the roundings of the built-in scenarios, by key.
func builtinRoundings() []builtinRounding {
	var out []builtinRounding
	for _, name := range BuiltinNames() {
		sc, err := Load(name)
		if err != nil {
			panic(err) // a test loads every built-in scenario
		}
		for _, k := range sortedKeys(sc.Rounding) {
			out = append(out, builtinRounding{key: k, deckText: sc.Rounding[k].DeckText, scenario: name})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}
