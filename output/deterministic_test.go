package output

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// detSheets are the sheets of detSample, all written with a StreamWriter.
var detSheets = []string{"Data", "Tweede", "Derde"}

// detSample builds, with excelize alone, a workbook with several streamed
// sheets, formulas with cached values and a bar chart, and returns the bytes
// excelize writes.
func detSample(t testing.TB) []byte {
	t.Helper()
	f := detFile(t)
	defer f.Close()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// detFile builds detSample's workbook.
func detFile(t testing.TB) *excelize.File {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", detSheets[0]); err != nil {
		t.Fatal(err)
	}
	for _, name := range detSheets[1:] {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
	}
	for si, name := range detSheets {
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetColWidth(1, 3, 14); err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A1", []any{"Post", "Bedrag", "Dubbel"}); err != nil {
			t.Fatal(err)
		}
		total := 0.0
		for r := 2; r <= 6; r++ {
			v := float64(1000*(si+1) + 125*r)
			total += v
			row := []any{fmt.Sprintf("post %d", r-1), v, excelize.Cell{Formula: fmt.Sprintf("B%d*2", r), Value: 2 * v}}
			if err := sw.SetRow(fmt.Sprintf("A%d", r), row); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.SetRow("A7", []any{"Totaal", excelize.Cell{Formula: "SUM(B2:B6)", Value: total}, excelize.Cell{Formula: "SUM(C2:C6)", Value: 2 * total}}); err != nil {
			t.Fatal(err)
		}
		if si == 0 { // charts before Flush (LIBRARIES.md)
			ref := func(col string) string { return fmt.Sprintf("%s!$%s$2:$%s$6", name, col, col) }
			if err := f.AddChart(name, "E2", &excelize.Chart{
				Type:   excelize.Bar,
				Series: []excelize.ChartSeries{{Name: name + "!$B$1", Categories: ref("A"), Values: ref("B")}},
				Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Bedragen"}}},
			}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// TestDeterministicIsByteIdentical: the same workbook, built 20 times and
// passed through deterministic, gives the same bytes every time.
//
// Without deterministic the bytes do differ. Measured with excelize v2.11.0
// and Go 1.26 on this sample (30 builds, and likewise on WriteWorkbook's
// deck and Monte Carlo workbooks and on one with four streamed sheets, a
// table and seven charts, also across processes): every build after the
// first differed from it, in two things only, both from map iteration in
// excelize: the order of the zip entries (streamed sheets come out in map
// order) and the order of the <Default> elements of [Content_Types].xml (the
// image extensions). Every part other than [Content_Types].xml was byte
// identical. The test logs how many raw builds differed.
func TestDeterministicIsByteIdentical(t *testing.T) {
	const runs = 20
	var firstRaw, first []byte
	rawDiffer := 0
	for i := range runs {
		raw := detSample(t)
		got, err := deterministic(raw)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			firstRaw, first = raw, got
			continue
		}
		if !bytes.Equal(raw, firstRaw) {
			rawDiffer++
		}
		if !bytes.Equal(got, first) {
			t.Fatalf("build %d: deterministic gave different bytes than build 1", i+1)
		}
	}
	t.Logf("without deterministic, %d of %d builds differed from the first", rawDiffer, runs-1)
	again, err := deterministic(first)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, first) {
		t.Error("deterministic is not idempotent: a second pass changed the bytes")
	}
}

// TestWorkbookIsByteIdentical: the same result writes the same bytes, run
// after run (WriteWorkbook passes the package through deterministic).
func TestWorkbookIsByteIdentical(t *testing.T) {
	for name, res := range map[string]func(testing.TB) []byte{
		"deck": func(t testing.TB) []byte {
			var buf bytes.Buffer
			if err := WriteWorkbook(&buf, estimate(t, "deck"), fixedProvenance, Options{}); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		},
		"deck-exact-montecarlo": func(t testing.TB) []byte {
			var buf bytes.Buffer
			if err := WriteWorkbook(&buf, simulated(t), fixedProvenance, Options{}); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		},
	} {
		t.Run(name, func(t *testing.T) {
			first := res(t)
			for i := 1; i < 20; i++ {
				if !bytes.Equal(res(t), first) {
					t.Fatalf("run %d wrote different bytes", i+1)
				}
			}
		})
	}
}

// zipParts returns the entries of a zip file in order, and their contents.
func zipParts(t *testing.T, b []byte) ([]*zip.File, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		c, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = c
	}
	return zr.File, parts
}

// contentTypes is [Content_Types].xml, decoded independently of
// deterministic's own byte-level handling.
type contentTypes struct {
	Defaults []struct {
		Extension   string `xml:",attr"`
		ContentType string `xml:",attr"`
	} `xml:"Default"`
	Overrides []struct {
		PartName    string `xml:",attr"`
		ContentType string `xml:",attr"`
	} `xml:"Override"`
}

func decodeContentTypes(t *testing.T, b []byte) (defaults, overrides []string) {
	t.Helper()
	var ct contentTypes
	if err := xml.Unmarshal(b, &ct); err != nil {
		t.Fatal(err)
	}
	for _, d := range ct.Defaults {
		defaults = append(defaults, d.Extension+" "+d.ContentType)
	}
	for _, o := range ct.Overrides {
		overrides = append(overrides, o.PartName+" "+o.ContentType)
	}
	return defaults, overrides
}

// TestDeterministicKeepsContent: deterministic changes only the order of
// the entries and of the [Content_Types].xml elements, the entry times and
// the compression; the workbook reads back with the same cells.
func TestDeterministicKeepsContent(t *testing.T) {
	raw := detSample(t)
	det, err := deterministic(raw)
	if err != nil {
		t.Fatal(err)
	}

	rawFiles, rawParts := zipParts(t, raw)
	detFiles, detParts := zipParts(t, det)
	if len(detFiles) != len(rawFiles) {
		t.Fatalf("%d entries, want %d", len(detFiles), len(rawFiles))
	}
	var names []string
	for i, f := range detFiles {
		names = append(names, f.Name)
		if f.Method != zip.Deflate {
			t.Errorf("%s: compression method %d, want Deflate", f.Name, f.Method)
		}
		if !f.Modified.Equal(zipEpoch) || f.ModifiedDate != 1<<5|1 || f.ModifiedTime != 0 {
			t.Errorf("%s: modified %v (DOS %#x %#x), want 1980-01-01 00:00:00", f.Name, f.Modified, f.ModifiedDate, f.ModifiedTime)
		}
		if i > 2 && names[i-1] >= f.Name {
			t.Errorf("entry %q comes after %q, want them sorted by name", f.Name, names[i-1])
		}
	}
	if len(names) < 3 || names[0] != "[Content_Types].xml" || names[1] != "_rels/.rels" {
		t.Errorf("entries begin %q, want [Content_Types].xml, _rels/.rels", names[:min(len(names), 3)])
	}
	if !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "xl/charts/chart") }) {
		t.Errorf("no chart part among %q", names)
	}
	for name, c := range rawParts {
		if name == "[Content_Types].xml" {
			continue
		}
		if !bytes.Equal(detParts[name], c) {
			t.Errorf("part %s changed", name)
		}
	}

	rawDefaults, rawOverrides := decodeContentTypes(t, rawParts["[Content_Types].xml"])
	detDefaults, detOverrides := decodeContentTypes(t, detParts["[Content_Types].xml"])
	if !slices.IsSorted(detDefaults) || !slices.IsSorted(detOverrides) {
		t.Errorf("[Content_Types].xml elements not sorted:\n%q\n%q", detDefaults, detOverrides)
	}
	slices.Sort(rawDefaults)
	slices.Sort(rawOverrides)
	if !slices.Equal(detDefaults, rawDefaults) || !slices.Equal(detOverrides, rawOverrides) {
		t.Errorf("[Content_Types].xml elements changed:\n got  %q %q\n want %q %q", detDefaults, detOverrides, rawDefaults, rawOverrides)
	}

	cells := func(b []byte) map[string]string {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); !slices.Equal(got, detSheets) {
			t.Errorf("sheets %q, want %q", got, detSheets)
		}
		m := map[string]string{}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					formula, err := f.GetCellFormula(sheet, cell)
					if err != nil {
						t.Fatal(err)
					}
					m[sheet+"!"+cell] = v + " | " + formula
				}
			}
		}
		return m
	}
	want, got := cells(raw), cells(det)
	if len(got) != 3*7*3 {
		t.Errorf("read %d cells, want %d", len(got), 3*7*3)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q after deterministic, %q before", k, got[k], v)
		}
	}
	for k, v := range map[string]string{"Data!C2": "2500 | B2*2", "Tweede!B7": "12500 | SUM(B2:B6)", "Derde!A1": "Post | "} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// TestDeterministicOpensInLibreOffice: LibreOffice opens the rewritten
// package and computes the values cached in it.
func TestDeterministicOpensInLibreOffice(t *testing.T) {
	det, err := deterministic(detSample(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "deterministic.xlsx")
	if err := os.WriteFile(path, det, 0o644); err != nil {
		t.Fatal(err)
	}
	lo := recalcInLibreOffice(t, path)
	if len(lo) != 3*7 {
		t.Fatalf("LibreOffice found %d formula cells, want %d", len(lo), 3*7)
	}
	f, err := excelize.OpenReader(bytes.NewReader(det))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range lo {
		cached, err := f.GetCellValue(c.Sheet, c.Cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(cached, 64)
		if err != nil || c.Error != 0 || math.Abs(v-c.Value) > 1e-9 {
			t.Errorf("%s!%s %s: LibreOffice %v (error %d), cached %q", c.Sheet, c.Cell, c.Formula, c.Value, c.Error, cached)
		}
	}
}

// zipOf builds a zip file of the given entries, in order.
func zipOf(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministicRefusesBadInput(t *testing.T) {
	sample := detSample(t)
	const types = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`
	for name, in := range map[string][]byte{
		"not a zip":      []byte("not a zip"),
		"empty":          nil,
		"truncated":      sample[:len(sample)/2],
		"no types":       zipOf(t, [2]string{"xl/workbook.xml", "<workbook/>"}),
		"duplicate":      zipOf(t, [2]string{"[Content_Types].xml", types}, [2]string{"a.xml", "<a/>"}, [2]string{"a.xml", "<b/>"}),
		"malformed":      zipOf(t, [2]string{"[Content_Types].xml", `<Types><Default Extension="xml"`}),
		"wrong root":     zipOf(t, [2]string{"[Content_Types].xml", `<Typos/>`}),
		"unclosed types": zipOf(t, [2]string{"[Content_Types].xml", `<Types><Default Extension="xml"/>`}),
	} {
		if _, err := deterministic(in); err == nil {
			t.Errorf("%s: got no error", name)
		}
	}
	if _, err := deterministic(zipOf(t, [2]string{"[Content_Types].xml", types})); err != nil {
		t.Errorf("minimal package: %v", err)
	}
}

// TestSortContentTypes: the children of <Types> are sorted (Defaults by
// Extension, then Overrides by PartName, case-insensitively), each copied
// as it was; the declaration and the root tags are kept.
func TestSortContentTypes(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` + "\n" +
		`  <Override PartName="/xl/workbook.xml" ContentType="w"/>` + "\n" +
		`  <Default ContentType="image/png" Extension="png"></Default>` + "\n" +
		`  <!-- a comment -->` + "\n" +
		`  <Override PartName="/docProps/App.xml" ContentType="a"/>` + "\n" +
		`  <Default Extension="XML" ContentType="application/xml"/>` + "\n" +
		`  <Default Extension="rels" ContentType="r"/>` + "\n" +
		`</Types>` + "\n"
	want := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default ContentType="image/png" Extension="png"></Default>` +
		`<Default Extension="rels" ContentType="r"/>` +
		`<Default Extension="XML" ContentType="application/xml"/>` +
		`<Override PartName="/docProps/App.xml" ContentType="a"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="w"/>` +
		`</Types>` + "\n"
	got, err := sortContentTypes([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestComparePartNames: [Content_Types].xml and _rels/.rels come first even
// where a name sorts before them bytewise.
func TestComparePartNames(t *testing.T) {
	names := []string{"xl/workbook.xml", "_rels/.rels", "Zeta.xml", "[Content_Types].xml", "docProps/app.xml", "A/b.xml"}
	slices.SortFunc(names, comparePartNames)
	want := []string{"[Content_Types].xml", "_rels/.rels", "A/b.xml", "Zeta.xml", "docProps/app.xml", "xl/workbook.xml"}
	if !slices.Equal(names, want) {
		t.Errorf("got %q, want %q", names, want)
	}
}

// TestWorkbookAsThroughAZip: a workbook handed over part by part
// (writeDeterministic) is the same bytes as excelize's zip passed through
// deterministic, and every part is compressed as archive/zip compresses it.
func TestWorkbookAsThroughAZip(t *testing.T) {
	raw := detSample(t)
	viaZip, err := deterministic(raw)
	if err != nil {
		t.Fatal(err)
	}
	f := detFile(t)
	defer f.Close()
	var direct bytes.Buffer
	if err := writeDeterministic(&direct, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(direct.Bytes(), viaZip) {
		t.Fatal("writeDeterministic and deterministic of excelize's zip give different bytes")
	}
	compressed := func(b []byte) map[string][]byte {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string][]byte{}
		for _, f := range zr.File {
			r, err := f.OpenRaw()
			if err != nil {
				t.Fatal(err)
			}
			if m[f.Name], err = io.ReadAll(r); err != nil {
				t.Fatal(err)
			}
		}
		return m
	}
	before, after := compressed(raw), compressed(viaZip)
	for name, c := range before {
		if name != "[Content_Types].xml" && !bytes.Equal(after[name], c) {
			t.Errorf("%s: compressed otherwise than by archive/zip", name)
		}
	}
}

// deterministic rewrites an xlsx package (an OPC zip file, as excelize
// writes it) so that the same workbook always gives the same bytes: it
// reads the parts and writes them with writePackage. It returns an error
// when xlsx is not a zip file, has duplicate entries, or lacks a
// well-formed [Content_Types].xml. The workbooks of this tool do not pass
// through a zip first (writeDeterministic); deterministic is the same
// writing for a package that does.
func deterministic(xlsx []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		return nil, fmt.Errorf("not an xlsx package: %w", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		if _, dup := parts[f.Name]; dup {
			return nil, fmt.Errorf("not a valid xlsx package: entry %q occurs twice", f.Name)
		}
		if parts[f.Name], err = readEntry(f); err != nil {
			return nil, fmt.Errorf("xlsx package entry %q: %w", f.Name, err)
		}
	}
	var out bytes.Buffer
	out.Grow(len(xlsx))
	if err := writePackage(&out, parts); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// readEntry reads a zip entry whole.
func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
