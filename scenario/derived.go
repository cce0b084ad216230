package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"raming/internal/bsn"
	"raming/internal/strictoml"
)

// Derivation says how to write a what-if as a scenario file of its own
// (Derive): the changes, the base they apply to, and why.
type Derivation struct {
	// Base is what the file's `base =` names: a built-in scenario's name,
	// or the path of the base's file.
	Base string
	// Name is the new scenario's name; "" keeps the base's.
	Name string
	// Sets are the changes, KEY=VALUE as --set takes them, in order.
	Sets []string
	// Why gives, per key of Sets (as written there), the reason for the
	// change; the file records it with the changed value.
	Why map[string]string
	// Remove lists keys of the base to leave out (remove = [...]): the
	// deck's roundings that a change makes inapplicable, so that the file
	// computes what --set computes.
	Remove []string
	// Note is a line for the file's opening comment (who wrote it, when).
	Note string
}

// Derive returns the text of a scenario file that derives from the
// scenario base (its base = d.Base) and holds what d.Sets change, so that
// a what-if made with --set (or in the browser) becomes a scenario to run
// every night: loaded, it gives the figures of base with those --set
// changes. What it holds, by the kind of change (the rules of a derived
// file: derive.go):
//
//   - an option of B: its key in [B.options], which is merged key by key,
//     with the reason as a comment;
//   - an assumption's value or a parameter of its uncertainty: the
//     assumption as a whole, with its unit and description, the reason as
//     its source (the base's source kept after it), and its uncertainty,
//     where a mode or mean the base left to default to its value is
//     written out, since that default follows the file's value and --set
//     leaves it at the base's;
//   - an assumption of a case: the variant's cases as a whole (an array
//     of tables is replaced as a whole), copied from the base with the
//     assumption replaced.
//
// A change that cannot be made is an error, as with --set.
func Derive(base *Scenario, d Derivation) ([]byte, error) {
	// A scenario file may hold no number that could be a BSN (the loader
	// refuses it): say which part holds one, masked, before writing a file
	// that would not load.
	for _, part := range textParts(d) {
		if bsn.Contains(part[1]) {
			return nil, fmt.Errorf("%s %q holds a number that could be a BSN (nine digits passing the eleven-test), which no scenario file may hold: write it otherwise",
				bsn.MaskText(part[0]), bsn.MaskText(part[1]))
		}
	}
	sc, err := Parse(base.Text, base.Origin)
	if err != nil {
		return nil, fmt.Errorf("the base no longer parses: %w", err)
	}
	if err := sc.SetAll(d.Sets); err != nil {
		return nil, err
	}
	before := map[string]Entry{}
	for _, e := range base.Entries() {
		before[e.ID] = e
	}
	var b bytes.Buffer
	comment := func(text string) {
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			fmt.Fprintf(&b, "# %s\n", strings.TrimRight(line, " \t\r"))
		}
	}
	comment(fmt.Sprintf("Scenario derived from %s with these changes:\n  %s", d.Base, strings.Join(d.Sets, "\n  ")))
	if d.Note != "" {
		comment(d.Note)
	}
	b.WriteString("# Run it with `raming run --scenario FILE`; `raming scenario show FILE` prints it whole.\n\n")
	fmt.Fprintf(&b, "base = %s\n", tomlString(d.Base))
	if len(d.Remove) > 0 {
		quoted := make([]string, len(d.Remove))
		for i, k := range d.Remove {
			quoted[i] = tomlString(k)
		}
		fmt.Fprintf(&b, "remove = [%s]  # the deck's roundings that no longer apply: a figure they round was changed\n", strings.Join(quoted, ", "))
	}
	name := d.Name
	if name == "" {
		name = sc.Name
	}
	fmt.Fprintf(&b, "name = %s\n", tomlString(name))

	why := func(id string) string {
		var out []string
		for k, w := range d.Why {
			if w = strings.TrimSpace(w); w != "" && (strings.EqualFold(k, id) || strings.HasPrefix(strings.ToLower(k), strings.ToLower(id)+".")) {
				out = append(out, w)
			}
		}
		slices.Sort(out)
		return strings.Join(out, " ")
	}

	// B's options, key by key.
	if sc.B != nil {
		var lines []string
		for _, op := range Options {
			if !sc.IsChanged("b." + op.Key) {
				continue
			}
			line := fmt.Sprintf("%s = %s", op.Key, tomlOption(op, &sc.B.Options))
			if w := why("b." + op.Key); w != "" {
				line += "  # " + oneLine(w)
			}
			lines = append(lines, line)
		}
		if len(lines) > 0 {
			fmt.Fprintf(&b, "\n[%s.options]\n%s\n", sc.B.ID, strings.Join(lines, "\n"))
		}
		if sc.IsChanged("b.pending_peildatum") {
			p := sc.B.Options.PendingPeildatum
			fmt.Fprintf(&b, "\n[%s.options.pending_peildatum]\nvalue = %s\ndescription = %s\nsource = %s\n", sc.B.ID, p.Value,
				tomlString(p.Description), tomlString(changedSource(why("b.pending_peildatum"), base.B.Options.PendingPeildatum.Value.String(), p.Source)))
		}
	}

	// Assumptions: outside an array of tables as a whole; in a case, the
	// variant's cases as a whole.
	arrays := map[string]map[string]Entry{} // array key ("A.cases") -> changed entries by Key
	var arrayOrder []string
	for _, e := range sc.Entries() {
		if !sc.IsChanged(e.ID) {
			continue
		}
		if arr, ok := arrayOf(e.Key); ok {
			if arrays[arr] == nil {
				arrays[arr] = map[string]Entry{}
				arrayOrder = append(arrayOrder, arr)
			}
			arrays[arr][e.Key] = e
			continue
		}
		b.WriteString("\n")
		writeAssumption(&b, e.Key, e, before[e.ID], why(e.ID))
	}
	if len(arrays) > 0 {
		doc, ps := strictoml.Check(base.Text, limits, schema)
		if len(ps) > 0 {
			return nil, &Error{File: base.Origin, Problems: ps}
		}
		t := cut(doc, nil)
		for _, arr := range arrayOrder {
			b.WriteString("\n")
			writeArray(&b, t, arr, arrays[arr], before, why)
		}
	}
	return b.Bytes(), nil
}

// arrayOf returns the key of the array of tables an entry's key lies in
// ("A.cases" for "A.cases.0.lump_sum").
func arrayOf(key string) (string, bool) {
	parts := strings.Split(key, ".")
	for i, p := range parts {
		if i > 0 && p != "" && strings.Trim(p, "0123456789") == "" {
			return strings.Join(parts[:i], "."), true
		}
	}
	return "", false
}

// writeArray copies the array of tables arr from the base's text, each
// changed assumption (by its Key) replaced by its new table.
func writeArray(b *bytes.Buffer, t *text, arr string, changed map[string]Entry, before map[string]Entry, why func(string) string) {
	prefix := strings.Split(arr, ".")
	written := map[string]bool{}
	for _, it := range t.items {
		p := it.entry.Path
		if len(p) < len(prefix) || !slices.Equal(p[:len(prefix)], prefix) {
			continue
		}
		var in *Entry
		for key, e := range changed {
			kp := strings.Split(key, ".")
			if len(p) >= len(kp) && slices.Equal(p[:len(kp)], kp) {
				in = &e
				break
			}
		}
		if in == nil {
			for _, l := range t.lines[it.lead.from:it.lines.to] {
				b.Write(l)
			}
			if len(t.lines[it.lines.to-1]) > 0 && !bytes.HasSuffix(t.lines[it.lines.to-1], []byte("\n")) {
				b.WriteString("\n")
			}
			continue
		}
		if written[in.Key] {
			continue
		}
		written[in.Key] = true
		// The header within an element of the array is written without
		// the element's index: [A.cases.lump_sum].
		kp := strings.Split(in.Key, ".")
		header := strings.Join(append(slices.Clone(prefix), kp[len(prefix)+1:]...), ".")
		writeAssumption(b, header, *in, before[in.ID], why(in.ID))
	}
}

// writeAssumption writes an assumption as a whole under the table header,
// with what changed (from was) and why.
func writeAssumption(b *bytes.Buffer, header string, e, was Entry, why string) {
	if was.Assumption != nil && !was.Value.Equal(e.Value) {
		fmt.Fprintf(b, "# %s: %s (was %s).\n", e.ID, e.Value, was.Value)
	}
	if why != "" {
		fmt.Fprintf(b, "# Why: %s\n", oneLine(why))
	}
	source := e.Source
	if was.Assumption != nil && !was.Value.Equal(e.Value) || why != "" {
		old := ""
		if was.Assumption != nil {
			old = was.Value.String()
		}
		source = changedSource(why, old, e.Source)
	}
	fmt.Fprintf(b, "[%s]\nvalue = %s\nunit = %s\ndescription = %s\nsource = %s\n", header, e.Value, tomlString(string(e.Unit)), tomlString(e.Description), tomlString(source))
	u := e.Uncertainty
	if u == nil {
		return
	}
	fmt.Fprintf(b, "[%s.uncertainty]\n", header)
	if u.MovesWith != "" {
		fmt.Fprintf(b, "moves_with = %s\nwhy = %s\n", tomlString(u.MovesWith), tomlString(u.Why))
		return
	}
	if u.Distribution != "" {
		fmt.Fprintf(b, "distribution = %s\n", tomlString(string(u.Distribution)))
	}
	if u.Point != "" {
		fmt.Fprintf(b, "point = %s\n", tomlString(string(u.Point)))
	}
	// A mode or mean left out defaults to the value the base states with
	// the uncertainty (its anchor), also after --set: written out, the
	// file keeps that default while its value changes.
	mode, mean := u.Mode, u.Mean
	if a, ok := u.Anchor(); ok {
		switch u.Kind(e.Unit) {
		case Triangular, PERT:
			if mode == nil {
				mode = &a
			}
		case Beta, Normal:
			if mean == nil && u.Low == nil {
				mean = &a
			}
		}
	}
	for _, p := range []struct {
		key string
		v   *decimal.Decimal
	}{{"min", u.Min}, {"mode", mode}, {"max", u.Max}, {"mean", mean}, {"sd", u.SD}, {"low", u.Low}, {"high", u.High}} {
		if p.v != nil {
			fmt.Fprintf(b, "%s = %s\n", p.key, p.v)
		}
	}
	if len(u.Values) > 0 {
		fmt.Fprintf(b, "values = %s\nweights = %s\n", decimalArray(u.Values), decimalArray(u.Weights))
	}
	fmt.Fprintf(b, "why = %s\n", tomlString(u.Why))
}

// changedSource is the source of a changed value: the reason given, then
// the base's value and source.
func changedSource(why, was, baseSource string) string {
	var s []string
	if why = oneLine(why); why != "" {
		s = append(s, why)
	} else {
		s = append(s, "Changed with --set (no reason given)")
	}
	if was != "" {
		s = append(s, fmt.Sprintf("(base value %s: %s)", was, baseSource))
	}
	return strings.Join(s, " ")
}

// tomlOption writes an option's value as TOML: a flag as a boolean, a date
// as a string (as the built-in scenarios write them), anything else as a
// string.
func tomlOption(op Option, o *BOptions) string {
	v := op.Get(o)
	if v == "true" || v == "false" {
		if _, isFlag := op.field(o).(*Flag); isFlag {
			return v
		}
	}
	return tomlString(v)
}

// tomlString writes s as a TOML basic string. JSON's escapes (\", \\,
// \n, \t, \uXXXX) are TOML's, and encoding/json escapes every control
// character.
func tomlString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// decimalArray is a list of decimals as a TOML array ([1, 2.5]): in a
// derived file, and in how Diff describes an uncertainty.
func decimalArray(ds []decimal.Decimal) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// oneLine is a text on one line (a comment, a source).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// textParts are the texts of d that reach the file, each with its name
// for a message: the name, every reason (why) and every --set change.
func textParts(d Derivation) [][2]string {
	out := [][2]string{{"name", d.Name}}
	for _, k := range slices.Sorted(maps.Keys(d.Why)) {
		out = append(out, [2]string{"why of " + k, d.Why[k]})
	}
	for _, kv := range d.Sets {
		out = append(out, [2]string{"--set", kv})
	}
	return out
}
