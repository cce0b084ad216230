package input

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// repeated reads s n times over without holding it n times.
type repeated struct {
	s   string
	n   int64 // bytes still to give
	off int
}

func repeat(s string, times int64) io.Reader { return &repeated{s: s, n: int64(len(s)) * times} }

func (r *repeated) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:min(int64(len(p)), int64(k)+r.n)], r.s[r.off:])
		r.off = (r.off + c) % len(r.s)
		k += c
		r.n -= int64(c)
	}
	return k, nil
}

// allocated is the memory allocated while f runs, in bytes.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestLimits: an extract beyond one of the reader's limits is refused with
// ErrLimit, a message that names the limit and the line, and without the
// work or memory the limit is there to bound: a 10 MB header of ten million
// empty column names (which made the reader reserve 82 GB and crash), a
// 200 MB value (which peaked at 2.1 GB), a header too wide, a value longer
// than a cell.
func TestLimits(t *testing.T) {
	row := "EXP-1,D,nee,ja,2014,,,,,,,,\n"
	tests := []struct {
		name   string
		src    func() io.Reader
		ignore bool
		msg    string
	}{
		{"ten million empty column names", func() io.Reader {
			return io.MultiReader(strings.NewReader(strings.TrimSuffix(header, "\n")), repeat(",", 10_000_000), strings.NewReader("\n"+row))
		}, true, "t, line 1: the extract exceeds a limit of the reader: the header row is longer than 64 KiB (the reader's limit)"},
		{"a header of 5,000 columns", func() io.Reader {
			var b strings.Builder
			b.WriteString(strings.TrimSuffix(header, "\n"))
			for i := 14; i <= 5000; i++ {
				fmt.Fprintf(&b, ",extra%d", i)
			}
			return strings.NewReader(b.String() + "\n" + row)
		}, true, "t, line 1: the extract exceeds a limit of the reader: the header has 5,000 columns, more than the 1,000 the reader takes"},
		{"a value of 200 MB", func() io.Reader {
			return io.MultiReader(strings.NewReader(header+row+"EXP-2,D,nee,ja,2014,,,,,,,,"), repeat("x", 200<<20), strings.NewReader("\n"+row))
		}, false, "t, line 3: the extract exceeds a limit of the reader: a row is longer than 1 MiB"},
		{"a quoted value of 200 MB after lines that span lines and blank lines", func() io.Reader {
			return io.MultiReader(strings.NewReader(header+"EXP-1,D,nee,ja,2014,,,,,,,,\"two\r\nlines\"\r\n\r\n\n\"EXP-2\",\""), repeat("x\n", 100<<20), strings.NewReader("\"\n"+row))
		}, false, "t, line 6: the extract exceeds a limit of the reader: a row is longer than 1 MiB"},
		{"a value longer than a cell", func() io.Reader {
			return strings.NewReader(strings.TrimSuffix(header, "\n") + ",opmerking\n" + strings.TrimSuffix(row, "\n") + ",ok\n" +
				strings.TrimSuffix(row, "\n") + "," + strings.Repeat("é", 40000) + "\n")
		}, true, "t, line 3, column opmerking: the extract exceeds a limit of the reader: a value of 40,000 characters, more than the 32,767 an Excel cell holds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			bytes := allocated(func() { _, err = Read(tt.src(), Options{Source: "t", IgnoreUnknownColumns: tt.ignore}) })
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want ErrLimit: %q", err, tt.msg)
			}
			if bytes > 64<<20 {
				t.Errorf("allocated %d MB to refuse it, want at most 64 MB", bytes>>20)
			}
		})
	}
}

// TestUnknownColumnsListed: the message about unknown columns names the
// first ten and counts the others, however many there are.
func TestUnknownColumnsListed(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(header, "\n"))
	for i := range 25 {
		fmt.Fprintf(&b, ",extra%d", i)
	}
	_, err := Read(strings.NewReader(b.String()+"\n"+"EXP-1,D,nee,ja,2014,,,,,,,,"+strings.Repeat(",", 25)+"\n"), Options{Source: "t"})
	if !errors.Is(err, ErrUnknownColumn) || !strings.HasSuffix(err.Error(), "(unknown: extra0, extra1, extra2, extra3, extra4, extra5, extra6, extra7, extra8, extra9 and 15 more)") {
		t.Errorf("got %v, want the first ten unknown columns and 15 more", err)
	}
}
