package policies_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/profiler"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/file"
)

// Tools for library authors, skipped unless asked for:
//
//	VIGIL_CORPUS=dir[,dir] VIGIL_SNAPSHOT=out.txt go test ./policies/ -run TestSnapshot
//	    writes every verdict (control, object, status, paths, messages),
//	    sorted, to diff before and after a change that must not change them.
//	VIGIL_CORPUS=dir VIGIL_PROFILE=1 go test ./policies/ -run TestProfile -v
//	    times the evaluation and shows where OPA spends it, by Rego file and
//	    by line (one worker).
//
// Both honour VIGIL_TEST_CONTROLS.

func corpusInventory(t *testing.T) *source.Inventory {
	t.Helper()
	paths := os.Getenv("VIGIL_CORPUS")
	if paths == "" {
		t.Skip("set VIGIL_CORPUS")
	}
	inv, err := (&file.Source{Paths: strings.Split(paths, ",")}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestSnapshot(t *testing.T) {
	out := os.Getenv("VIGIL_SNAPSHOT")
	if out == "" {
		t.Skip("set VIGIL_SNAPSHOT")
	}
	inv := corpusInventory(t)
	lib := load(t)
	ctx := context.Background()
	e, err := engine.New(ctx, lib.Controls, engine.Options{Inputs: lib.Defaults(), Modules: lib.Modules})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Evaluate(ctx, inv)
	if err != nil {
		t.Fatal(err)
	}
	rep := report.Build(report.Input{Selection: &policy.Selection{Controls: lib.Controls}, Result: res, Inventory: inv, Inputs: lib.Defaults()})
	var lines []string
	for _, r := range rep.Resources {
		for _, cr := range r.Results {
			line := fmt.Sprintf("%s %s %s", cr.Control.ID, r.Object.ResourceID(), cr.Status)
			for _, ro := range cr.Rules {
				f, rv, d, x := ro.Paths()
				var msgs []string
				for _, a := range ro.Alerts {
					msgs = append(msgs, a.Message)
				}
				sort.Strings(msgs)
				line += fmt.Sprintf(" failed=%v review=%v delete=%v fix=%v msgs=%q", f, rv, d, x, msgs)
			}
			lines = append(lines, line)
		}
	}
	sort.Strings(lines)
	if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d verdicts written to %s", len(lines), out)
}

func TestProfile(t *testing.T) {
	if os.Getenv("VIGIL_PROFILE") == "" {
		t.Skip("set VIGIL_PROFILE")
	}
	inv := corpusInventory(t)
	lib := load(t)
	ctx := context.Background()
	e, err := engine.New(ctx, lib.Controls, engine.Options{Inputs: lib.Defaults(), Modules: lib.Modules, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := e.Evaluate(ctx, inv); err != nil {
		t.Fatal(err)
	}
	t.Logf("evaluation, one worker, no profiler: %v", time.Since(start))
	p := profiler.New()
	e, _ = engine.New(ctx, lib.Controls, engine.Options{Inputs: lib.Defaults(), Modules: lib.Modules, Tracer: p})
	if _, err := e.Evaluate(ctx, inv); err != nil {
		t.Fatal(err)
	}
	type row struct {
		name string
		ns   int64
	}
	var files []row
	for f, r := range p.ReportByFile().Files {
		var tot int64
		for _, s := range r.Result {
			tot += s.ExprTimeNs
		}
		files = append(files, row{f, tot})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].ns > files[j].ns })
	t.Logf("by file (profiler time, inflated by the profiler itself):")
	for i, f := range files {
		if i == 25 {
			break
		}
		t.Logf("  %8.1fms %s", float64(f.ns)/1e6, f.name)
	}
	t.Logf("by line:")
	for _, s := range p.ReportTopNResults(40, []string{"total_time_ns"}) {
		t.Logf("  %8.1fms evals=%7d %s:%d", float64(s.ExprTimeNs)/1e6, s.NumEval, s.Location.File, s.Location.Row)
	}
}
