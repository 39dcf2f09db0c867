package manifest

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDecode measures parsing one ~50-object file of the synthetic
// corpus into objects with positions.
func BenchmarkDecode(b *testing.B) {
	p := filepath.Join("..", "..", "..", "shared", "corpus", "synthetic-1000", "default", "part-0000.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		b.Skip("corpus not available")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res := Decode(data, Options{Path: p})
		if len(res.Objects) == 0 {
			b.Fatal("no objects")
		}
	}
}
