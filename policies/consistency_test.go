package policies_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/source/file"
)

// verdictsOf renders a result as "control object: paths" lines.
func verdictsOf(res *engine.Result) []string {
	var out []string
	for _, c := range res.Controls {
		for _, rr := range c.Rules {
			for _, i := range rr.Scope {
				o := res.Objects[i]
				line := fmt.Sprintf("%s %s %s", c.Control.ControlID, o.ResourceID(), rr.Rule.Name)
				var parts []string
				for _, a := range rr.Alerts[i] {
					parts = append(parts, a.Message+" "+strings.Join(a.FailedPaths, ",")+" "+strings.Join(a.ReviewPaths, ","))
				}
				sort.Strings(parts)
				out = append(out, line+" => "+strings.Join(parts, " | "))
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestGroupedEvaluationMatchesSeparate: the engine evaluates rules with the
// same matches together for speed; every verdict must be exactly what the
// rule gives when it is evaluated alone.
func TestGroupedEvaluationMatchesSeparate(t *testing.T) {
	lib := load(t)
	ctx := context.Background()
	// The examples plus two namespaces of the synthetic corpus: every kind
	// the library judges, small enough to evaluate each control alone.
	paths := []string{"../examples"}
	for _, ns := range []string{"default", "backend", "_cluster"} {
		p := "../../shared/corpus/synthetic-1000/" + ns
		if _, err := os.Stat(p); err == nil {
			paths = append(paths, p)
		}
	}
	inv, err := (&file.Source{Paths: paths}).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(ctx, lib.Controls, engine.Options{Inputs: lib.Defaults(), Modules: lib.Modules})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Evaluate(ctx, inv)
	if err != nil {
		t.Fatal(err)
	}
	together := verdictsOf(res)
	// A partial evaluation runs each rule on its own, without groups.
	var separate []string
	for _, c := range lib.Controls {
		res, err := e.EvaluateControls(ctx, inv, []string{c.ControlID})
		if err != nil {
			t.Fatal(err)
		}
		separate = append(separate, verdictsOf(res)...)
	}
	sort.Strings(separate)
	if strings.Join(together, "\n") != strings.Join(separate, "\n") {
		for i := 0; i < len(together) && i < len(separate); i++ {
			if together[i] != separate[i] {
				t.Fatalf("first difference:\n together: %s\n separate: %s", together[i], separate[i])
			}
		}
		t.Fatalf("verdict counts differ: %d together, %d separate", len(together), len(separate))
	}
	t.Logf("%d verdicts identical", len(together))
}
