package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/pkg/source/file"
	"github.com/vigilsec/vigil/policies"
)

// BenchmarkEvaluate measures rule evaluation alone: the inventory is read
// and the library compiled once, outside the timed loop.
func BenchmarkEvaluate(b *testing.B) {
	for _, set := range []string{"synthetic-1000", "synthetic-5000", "synthetic-20000"} {
		b.Run(set, func(b *testing.B) {
			path := filepath.Join("..", "..", "..", "shared", "corpus", set)
			if _, err := os.Stat(path); err != nil {
				b.Skipf("corpus %s not available", set)
			}
			ctx := context.Background()
			inv, err := (&file.Source{Paths: []string{path}}).Load(ctx)
			if err != nil {
				b.Fatal(err)
			}
			lib, err := library.Load(policies.FS())
			if err != nil {
				b.Fatal(err)
			}
			e, err := engine.New(ctx, lib.Controls, engine.Options{Inputs: lib.Defaults(), Modules: lib.Modules})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(lib.Controls)), "controls")
			b.ResetTimer()
			for b.Loop() {
				if _, err := e.Evaluate(ctx, inv); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompile measures compiling every rule of the library.
func BenchmarkCompile(b *testing.B) {
	lib, err := library.Load(policies.FS())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := engine.New(context.Background(), lib.Controls, engine.Options{Inputs: lib.Defaults(), Modules: lib.Modules}); err != nil {
			b.Fatal(err)
		}
	}
}
