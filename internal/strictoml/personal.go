package strictoml

import (
	"fmt"

	"github.com/pelletier/go-toml/v2/unstable"

	"raming/internal/bsn"
)

// bsnFix is what a problem about a number that could be a BSN says: what it
// is and what to do. It never repeats the text.
const bsnFix = "holds a number that could be a BSN (nine digits passing the eleven-test, or eight with the leading zero dropped, " +
	"also in groups); %s is copied into the outputs and must never carry personal data: remove it, and write an amount " +
	"or another number with thousands separators (12.345.678)"

// personalData returns a problem for every text of the document that
// holds a number that could be a BSN (bsn.Contains): string values, also
// in arrays and inline tables and under keys the schema does not have;
// keys; and comments, which a scenario's text carries into the outputs
// too. Numbers, dates and booleans are not texts: an amount is no BSN. It
// reads the document once more, with its comments, in time linear in its
// size; a document that is not TOML is read up to the syntax error (which
// Check reports).
func (c *checker) personalData() []Problem {
	var p unstable.Parser
	p.KeepComments = true
	p.Reset(c.doc.Text)
	var ps []Problem
	var visit func(n *unstable.Node)
	visit = func(n *unstable.Node) {
		switch n.Kind {
		case unstable.String, unstable.Key, unstable.Comment:
			if bsn.Contains(string(n.Data)) {
				ps = append(ps, c.personal(n))
			}
		}
		for it := n.Children(); it.Next(); {
			visit(it.Node())
		}
	}
	for p.NextExpression() && len(ps) < MaxProblems {
		e := p.Expression()
		visit(e)
		if n := e.Next(); n != nil { // a comment after the expression, on its line
			visit(n)
		}
	}
	return ps
}

// personal is the problem of a node that holds a number that could be a
// BSN: its line, and the key of the entry on that line (none for a
// comment on a line of its own).
func (c *checker) personal(n *unstable.Node) Problem {
	line := c.doc.Line(int(n.Raw.Offset))
	kind := "text"
	switch n.Kind {
	case unstable.Key:
		kind = "key"
	case unstable.Comment:
		kind = "comment"
	}
	key := ""
	if i := c.doc.EntryAt(line); i >= 0 && line <= c.doc.Entries[i].EndLine {
		key = c.doc.Entries[i].Key()
	}
	return Problem{Line: line, Key: key, Msg: fmt.Sprintf("the %s "+bsnFix, kind, c.noun())}
}
