package reporttest

import (
	"testing"

	"github.com/vigilsec/vigil/pkg/report"
)

// TestFixture pins the outcomes the fixture promises, so a change in the
// engine or report that would silently change every golden file of every
// format fails here first, with a clear message.
func TestFixture(t *testing.T) {
	r := Build(t)
	want := map[string]struct {
		status report.Status
		sub    string
		failed int
	}{
		"C-0001": {report.Skipped, report.SubConfiguration, 0},
		"C-0004": {report.Failed, "", 1},
		"C-0015": {report.Failed, "", 1},
		"C-0044": {report.Passed, "", 0},
		"C-0057": {report.Failed, "", 2},
		"C-0263": {report.Passed, report.SubIrrelevant, 0},
	}
	if len(r.Controls) != len(want) {
		t.Fatalf("got %d controls, want %d", len(r.Controls), len(want))
	}
	for _, c := range r.Controls {
		w, ok := want[c.ID]
		if !ok {
			t.Errorf("unexpected control %s", c.ID)
			continue
		}
		if c.Status != w.status || c.SubStatus != w.sub || c.Counters.Failed != w.failed {
			t.Errorf("%s: got %s/%q with %d failed, want %s/%q with %d failed",
				c.ID, c.Status, c.SubStatus, c.Counters.Failed, w.status, w.sub, w.failed)
		}
	}
	if len(r.Inputs.Errors) != 1 || r.Inputs.Errors[0].Path != ManifestsDir+"/broken.yaml" || r.Inputs.Errors[0].Line == 0 {
		t.Errorf("want one input error in broken.yaml with a line, got %+v", r.Inputs.Errors)
	}
	if len(r.Frameworks) != 1 || r.Frameworks[0].Name != Framework {
		t.Errorf("want the fixture framework, got %d frameworks", len(r.Frameworks))
	}
	if !r.GeneratedAt.Equal(GeneratedAt()) || r.Timing != (report.Timing{}) {
		t.Errorf("report is not deterministic: generated %v, timing %+v", r.GeneratedAt, r.Timing)
	}
	web := Find(r, "Deployment", "web")
	if web == nil || web.Object.Source.Path != ManifestsDir+"/app.yaml" {
		t.Fatalf("Deployment web not found with a repository-relative path")
	}
	if sa := Find(r, "ServiceAccount", "web"); sa == nil || sa.Status != report.Failed {
		t.Errorf("ServiceAccount web should fail C-0015")
	}
}

func TestBuildControls(t *testing.T) {
	r := BuildControls(t, "C-0057")
	if r.Target.Type != "Control" || len(r.Frameworks) != 0 || len(r.Controls) != 1 {
		t.Fatalf("control scan: type %q, %d frameworks, %d controls", r.Target.Type, len(r.Frameworks), len(r.Controls))
	}
}
