package scenario

import (
	"bytes"
	"reflect"
	"strings"

	"raming/internal/strictoml"
)

// merge returns the text of the scenario that the derived text derives
// from the base, with the key prefixes in remove left out, and where each
// of its lines was written. The rules are in derive.go. It works on whole lines:
// every table header and key-value of both texts, with the comments and
// blank lines before it (its lead). Its time is linear in the texts.
func (m *merger) merge(remove []string) ([]byte, []lineOrigin) {
	for _, k := range remove {
		m.drop(strings.Split(k, "."))
	}
	for i := range m.d.items {
		if m.d.items[i].entry.Kind == strictoml.KeyValue && len(m.d.items[i].entry.Path) == 1 {
			switch m.d.items[i].entry.Path[0] {
			case "base", "remove":
				continue
			}
		}
		m.place(i)
	}
	return m.emit()
}

// text is a text cut into its items.
type text struct {
	lines   [][]byte     // each with its line end
	origins []lineOrigin // where each line was written
	head    span         // the comments and blank lines before the first item
	items   []item
	tail    span // the comments and blank lines after the last item
}

// span is lines [from, to) of a text, 0-based.
type span struct{ from, to int }

// item is one table header or key-value with its lead.
type item struct {
	entry strictoml.Entry
	lead  span
	lines span
	group int // the index of the header of its table; -1 for the root
}

// cut cuts a document into items.
func cut(doc *strictoml.Doc, origins []lineOrigin) *text {
	t := &text{origins: origins}
	for rest := doc.Text; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			t.lines = append(t.lines, rest)
			break
		}
		t.lines, rest = append(t.lines, rest[:i+1]), rest[i+1:]
	}
	prev, group := 0, -1
	for _, e := range doc.Entries {
		if e.Kind != strictoml.KeyValue {
			group = len(t.items)
		}
		it := item{entry: e, lead: span{prev, e.Line - 1}, lines: span{e.Line - 1, e.EndLine}, group: group}
		if len(t.items) == 0 {
			t.head, it.lead = it.lead, span{prev, prev}
		}
		t.items = append(t.items, it)
		prev = e.EndLine
	}
	t.tail = span{prev, len(t.lines)}
	if len(t.items) == 0 {
		t.head, t.tail = t.tail, span{len(t.lines), len(t.lines)}
	}
	return t
}

// piece is a run of lines of one of the two texts in the result.
type piece struct {
	t    *text
	span span
}

// placed is a derived item in the result, with the lead it is written with.
type placed struct {
	lead piece
	item int // index in the derived text
}

// merger merges a derived text into its base.
type merger struct {
	b, d    *text
	dropped []bool           // per base item
	before  [][]placed       // derived items written before base item i (i = len: at the end)
	appends map[int][]placed // derived key-values written at the end of the table of base header i (-1: the root)
	lead    map[int]piece    // a base item's lead replaced by the derived file's
	prefix  map[string][]int // the base items under each key prefix
	section map[string]int   // the last base header of each first key part
	headers map[string]int   // the base header of each table
	claimed map[string]bool  // whole values the derived file has taken
	dgroup  map[int]int      // for a derived header: its base header (-2: none)
	next    []int            // per base item, the next base header after it (or the end)
	last    *[]placed        // the list the previous derived item went to
	lastSec string           // and its first key part
}

// newMerger prepares to merge d, read from origin, into base.
func newMerger(base *resolved, d *strictoml.Doc, origin string) *merger {
	dOrigins := make([]lineOrigin, d.Lines())
	for i := range dOrigins {
		dOrigins[i] = lineOrigin{file: origin, line: i + 1}
	}
	m := &merger{
		b: cut(base.doc, base.lineOrigins()), d: cut(d, dOrigins),
		appends: map[int][]placed{}, lead: map[int]piece{}, prefix: map[string][]int{},
		section: map[string]int{}, headers: map[string]int{}, claimed: map[string]bool{}, dgroup: map[int]int{},
	}
	m.dropped = make([]bool, len(m.b.items))
	m.next = make([]int, len(m.b.items))
	for i, end := len(m.b.items)-1, len(m.b.items); i >= 0; i-- {
		m.next[i] = end
		if m.b.items[i].entry.Kind != strictoml.KeyValue {
			end = i
		}
	}
	m.before = make([][]placed, len(m.b.items)+1)
	for i, it := range m.b.items {
		p := it.entry.Path
		key := ""
		for j, part := range p {
			if j > 0 {
				key += "."
			}
			key += part
			m.prefix[key] = append(m.prefix[key], i)
		}
		if it.entry.Kind != strictoml.KeyValue {
			m.headers[key] = i
			m.section[p[0]] = i
		}
	}
	return m
}

// drop leaves out the base items under the key prefix path, and returns
// the first of them (-1 for none).
func (m *merger) drop(path []string) int {
	first := -1
	for _, i := range m.prefix[strings.Join(path, ".")] {
		if !m.dropped[i] {
			m.dropped[i] = true
			if first < 0 {
				first = i
			}
		}
	}
	return first
}

// wholeTypes are the tables a derived file replaces as a whole.
var wholeTypes = map[reflect.Type]bool{
	reflect.TypeOf(Assumption{}):     true,
	reflect.TypeOf(DateAssumption{}): true,
	reflect.TypeOf(Rounding{}):       true,
	reflect.TypeOf(DeckTotal{}):      true,
	reflect.TypeOf(DeckCase{}):       true,
	reflect.TypeOf(Uncertainty{}):    true,
}

// whole returns how many parts of path lead to the value it replaces as a
// whole (an assumption, a list, a single value), or 0 for a table merged
// key by key.
func whole(path []string) int {
	for n := 1; n <= len(path); n++ {
		t, ok := strictoml.FieldType(schema.Type, path[:n])
		if !ok || wholeTypes[t] || !strictoml.IsTable(t) {
			return n // (a key the scenario does not have is reported on the resolved text)
		}
	}
	return 0
}

// place writes derived item i into the result.
func (m *merger) place(i int) {
	it := m.d.items[i]
	path := it.entry.Path
	anchor := -1
	if n := whole(path); n > 0 {
		key := strings.Join(path[:n], ".")
		if !m.claimed[key] {
			m.claimed[key] = true
			anchor = m.drop(path[:n])
		}
	}
	p := placed{lead: piece{m.d, it.lead}, item: i}
	if it.entry.Kind == strictoml.KeyValue {
		m.placeKeyValue(i, p, anchor)
		return
	}
	if h, ok := m.headers[it.entry.Key()]; ok && !m.dropped[h] {
		// A table of the base merged key by key: its header stays.
		m.dgroup[i] = h
		if hasComment(m.d.lines[it.lead.from:it.lead.to]) {
			m.lead[h] = p.lead
		}
		m.last, m.lastSec = &m.before[m.end(h)], path[0]
		return
	}
	m.dgroup[i] = -2
	at := -1
	switch {
	case anchor >= 0:
		at = m.boundary(anchor)
		if !hasComment(m.d.lines[it.lead.from:it.lead.to]) {
			p.lead = piece{m.b, m.b.items[anchor].lead}
		}
	case m.last != nil && m.lastSec == path[0]:
	default:
		if s, ok := m.section[path[0]]; ok {
			at = m.end(s)
		} else {
			at = len(m.b.items)
		}
	}
	if at >= 0 {
		m.last = &m.before[at]
	}
	*m.last = append(*m.last, p)
	m.lastSec = path[0]
}

// placeKeyValue writes derived key-value i: in place of the base's value it
// replaces when that stood in the same table, else at the end of its table.
func (m *merger) placeKeyValue(i int, p placed, anchor int) {
	it := m.d.items[i]
	h := -1 // the base header of its table
	if it.group >= 0 {
		h = m.dgroup[it.group]
	}
	switch {
	case h == -2: // a table new in the base: after its header
		*m.last = append(*m.last, p)
	case anchor >= 0 && m.b.items[anchor].entry.Kind == strictoml.KeyValue && m.b.items[anchor].group == h:
		if !hasComment(m.d.lines[it.lead.from:it.lead.to]) {
			p.lead = piece{m.b, m.b.items[anchor].lead}
		}
		m.before[anchor] = append(m.before[anchor], p)
	default:
		m.appends[h] = append(m.appends[h], p)
	}
	if len(it.entry.Path) > 0 {
		m.lastSec = it.entry.Path[0]
	}
}

// end returns the base item after the table of header h: the next header,
// or the end.
func (m *merger) end(h int) int { return m.next[h] }

// has reports whether the base has the key k, or keys under it.
func (m *merger) has(k string) bool { return len(m.prefix[k]) > 0 }

// boundary returns the first base header at or after item i, or the end:
// where a table can be written.
func (m *merger) boundary(i int) int {
	if m.b.items[i].entry.Kind != strictoml.KeyValue {
		return i
	}
	return m.end(i)
}

// emit writes the result and where each of its lines was written.
func (m *merger) emit() ([]byte, []lineOrigin) {
	var out []byte
	var origins []lineOrigin
	write := func(p piece) {
		for l := p.span.from; l < p.span.to; l++ {
			line := p.t.lines[l]
			out = append(out, line...)
			if !bytes.HasSuffix(line, []byte("\n")) {
				out = append(out, '\n')
			}
			origins = append(origins, p.t.origins[l])
		}
	}
	writeDerived := func(ps []placed) {
		for _, p := range ps {
			write(p.lead)
			write(piece{m.d, m.d.items[p.item].lines})
		}
	}
	head := piece{m.b, m.b.head}
	if hasComment(m.d.lines[m.d.head.from:m.d.head.to]) {
		head = piece{m.d, m.d.head}
	}
	write(head)
	group := -1
	for i := 0; i <= len(m.b.items); i++ {
		if i == len(m.b.items) || m.b.items[i].entry.Kind != strictoml.KeyValue {
			writeDerived(m.appends[group]) // the end of the table before
			if i < len(m.b.items) {
				group = i
			}
		}
		writeDerived(m.before[i])
		if i == len(m.b.items) || m.dropped[i] {
			continue
		}
		it := m.b.items[i]
		lead := piece{m.b, it.lead}
		if l, ok := m.lead[i]; ok {
			lead = l
		}
		write(lead)
		write(piece{m.b, it.lines})
	}
	write(piece{m.b, m.b.tail})
	return out, origins
}
