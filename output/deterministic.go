package output

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Names of the two package parts that Deterministic puts first.
const (
	contentTypesPart = "[Content_Types].xml"
	packageRelsPart  = "_rels/.rels"
)

// zipEpoch is the earliest time an MS-DOS zip timestamp can hold.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// epochExtra is the extended timestamp (Info-ZIP's "UT" extra field: its
// ID, 5 bytes, a flag for the modification time, the time in Unix
// seconds) of the zip epoch, which zip.Writer.CreateHeader adds.
var epochExtra = binary.LittleEndian.AppendUint32([]byte{0x55, 0x54, 5, 0, 1}, uint32(zipEpoch.Unix()))

// Deterministic rewrites an xlsx package (an OPC zip file, as excelize
// writes it) so that the same workbook always gives the same bytes.
//
// excelize v2.11 is not byte-deterministic: it writes the zip entries of
// streamed sheets in map order, and the <Default> elements of
// [Content_Types].xml (the image extensions) in map order. Measured over
// many runs of workbooks with several streamed sheets, tables and charts,
// those were the only differences: every other part was byte-identical.
//
// Deterministic therefore changes only what has no meaning:
//   - the entries are written in a canonical order: [Content_Types].xml
//     first, _rels/.rels second (the order Excel itself uses), then the other
//     parts sorted by name; OPC gives the order of zip entries no meaning
//     (LibreOffice and excelize read the result, see the tests);
//   - every entry gets the same modification time, 1980-01-01 00:00:00 UTC
//     (the zip epoch), and is compressed with Deflate;
//   - in [Content_Types].xml the <Default> elements are sorted by Extension
//     and come first, then the <Override> elements sorted by PartName (their
//     order has no meaning either); the elements themselves, and every other
//     part, are copied byte for byte.
//
// The workbook is compressed once: an entry that is already compressed
// with Deflate (as excelize writes every part) is copied as it is, its
// compressed bytes and checksum unread; only [Content_Types].xml, and an
// entry stored otherwise, is decompressed and compressed again. Deflate
// gives the same bytes for the same content, so the output is a fixed
// point: passing it through Deterministic again gives the same bytes. The
// compressed bytes depend on the Go version's compress/flate, so identical
// bytes are promised for one build of the tool. Deterministic returns an
// error when xlsx is not a zip file, has duplicate entries, or lacks a
// well-formed [Content_Types].xml.
func Deterministic(xlsx []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		return nil, fmt.Errorf("not an xlsx package: %w", err)
	}
	files := slices.Clone(zr.File)
	slices.SortStableFunc(files, func(a, b *zip.File) int { return comparePartNames(a.Name, b.Name) })
	for i := 1; i < len(files); i++ {
		if files[i].Name == files[i-1].Name {
			return nil, fmt.Errorf("not a valid xlsx package: entry %q occurs twice", files[i].Name)
		}
	}
	if len(files) == 0 || files[0].Name != contentTypesPart {
		return nil, fmt.Errorf("not an xlsx package: no %s", contentTypesPart)
	}

	var out bytes.Buffer
	out.Grow(len(xlsx))
	zw := zip.NewWriter(&out)
	for _, f := range files {
		if err := copyEntry(zw, f); err != nil {
			return nil, fmt.Errorf("xlsx package entry %q: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// copyEntry writes f to zw at the zip epoch, compressed with Deflate:
// [Content_Types].xml with its elements sorted, any other Deflate entry
// as its compressed bytes, any other entry decompressed and compressed.
func copyEntry(zw *zip.Writer, f *zip.File) error {
	if f.Name != contentTypesPart && f.Method == zip.Deflate {
		raw, err := f.OpenRaw()
		if err != nil {
			return err
		}
		// CreateRaw writes the header as given: the zip epoch and the
		// version (2.0) as CreateHeader writes them (MS-DOS date and time,
		// and the extended timestamp).
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: f.CRC32,
			CompressedSize64: f.CompressedSize64, UncompressedSize64: f.UncompressedSize64,
			ModifiedDate: 1<<5 | 1, Extra: epochExtra, CreatorVersion: 20, ReaderVersion: 20})
		if err != nil {
			return err
		}
		_, err = io.Copy(w, raw)
		return err
	}
	b, err := readEntry(f)
	if err != nil {
		return err
	}
	if f.Name == contentTypesPart {
		if b, err = sortContentTypes(b); err != nil {
			return err
		}
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: zipEpoch})
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// comparePartNames orders zip entries: [Content_Types].xml, _rels/.rels,
// then the rest by name (bytewise, so the order does not depend on a locale).
func comparePartNames(a, b string) int {
	rank := func(n string) int {
		switch n {
		case contentTypesPart:
			return 0
		case packageRelsPart:
			return 1
		}
		return 2
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
}

// ctElement is one child element of <Types>, kept as its raw bytes.
type ctElement struct {
	kind string // "Default", "Override" or another element name
	key  string // lower-cased Extension or PartName (case-insensitive in OPC)
	raw  []byte
}

// sortContentTypes returns [Content_Types].xml with the children of the
// <Types> root in canonical order: the <Default> elements sorted by
// Extension, then the <Override> elements sorted by PartName, then any
// other element in its original order. Each element is copied byte for
// byte; the text before and after the children (the XML declaration and the
// <Types> tags) is kept; whitespace and comments between the children are
// dropped, as they have no meaning there.
func sortContentTypes(ct []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(ct))
	var (
		elems              []ctElement
		bodyStart, bodyEnd int64 = -1, -1 // end of <Types ...>, start of </Types>
		depth              int
		start              int64 // where the current child began
		current            ctElement
		seenTypes, end     bool
	)
	for !end {
		before := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				if seenTypes || t.Name.Local != "Types" {
					return nil, fmt.Errorf("root element is <%s>, want one <Types>", t.Name.Local)
				}
				seenTypes, bodyStart = true, d.InputOffset()
			case 2:
				start, current = before, ctElement{kind: t.Name.Local}
				for _, a := range t.Attr {
					if (current.kind == "Default" && a.Name.Local == "Extension") ||
						(current.kind == "Override" && a.Name.Local == "PartName") {
						current.key = strings.ToLower(a.Value)
					}
				}
			}
		case xml.EndElement:
			switch depth {
			case 1:
				bodyEnd, end = before, true
			case 2:
				current.raw = ct[start:d.InputOffset()]
				elems = append(elems, current)
			}
			depth--
		}
	}
	if !seenTypes || bodyEnd < 0 {
		return nil, errors.New("no complete <Types> element")
	}
	kindRank := func(k string) int {
		switch k {
		case "Default":
			return 0
		case "Override":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(elems, func(a, b ctElement) int {
		ra, rb := kindRank(a.kind), kindRank(b.kind)
		if ra != rb || ra == 2 {
			return cmp.Compare(ra, rb) // other elements keep their order
		}
		return cmp.Or(strings.Compare(a.key, b.key), bytes.Compare(a.raw, b.raw))
	})
	out := make([]byte, 0, len(ct))
	out = append(out, ct[:bodyStart]...)
	for _, e := range elems {
		out = append(out, e.raw...)
	}
	return append(out, ct[bodyEnd:]...), nil
}
