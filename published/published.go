package published

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"raming/internal/bsn"
	"raming/internal/strictoml"
)

// Figure is one published figure: a budget line, a reservation, a number of
// people. The keys of its [[figure]] table are documented in Reference.
type Figure struct {
	// ID is a short name, unique in the file ("psupp-2023-stand").
	ID string `toml:"id"`
	// Year is the budget year the figure is for, or the year it was
	// announced.
	Year int `toml:"year"`
	// Line says what the figure is, in Dutch, as the sheet shows it.
	Line string `toml:"line"`
	// Value is the figure in Unit, exact; BaseValue converts it.
	Value decimal.Decimal `toml:"value"`
	// Unit is the unit of Value, Low and High.
	Unit Unit `toml:"unit"`
	// Low and High are the range the source gives, both nil when it gives
	// one figure. Value lies within them.
	Low  *decimal.Decimal `toml:"low"`
	High *decimal.Decimal `toml:"high"`
	// Source names the document the figure comes from.
	Source string `toml:"source"`
	// Note is what a reader must know to use the figure (approximation,
	// derivation, which report quotes the paper); "" for none.
	Note string `toml:"note"`
	// Secondary is true when the figure was found only through a secondary
	// source, such as a news report quoting the primary paper. Note then
	// says which.
	Secondary bool `toml:"secondary"`
	// Compare says which of the tool's figures has the same scope.
	Compare Comparison `toml:"compare"`
	// ScopeNote says in Dutch where the scope differs from the tool's
	// figure, or why there is none; "" for none.
	ScopeNote string `toml:"scope_note"`
}

// BaseValue returns Value in euros (for the euro units) or persons:
// Value × Unit.Factor().
func (f Figure) BaseValue() decimal.Decimal { return f.Value.Mul(f.Unit.Factor()) }

// BaseRange returns Low and High in euros or persons; ok is false when the
// source gives no range.
func (f Figure) BaseRange() (low, high decimal.Decimal, ok bool) {
	if f.Low == nil || f.High == nil {
		return decimal.Decimal{}, decimal.Decimal{}, false
	}
	return f.Low.Mul(f.Unit.Factor()), f.High.Mul(f.Unit.Factor()), true
}

// Set is the published figures of one file, in file order, with the file's
// provenance.
type Set struct {
	// Figures are in the order of the file's [[figure]] tables.
	Figures []Figure `toml:"figure"`

	// Origin is where the set was read from ("built-in ex-partners", a path).
	Origin string `toml:"-"`
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256 string `toml:"-"`
	// Text is the file as read, for printing and provenance.
	Text []byte `toml:"-"`
}

// Find returns the figure with the given ID.
func (s *Set) Find(id string) (Figure, bool) {
	i := slices.IndexFunc(s.Figures, func(f Figure) bool { return f.ID == id })
	if i < 0 {
		return Figure{}, false
	}
	return s.Figures[i], true
}

//go:embed builtin/*.toml
var builtinFS embed.FS

// BuiltinNames lists the built-in sets of published figures, sorted.
func BuiltinNames() []string {
	entries, _ := builtinFS.ReadDir("builtin")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".toml"))
	}
	slices.Sort(names)
	return names
}

// BuiltinText returns the TOML text of a built-in set, for printing or for a
// user to copy and extend.
func BuiltinText(name string) ([]byte, error) {
	b, err := builtinFS.ReadFile("builtin/" + name + ".toml")
	if err != nil {
		return nil, fmt.Errorf("no built-in set of published figures %q (built-in: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return b, nil
}

// Load returns the built-in set called nameOrPath, or else reads the file at
// that path. Every problem is reported with the file, line and key. The
// path names the file in errors and in Set.Origin with any number in it
// that could be a BSN masked (bsn.MaskText): Origin reaches the outputs.
func Load(nameOrPath string) (*Set, error) {
	if b, err := BuiltinText(nameOrPath); err == nil {
		return Parse(b, "built-in "+nameOrPath)
	}
	b, err := strictoml.ReadFile(nameOrPath, limits.FileBytes)
	if err != nil {
		msg := "cannot read it: " + err.Error()
		switch {
		case errors.Is(err, os.ErrNotExist) && filepath.Ext(nameOrPath) == "":
			msg = fmt.Sprintf("neither a built-in set of published figures (%s) nor a readable file", strings.Join(BuiltinNames(), ", "))
		case errors.Is(err, strictoml.ErrNotAFile):
			msg = strings.TrimSuffix(err.Error(), strictoml.ErrNotAFile.Error()) + "not a file of published figures"
		}
		return nil, &Error{File: bsn.MaskText(nameOrPath), Problems: []Problem{{Msg: bsn.MaskText(msg)}}}
	}
	return Parse(b, bsn.MaskText(nameOrPath))
}

// Parse decodes and validates a file of published figures. origin names the
// file in errors and in Set.Origin. The file may begin with a UTF-8
// byte-order mark. The error, if any, is an *Error listing the problems
// found. The checks run in three stages: the file as TOML (syntax, limits,
// unknown keys, keys given twice, the kind of each value and the closed
// lists unit and compare); what the decoder still refuses; then the
// figures' contents. A stage runs only when the ones before found nothing.
func Parse(b []byte, origin string) (*Set, error) {
	doc, ps := strictoml.Check(b, limits, schema)
	if len(ps) > 0 {
		return nil, &Error{File: origin, Problems: ps}
	}
	var s Set
	if ps := strictoml.Decode(doc, &s); len(ps) > 0 {
		return nil, &Error{File: origin, Problems: ps}
	}
	if ps := s.validate(layoutOf(doc)); len(ps) > 0 {
		return nil, &Error{File: origin, Problems: ps}
	}
	sum := sha256.Sum256(b)
	s.Origin = origin
	s.SHA256 = hex.EncodeToString(sum[:])
	s.Text = b
	return &s, nil
}

// Error lists every problem found in a file of published figures.
type Error struct {
	File     string
	Problems []Problem
}

// Problem is one problem in a file of published figures: its line, its
// dotted key (figures counted from 0: "figure.3.unit") and what is wrong.
type Problem = strictoml.Problem

func (e *Error) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "published figures %s are not valid:", e.File)
	for _, p := range e.Problems {
		where := e.File
		if p.Line > 0 {
			where += ":" + strconv.Itoa(p.Line)
		}
		if p.Key != "" {
			where += ": " + p.Key
		}
		fmt.Fprintf(&sb, "\n  %s: %s", where, p.Msg)
	}
	return sb.String()
}
