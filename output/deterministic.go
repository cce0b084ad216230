package output

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"runtime"
	"slices"
	"strings"
	"time"

	"raming/internal/goroutine"
)

// Names of the two package parts that deterministic puts first.
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

// writePackage writes the parts of an xlsx package as a zip file that is
// the same bytes for the same parts.
//
// excelize v2.11 is not byte-deterministic: it writes the zip entries of
// streamed sheets in map order, and the <Default> elements of
// [Content_Types].xml (the image extensions) in map order. Measured over
// many runs of workbooks with several streamed sheets, tables and charts,
// those were the only differences: every other part was byte-identical.
//
// writePackage therefore fixes only what has no meaning:
//   - the entries are written in a canonical order: [Content_Types].xml
//     first, _rels/.rels second (the order Excel itself uses), then the other
//     parts sorted by name; OPC gives the order of zip entries no meaning
//     (LibreOffice and excelize read the result, see the tests);
//   - every entry gets the same modification time, 1980-01-01 00:00:00 UTC
//     (the zip epoch), and is compressed with Deflate at archive/zip's
//     level, the parts side by side;
//   - in [Content_Types].xml the <Default> elements are sorted by Extension
//     and come first, then the <Override> elements sorted by PartName (their
//     order has no meaning either); the elements themselves, and every other
//     part, are copied byte for byte.
//
// Deflate gives the same bytes for the same content, so writing a package
// it wrote again gives the same bytes. The compressed bytes depend on the
// Go version's compress/flate, so identical bytes are promised for one
// build of the tool.
func writePackage(w io.Writer, parts map[string][]byte) error {
	ct, ok := parts[contentTypesPart]
	if !ok {
		return fmt.Errorf("not an xlsx package: no %s", contentTypesPart)
	}
	ct, err := sortContentTypes(ct)
	if err != nil {
		return fmt.Errorf("xlsx package entry %q: %w", contentTypesPart, err)
	}
	names := slices.SortedFunc(maps.Keys(parts), comparePartNames)
	entries := make([]deflated, len(names))
	workers := runtime.GOMAXPROCS(0)
	compressors := make([]*flate.Writer, workers) // one per worker, reused (a compressor is ~1 MB)
	goroutine.Parallel(workers, len(names), func(w, i int) {
		if compressors[w] == nil {
			compressors[w], _ = flate.NewWriter(nil, zipLevel) // errs only for a level out of range
		}
		b := parts[names[i]]
		if names[i] == contentTypesPart {
			b = ct
		}
		entries[i] = deflate(compressors[w], b)
	})
	zw := zip.NewWriter(w)
	for i, name := range names {
		e := entries[i]
		if e.err != nil {
			return fmt.Errorf("xlsx package entry %q: %w", name, e.err)
		}
		// CreateRaw writes the header as given: the zip epoch and the
		// version (2.0) as CreateHeader writes them (MS-DOS date and time,
		// and the extended timestamp). It does not convert Modified, so
		// the MS-DOS date is given as such.
		fw, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: e.crc,
			CompressedSize64: uint64(len(e.data)), UncompressedSize64: e.size,
			//lint:ignore SA1019 CreateRaw takes the MS-DOS date only in ModifiedDate
			ModifiedDate: 1<<5 | 1, Extra: epochExtra, CreatorVersion: 20, ReaderVersion: 20})
		if err != nil {
			return err
		}
		if _, err := fw.Write(e.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// deflated is a part compressed for its zip entry.
type deflated struct {
	data []byte
	crc  uint32
	size uint64
	err  error
}

// zipLevel is the Deflate level archive/zip compresses with.
const zipLevel = 5

// deflate compresses b with fw.
func deflate(fw *flate.Writer, b []byte) deflated {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	fw.Reset(&buf)
	_, err := fw.Write(b)
	if err == nil {
		err = fw.Close()
	}
	return deflated{data: buf.Bytes(), crc: crc32.ChecksumIEEE(b), size: uint64(len(b)), err: err}
}

// packageParts collects the parts of a package as excelize writes them
// (an excelize.ZipWriter), uncompressed, for writePackage.
type packageParts map[string]*bytes.Buffer

// Create starts a part; a part written twice is an error.
func (p packageParts) Create(name string) (io.Writer, error) {
	if _, dup := p[name]; dup {
		return nil, fmt.Errorf("xlsx package entry %q written twice", name)
	}
	b := new(bytes.Buffer)
	p[name] = b
	return b, nil
}

// AddFS is not used by this tool's workbooks.
func (p packageParts) AddFS(fs.FS) error {
	return errors.New("adding files from a file system to a workbook is not supported")
}

// Close has nothing to flush.
func (p packageParts) Close() error { return nil }

// bytes returns the parts' contents by name.
func (p packageParts) bytes() map[string][]byte {
	m := make(map[string][]byte, len(p))
	for name, b := range p {
		m[name] = b.Bytes()
	}
	return m
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
