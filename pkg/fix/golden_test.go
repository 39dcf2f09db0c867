package fix

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	jsonformat "github.com/vigilsec/vigil/pkg/report/format/json"
	"github.com/vigilsec/vigil/pkg/scan"
)

var update = flag.Bool("update", false, "rewrite the expected files of testdata/*/want")

// TestGolden scans each testdata case with the controls it names, applies
// the report's fixes and compares every file with want/ (a file missing
// there must be unchanged), and the summary with want/summary.txt.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*/controls")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, c := range cases {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) { runGolden(t, dir) })
	}
}

func runGolden(t *testing.T, dir string) {
	ids, err := os.ReadFile(filepath.Join(dir, "controls"))
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(t.TempDir(), "in")
	copyTree(t, filepath.Join(dir, "in"), work)
	plan := scanAndPlan(t, work, strings.Split(strings.TrimSpace(string(ids)), ","), PlanOptions{})
	if err := Apply(plan, Options{TrustRoots: true}); err != nil {
		t.Fatal(err)
	}
	var sum bytes.Buffer
	if err := plan.WriteSummary(&sum, false); err != nil {
		t.Fatal(err)
	}
	summary := strings.ReplaceAll(sum.String(), work, "$IN")
	want := filepath.Join(dir, "want")
	if *update {
		_ = os.RemoveAll(want)
		putFile(t, filepath.Join(want, "summary.txt"), []byte(summary))
	} else if w, err := os.ReadFile(filepath.Join(want, "summary.txt")); err != nil || string(w) != summary {
		t.Errorf("summary differs from want/summary.txt (go test -update rewrites it):\n%s", summary)
	}
	walkFiles(t, work, func(rel string, got []byte) {
		orig, err := os.ReadFile(filepath.Join(dir, "in", rel))
		if err != nil {
			t.Fatal(err)
		}
		exp := filepath.Join(want, rel)
		if *update {
			if !bytes.Equal(got, orig) {
				putFile(t, exp, got)
			}
			return
		}
		w, err := os.ReadFile(exp)
		if os.IsNotExist(err) {
			w = orig
		} else if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, w) {
			t.Errorf("%s:\n%s", rel, Diff(rel, w, got))
		}
	})
}

// scanAndPlan scans root with the given controls and plans the fixes of
// its JSON report, the same way vigil fix reads it.
func scanAndPlan(t *testing.T, root string, controls []string, opts PlanOptions) *Plan {
	t.Helper()
	rep, err := scan.Run(context.Background(), scan.Options{Paths: []string{root}, Controls: controls, Version: "test", Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Inputs.Errors) > 0 {
		t.Fatalf("input errors: %v", rep.Inputs.Errors)
	}
	var buf bytes.Buffer
	if err := jsonformat.Write(&buf, rep, jsonformat.Options{}); err != nil {
		t.Fatal(err)
	}
	r, err := ReadReport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return NewPlan(r, opts)
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	walkFiles(t, from, func(rel string, data []byte) { putFile(t, filepath.Join(to, rel), data) })
}

func walkFiles(t *testing.T, root string, fn func(rel string, data []byte)) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fn(rel, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func putFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
