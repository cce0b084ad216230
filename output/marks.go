package output

import (
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A figure the tool computed for the run's assumptions is a value, not a
// formula, in a marked style (toolCell): it follows no edit. A formula
// that adds up or copies such a figure follows no edit either, so it is
// marked too: after a sheet is built, markDependents marks every formula
// cell that refers to a marked cell, on its own sheet or on one built
// before it, until nothing changes. So a sum, a copy on the overview or a
// year's share of a marked figure never looks live.

// cellRef finds the cell references of a formula (string literals taken
// out first): an optional sheet ('Name'! or Name!), a cell, and an
// optional second cell of a range; the character before it must not be
// part of a name, nor the one after it (a defined name such as
// grootheid_A1 is not a cell).
var cellRef = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.'!])((?:'(?:[^']|'')+'|[A-Za-z0-9_]+)!)?\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?(?:$|[^A-Za-z0-9_(])`)

// stringLiteral is an Excel string literal.
var stringLiteral = regexp.MustCompile(`"(?:[^"]|"")*"`)

// markDependents marks the formula cells of s that refer to a marked cell
// (marked holds the marked cells of the sheets built before, by sheet and
// cell name, and gets s's).
func (wb *workbook) markDependents(s *sheet, marked map[string]map[string]bool) {
	tool := map[int]bool{wb.styles[styleToolR]: true}
	for _, id := range wb.toolStyles {
		tool[id] = true
	}
	own := map[string]bool{}
	marked[s.name] = own
	for i, r := range s.rows {
		for j, v := range r {
			if c, ok := v.(excelize.Cell); ok && tool[c.StyleID] {
				own[cellName(j+1, i+1)] = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for i, r := range s.rows {
			for j, v := range r {
				c, ok := v.(excelize.Cell)
				name := cellName(j+1, i+1)
				if !ok || c.Formula == "" || own[name] || !wb.refersToMarked(s.name, c.Formula, marked) {
					continue
				}
				r[j] = wb.markTool(c)
				own[name], changed = true, true
			}
		}
	}
}

// refersToMarked reports whether formula f, on sheet, refers to a marked cell.
func (wb *workbook) refersToMarked(sheet, f string, marked map[string]map[string]bool) bool {
	f = stringLiteral.ReplaceAllString(f, `""`)
	for pos := 0; pos < len(f); {
		ix := cellRef.FindStringSubmatchIndex(f[pos:])
		if ix == nil {
			break
		}
		m := make([]string, 6)
		for k := range m {
			if ix[2*k] >= 0 {
				m[k] = f[pos+ix[2*k] : pos+ix[2*k+1]]
			}
		}
		// Go on right after the reference: the character the match took
		// after it may begin the next one (B52+B53).
		pos += max(ix[7], ix[11])
		on := sheet
		if m[1] != "" {
			on = strings.ReplaceAll(strings.Trim(strings.TrimSuffix(m[1], "!"), "'"), "''", "'")
		}
		cells := marked[on]
		if len(cells) == 0 {
			continue
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(m[2] + m[3])
		c2, r2 := c1, r1
		var err2 error
		if m[4] != "" {
			c2, r2, err2 = excelize.CellNameToCoordinates(m[4] + m[5])
		}
		if err1 != nil || err2 != nil {
			continue
		}
		for c := min(c1, c2); c <= max(c1, c2); c++ {
			for r := min(r1, r2); r <= max(r1, r2); r++ {
				if cells[cellName(c, r)] {
					return true
				}
			}
		}
	}
	return false
}
