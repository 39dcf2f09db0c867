package pretty

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestGolden(t *testing.T) {
	rep := reporttest.Build(t)
	cases := map[string]Options{
		"summary.txt":       {},
		"verbose.txt":       {Verbose: true},
		"verbose-color.txt": {Verbose: true, Color: true},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, rep, opts); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s (run go test -update and review):\n%s", p, buf.String())
			}
			if !opts.Color && strings.Contains(buf.String(), "\x1b[") {
				t.Error("escape codes without Color")
			}
		})
	}
}
