package scenario

import (
	"strconv"
	"strings"
)

// indexLines maps each dotted TOML key of the file (array tables numbered
// from 0: "A.cases.1.lump_sum.value") to its 1-based line. It reads the
// plain layout that scenario files use (tables, arrays of tables, key = value,
// inline tables); a key it cannot place is reported without a line.
func indexLines(b []byte) map[string]int {
	idx := map[string]int{}
	counts := map[string]int{}
	table := ""
	for i, raw := range strings.Split(string(b), "\n") {
		line := strings.TrimSpace(raw)
		n := i + 1
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[["):
			name := normKey(strings.TrimSuffix(strings.TrimPrefix(cutComment(line), "[["), "]]"))
			name = numbered(name, counts)
			table = name + "." + strconv.Itoa(counts[name])
			counts[name]++
			idx[table] = n
		case strings.HasPrefix(line, "["):
			table = numbered(normKey(strings.TrimSuffix(strings.TrimPrefix(cutComment(line), "["), "]")), counts)
			if _, ok := idx[table]; !ok {
				idx[table] = n
			}
		default:
			k, _, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			key := join(table, normKey(k))
			idx[key] = n
		}
	}
	return idx
}

// numbered rewrites a table name whose prefix is an array of tables so that it
// refers to the array's last element: "A.cases.lump_sum" -> "A.cases.0.lump_sum".
func numbered(name string, counts map[string]int) string {
	parts := strings.Split(name, ".")
	var out []string
	for i, p := range parts {
		out = append(out, p)
		prefix := strings.Join(parts[:i+1], ".")
		if c, ok := counts[prefix]; ok && i < len(parts)-1 {
			out = append(out, strconv.Itoa(c-1))
		}
	}
	return strings.Join(out, ".")
}

func cutComment(s string) string {
	if i := strings.Index(s, "#"); i >= 0 && !strings.ContainsAny(s[:i], `"'`) {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func normKey(k string) string {
	parts := strings.Split(strings.TrimSpace(k), ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// locate fills in each problem's line from the index, falling back to the
// nearest enclosing key that has one.
func locate(ps []Problem, idx map[string]int) []Problem {
	for i := range ps {
		for k := ps[i].Key; k != ""; {
			if n, ok := idx[k]; ok {
				ps[i].Line = n
				break
			}
			j := strings.LastIndex(k, ".")
			if j < 0 {
				break
			}
			k = k[:j]
		}
	}
	return ps
}
