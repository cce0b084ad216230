package input

import (
	"os"
	"path/filepath"
	"testing"
)

// benchmarkRead reads a synthetic extract of rows rows from a file, as the
// tool does; the file is generated once per benchmark.
func benchmarkRead(b *testing.B, rows int) {
	path := filepath.Join(b.TempDir(), "population.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := Generate(f, GenerateOptions{Rows: rows, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	size, _ := f.Seek(0, 1)
	f.Close()
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		f, _ := os.Open(path)
		pop, err := Read(f, Options{Source: path, Today: today})
		f.Close()
		if err != nil || len(pop.Records) != rows {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRead11k reads the deck-sized synthetic extract (11,000 rows).
func BenchmarkRead11k(b *testing.B) { benchmarkRead(b, 11000) }

// BenchmarkRead1M reads a 1,000,000-row extract (goal: under 5 s and 500 MB
// peak RSS; measure the RSS with /usr/bin/time -v, see docs/performance.md).
func BenchmarkRead1M(b *testing.B) { benchmarkRead(b, 1000000) }
