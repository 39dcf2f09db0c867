package policies_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/source/file"
)

// TestCorpusReview prints what each control finds on a corpus, for a
// person to review: VIGIL_CORPUS=../../shared/corpus/synthetic-1000 (or
// any paths, comma-separated) with VIGIL_TEST_CONTROLS to pick controls.
// VIGIL_CORPUS_SAMPLES sets how many findings are shown per control.
func TestCorpusReview(t *testing.T) {
	paths := os.Getenv("VIGIL_CORPUS")
	if paths == "" {
		t.Skip("set VIGIL_CORPUS to review controls on a corpus")
	}
	samples := 8
	fmt.Sscan(os.Getenv("VIGIL_CORPUS_SAMPLES"), &samples)
	lib := load(t)
	ctx := context.Background()
	inv, err := (&file.Source{Paths: strings.Split(paths, ",")}).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(ctx, lib.Controls, engine.Options{Inputs: lib.Defaults(), Modules: lib.Modules})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Evaluate(ctx, inv)
	if err != nil {
		t.Fatal(err)
	}
	sel := &policy.Selection{Controls: lib.Controls}
	rep := report.Build(report.Input{Selection: sel, Result: res, Inventory: inv, Inputs: lib.Defaults()})
	findings := map[string][]string{}
	for _, r := range rep.Resources {
		for _, cr := range r.Results {
			if cr.Status != report.Failed {
				continue
			}
			for _, ro := range cr.Rules {
				for _, a := range ro.Alerts {
					findings[cr.Control.ID] = append(findings[cr.Control.ID], fmt.Sprintf("%s (%s) %v", a.Message, r.Object.Location(), append(a.FailedPaths, a.ReviewPaths...)))
				}
			}
		}
	}
	t.Logf("%d objects, %d input errors", len(inv.Objects), len(inv.Errors))
	for _, c := range rep.Controls {
		t.Logf("%s %-55s %-7s passed=%d failed=%d skipped=%d %s", c.ID, c.Name, c.Status, c.Counters.Passed, c.Counters.Failed, c.Counters.Skipped, c.Reason)
		f := findings[c.ID]
		sort.Strings(f)
		for i, s := range f {
			if i == samples {
				t.Logf("      ... %d more", len(f)-samples)
				break
			}
			t.Logf("      %s", s)
		}
	}
}
