package output

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"time"
)

// Deterministic rewrites an xlsx package so that the same workbook always
// gives the same bytes. excelize writes some parts in map order: the
// <Default> and <Override> elements of [Content_Types].xml, and the order
// of the package's parts. The rewrite puts [Content_Types].xml first and
// _rels/.rels second, the other parts sorted by name, sorts those elements,
// and gives every entry the same time and compression.
func Deterministic(xlsx []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		return nil, fmt.Errorf("not an xlsx package: %w", err)
	}
	parts := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		parts[f.Name] = b
		names = append(names, f.Name)
	}
	if ct, ok := parts["[Content_Types].xml"]; ok {
		parts["[Content_Types].xml"] = sortElements(ct)
	}
	rank := func(n string) int {
		switch n {
		case "[Content_Types].xml":
			return 0
		case "_rels/.rels":
			return 1
		}
		return 2
	}
	slices.SortFunc(names, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return bytes.Compare([]byte(a), []byte(b))
	})
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	epoch := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: epoch})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(parts[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var (
	defaultElement  = regexp.MustCompile(`<Default [^>]*?(/>|></Default>)`)
	overrideElement = regexp.MustCompile(`<Override [^>]*?(/>|></Override>)`)
)

// sortElements sorts the <Default> and <Override> elements of
// [Content_Types].xml (their order has no meaning) and keeps the rest.
func sortElements(ct []byte) []byte {
	defaults := defaultElement.FindAll(ct, -1)
	overrides := overrideElement.FindAll(ct, -1)
	if len(defaults)+len(overrides) == 0 {
		return ct
	}
	first := len(ct)
	for _, re := range []*regexp.Regexp{defaultElement, overrideElement} {
		if loc := re.FindIndex(ct); loc != nil && loc[0] < first {
			first = loc[0]
		}
	}
	rest := overrideElement.ReplaceAll(defaultElement.ReplaceAll(ct[first:], nil), nil)
	slices.SortFunc(defaults, bytes.Compare)
	slices.SortFunc(overrides, bytes.Compare)
	out := slices.Clone(ct[:first])
	out = append(out, bytes.Join(defaults, nil)...)
	out = append(out, bytes.Join(overrides, nil)...)
	return append(out, rest...)
}
