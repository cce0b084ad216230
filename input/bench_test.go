package input

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func benchmarkRead(b *testing.B, rows int) {
	path := filepath.Join(b.TempDir(), "p.csv")
	var buf bytes.Buffer
	if err := Generate(&buf, GenerateOptions{Rows: rows, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o644)
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for b.Loop() {
		f, _ := os.Open(path)
		pop, err := Read(f, Options{Source: path})
		f.Close()
		if err != nil || len(pop.Records) != rows {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRead11k reads the deck-sized synthetic extract.
func BenchmarkRead11k(b *testing.B) { benchmarkRead(b, 11000) }

// BenchmarkRead1M reads a 1,000,000-row extract (goal: under 5 s).
func BenchmarkRead1M(b *testing.B) { benchmarkRead(b, 1000000) }
