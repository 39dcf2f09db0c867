package scan

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// corpus returns a shared benchmark corpus, or skips when it is absent.
func corpus(b *testing.B, set string) string {
	p := filepath.Join("..", "..", "..", "shared", "corpus", set)
	if _, err := os.Stat(p); err != nil {
		b.Skipf("corpus %s not available", set)
	}
	return p
}

// BenchmarkScan runs whole scans (read, compile, evaluate, report) with
// every built-in control.
func BenchmarkScan(b *testing.B) {
	for _, set := range []string{"synthetic-1000", "synthetic-5000", "synthetic-20000"} {
		b.Run(set, func(b *testing.B) {
			path := corpus(b, set)
			b.ReportAllocs()
			for b.Loop() {
				rep, err := Run(context.Background(), Options{Paths: []string{path}, Frameworks: []string{"allcontrols"}})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Inputs.Objects == 0 {
					b.Fatal("no objects")
				}
			}
		})
	}
}
