package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"

	"raming/internal/bsn"
	"raming/internal/strictoml"
	"raming/internal/suggest"
)

// A scenario file may derive from another, as a reform in Tax-Calculator
// derives from current law: `base = "deck-exact"` names the base (a
// built-in scenario, or a file relative to this one), `remove = ["A"]`
// lists keys of the base to leave out (a variant, an optional assumption),
// and the rest of the file holds only what differs. The scenario reference
// (docs/scenario-reference.md, "Scenarios that derive from another") says
// it for users.
//
// Resolving it gives one complete scenario text, the base's text with the
// file's changes made in place, with the comments of both; that text is
// what the scenario is (Scenario.Text, its SHA-256, `raming scenario
// show`), so a copy of it, or a run's stored text, reads without the base.
// The rules, by the kind of value at a key:
//
//   - An assumption, a date assumption, a rounding, a deck figure, a
//     variant's cases (an array of tables) and any single value are
//     replaced as a whole: an assumption the file gives carries its own
//     unit, description and source, never the base's for another value.
//   - Other tables (funnel, phasing, a variant, B's options, [rounding])
//     are merged key by key.
//   - A table the base does not have is placed after the table the file
//     gives before it, when both belong to one section (funnel, phasing, a
//     variant); else after the base's last table of its section; else at
//     the end.
//   - The file's opening comment, when it has one, replaces the base's.
//
// Each line of the resolved text remembers the file and line it comes
// from, so a problem is reported where it was written.

// maxDerivation is the longest chain of scenarios a scenario may derive
// through: a file, its base, the base's base, ...
const maxDerivation = 5

// derivedFile is what a scenario file may hold: a scenario, and what it
// derives from.
type derivedFile struct {
	// Base names the scenario this one derives from: a built-in name, or
	// a file relative to this one.
	Base string `toml:"base"`
	// Remove lists the base's keys this scenario leaves out.
	Remove []string `toml:"remove"`
	Scenario
}

// fileSchema is what a scenario file may hold; a resolved text holds
// only schema's keys.
var fileSchema = func() strictoml.Schema {
	s := schema
	s.Type = reflect.TypeOf(derivedFile{})
	return s
}()

// source is where a scenario text comes from.
type source struct {
	origin string // in messages and Scenario.Origin: "built-in deck", a path (masked: bsn.MaskText)
	id     string // the same source has the same id: a built-in's name, an absolute path
	dir    string // the directory a file's base is relative to
	files  bool   // a base may be a file (relative to dir), not only a built-in scenario
}

// lineOrigin is where a line of a resolved text was written.
type lineOrigin struct {
	file string // a source's origin
	line int
}

// resolved is a scenario text with every base resolved.
type resolved struct {
	text    []byte         // the complete scenario: the bytes as read for a file without a base
	doc     *strictoml.Doc // text read against schema
	origins []lineOrigin   // per line of doc.Text; nil when the text is the file itself
	origin  string         // the file's origin
	base    string         // the origin of the base, "" for none
}

// resolve reads the scenario file b from src, resolving its base (chain
// holds the ids of the scenarios that derive from it, to refuse a cycle).
func resolve(b []byte, src source, chain []string) (*resolved, error) {
	doc, ps := strictoml.Check(b, limits, fileSchema)
	if len(ps) > 0 {
		return nil, &Error{File: src.origin, Problems: ps}
	}
	var head derivedFile
	if ps := strictoml.Decode(doc, &head); len(ps) > 0 {
		return nil, &Error{File: src.origin, Problems: ps}
	}
	line := func(key string) int {
		for _, e := range doc.Entries {
			if len(e.Path) == 1 && e.Path[0] == key {
				return e.Line
			}
		}
		return 0
	}
	fail := func(key, format string, args ...any) error {
		return &Error{File: src.origin, Problems: []Problem{{Line: line(key), Key: key, Msg: fmt.Sprintf(format, args...)}}}
	}
	if head.Base == "" {
		switch {
		case line("base") > 0:
			return nil, fail("base", "is empty: name the scenario this one derives from (base = \"deck-exact\"), or delete this line")
		case len(head.Remove) > 0:
			return nil, fail("remove", "remove without base: name the scenario to remove keys from (base = \"deck-exact\"), or delete this line")
		}
		return &resolved{text: b, doc: doc, origin: src.origin}, nil
	}
	chain = append(slices.Clip(chain), src.id) // this file's own copy: the chain down to it
	if len(chain) >= maxDerivation {
		return nil, fail("base", "%s derives through more than %d scenarios (%s); derive from a scenario nearer the end of the chain", src.origin, maxDerivation, strings.Join(chain, " → "))
	}
	bsrc, bb, err := baseSource(head.Base, src)
	if err != nil {
		return nil, fail("base", "%s", err)
	}
	if slices.Contains(chain, bsrc.id) {
		return nil, fail("base", "%q derives from itself (%s → %s); a scenario cannot be its own base", head.Base, strings.Join(chain, " → "), bsrc.id)
	}
	base, err := resolveBase(bb, bsrc, chain)
	if err != nil {
		return nil, err
	}
	m := newMerger(base, doc, src.origin)
	var missing []string
	for _, k := range head.Remove {
		if !m.has(k) {
			missing = append(missing, fmt.Sprintf("%q%s", k, suggest.DidYouMean(k, base.tables())))
		}
	}
	if len(missing) > 0 {
		return nil, fail("remove", "%s not in the base %s; remove names tables or keys of the base, such as \"A\" or \"phasing.opening_year_share\"", strings.Join(missing, ", "), bsrc.origin)
	}
	text, origins := m.merge(head.Remove)
	rdoc, ps := strictoml.Check(text, limits, schema)
	r := &resolved{text: text, doc: rdoc, origins: origins, origin: src.origin, base: bsrc.origin}
	if len(ps) > 0 {
		return nil, &Error{File: src.origin, Problems: r.where(ps, src.origin)}
	}
	return r, nil
}

// builtinBases holds the built-in scenarios resolved as bases: they never
// change, and a derived scenario is read often (each run, each test).
var builtinBases sync.Map // source id -> *resolved

// resolveBase resolves a base, a built-in once.
func resolveBase(b []byte, src source, chain []string) (*resolved, error) {
	if src.files {
		return resolve(b, src, chain)
	}
	if r, ok := builtinBases.Load(src.id); ok {
		return r.(*resolved), nil
	}
	r, err := resolve(b, src, chain)
	if err == nil {
		builtinBases.Store(src.id, r)
	}
	return r, err
}

// baseSource finds the base a scenario from src names: a built-in
// scenario, or, for a scenario read from a file, a file relative to it (a
// built-in, or a text such as a run's stored scenario, derives from
// built-ins only).
func baseSource(name string, src source) (source, []byte, error) {
	if b, err := BuiltinText(name); err == nil {
		return source{origin: "built-in " + name, id: "built-in " + name}, b, nil
	}
	if !src.files {
		return source{}, nil, fmt.Errorf("no built-in scenario %q (built-in: %s); only a scenario file may derive from another file", name, strings.Join(BuiltinNames(), ", "))
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(src.dir, path)
	}
	b, err := strictoml.ReadFile(path, limits.FileBytes)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, os.ErrNotExist) {
			msg = fmt.Sprintf("%s does not exist; base names a built-in scenario (%s) or a file relative to this one", path, strings.Join(BuiltinNames(), ", "))
		}
		return source{}, nil, errors.New(bsn.MaskText(msg))
	}
	id, err := filepath.Abs(path)
	if err != nil {
		id = path
	}
	return source{origin: bsn.MaskText(path), id: id, dir: filepath.Dir(path), files: true}, b, nil
}

// tables lists the names of the text's tables, for suggestions.
func (r *resolved) tables() []string {
	var names []string
	for _, e := range r.doc.Entries {
		if e.Kind == strictoml.Table {
			names = append(names, e.Key())
		}
	}
	return names
}

// where maps each problem's line in the resolved text to the file and line
// it was written on; the top file (origin) is the error's own.
func (r *resolved) where(ps []Problem, origin string) []Problem {
	if r.origins == nil {
		return ps
	}
	for i, p := range ps {
		if p.Line < 1 || p.Line > len(r.origins) {
			continue
		}
		o := r.origins[p.Line-1]
		ps[i].Line = o.line
		if o.file != origin {
			ps[i].File = o.file
		}
	}
	return ps
}

// lineOrigins returns where each line of the text was written.
func (r *resolved) lineOrigins() []lineOrigin {
	if r.origins != nil {
		return r.origins
	}
	o := make([]lineOrigin, r.doc.Lines())
	for i := range o {
		o[i] = lineOrigin{file: r.origin, line: i + 1}
	}
	return o
}

// hasComment reports whether lines of text hold a comment.
func hasComment(lines [][]byte) bool {
	for _, l := range lines {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] == '#' {
			return true
		}
	}
	return false
}
