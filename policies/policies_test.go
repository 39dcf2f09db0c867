package policies_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/pkg/policytest"
	"github.com/vigilsec/vigil/policies"
)

// load reads the library. VIGIL_TEST_CONTROLS=C-0057,V-0001 limits it to
// the control directories starting with those IDs, so a control can be
// tested while others are being written.
func load(t *testing.T) *library.Library {
	t.Helper()
	var keep func(string) bool
	if only := os.Getenv("VIGIL_TEST_CONTROLS"); only != "" {
		ids := strings.Split(only, ",")
		keep = func(dir string) bool {
			for _, id := range ids {
				if strings.HasPrefix(dir, strings.TrimSpace(id)+"-") {
					return true
				}
			}
			return false
		}
	}
	lib, err := library.LoadFiltered(policies.FS(), keep)
	if err != nil {
		t.Fatalf("load library: %v", err)
	}
	return lib
}

// TestControls runs every test case of every built-in control through the
// real engine.
func TestControls(t *testing.T) {
	lib := load(t)
	rn := &policytest.Runner{Lib: lib}
	for _, c := range lib.Controls {
		t.Run(c.ControlID, func(t *testing.T) {
			t.Parallel()
			for _, tc := range lib.Tests[c.ControlID] {
				res, err := rn.RunCase(context.Background(), c, tc)
				if err != nil {
					t.Fatalf("%s: %v", tc.Name, err)
				}
				if !res.Passed() {
					t.Errorf("%s/tests.yaml:%d %q:\n    %s", lib.Dirs[c.ControlID], tc.Line, tc.Name, strings.Join(res.Problems, "\n    "))
				}
			}
		})
	}
}

// TestEveryControlIsTested enforces that each control has a case where it
// fails an object and a case where it passes one, so no test can only pass.
func TestEveryControlIsTested(t *testing.T) {
	lib := load(t)
	for _, c := range lib.Controls {
		var failing, passing bool
		for _, tc := range lib.Tests[c.ControlID] {
			for _, e := range tc.Expect {
				failing = failing || e.Status == "failed"
				passing = passing || e.Status == "passed"
			}
		}
		if c.ActionRequired() == "manual review" {
			continue
		}
		if !failing || !passing {
			t.Errorf("%s (%s): needs at least one failing and one passing expectation in tests.yaml (failing=%v passing=%v)",
				c.ControlID, lib.Dirs[c.ControlID], failing, passing)
		}
	}
}
