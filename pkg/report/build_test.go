package report

import (
	"math"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/source"
)

type exceptWeb struct{}

func (exceptWeb) Except(o *object.Object, c *policy.Control, _ []string) *ExceptionInfo {
	if o.ID.Name == "web" && c.ControlID == "C-2" {
		return &ExceptionInfo{Name: "accepted", Reason: "needs it"}
	}
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScoring(t *testing.T) {
	objs := []*object.Object{
		{ID: object.Identity{Kind: "Deployment", Name: "web"}, Replicas: 3},
		{ID: object.Identity{Kind: "Deployment", Name: "api"}, Replicas: 1},
		{ID: object.Identity{Kind: "Pod", Name: "job"}, Replicas: 1},
	}
	c1 := &policy.Control{ControlID: "C-1", Name: "one", BaseScore: 8}
	c2 := &policy.Control{ControlID: "C-2", Name: "two", BaseScore: 4}
	c3 := &policy.Control{ControlID: "C-3", Name: "nothing to judge", BaseScore: 9}
	c4 := &policy.Control{ControlID: "C-4", Name: "needs host data", BaseScore: 9}
	c5 := &policy.Control{ControlID: "C-5", Name: "needs inputs", BaseScore: 5,
		Attributes: map[string]any{"actionRequired": "configuration"},
		Rules:      []*policy.Rule{{Name: "r5", ControlConfigInputs: []policy.ControlInputRef{{Path: "settings.postureControlInputs.allowed"}}}}}
	rr := func(scope []int, alerts map[int][]engine.Alert, errored map[int]string) *engine.RuleResult {
		return &engine.RuleResult{Rule: &policy.Rule{Name: "r"}, Scope: scope, Alerts: alerts, Errored: errored}
	}
	res := &engine.Result{Objects: objs, Controls: []*engine.ControlResult{
		// C-1: web fails (3 replicas), api passes, job errors.
		{Control: c1, Rules: []*engine.RuleResult{rr([]int{0, 1, 2}, map[int][]engine.Alert{0: {{Message: "bad", FailedPaths: []string{"spec"}}}}, map[int]string{2: "boom"})}},
		// C-2: web fails but is excepted, api fails.
		{Control: c2, Rules: []*engine.RuleResult{rr([]int{0, 1}, map[int][]engine.Alert{0: {{Message: "x"}}, 1: {{Message: "y"}}}, nil)}},
		{Control: c3, Rules: []*engine.RuleResult{rr(nil, nil, nil)}},
		{Control: c4, Skipped: "needs host scanner data"},
		{Control: c5, Rules: []*engine.RuleResult{rr([]int{0}, nil, nil)}},
	}}
	sel := &policy.Selection{Frameworks: []*policy.Framework{{Name: "fw", Controls: []*policy.Control{c1, c2, c3, c4, c5}}}, Controls: []*policy.Control{c1, c2, c3, c4, c5}, TargetType: "Framework"}
	r := Build(Input{Selection: sel, Result: res, Inventory: &source.Inventory{Target: source.TargetFile, Objects: objs}, Excepter: exceptWeb{}, Inputs: policy.Inputs{}})

	byID := map[string]*ControlSummary{}
	for _, c := range r.Controls {
		byID[c.ID] = c
	}
	one, two := byID["C-1"], byID["C-2"]
	if one.Status != Failed || one.Counters != (Counters{Passed: 1, Failed: 1, Skipped: 1}) || !near(one.ComplianceScore, 50) || !near(one.RiskScore, 75) {
		t.Errorf("C-1 = %s %+v compliance %v risk %v", one.Status, one.Counters, one.ComplianceScore, one.RiskScore)
	}
	if two.Status != Failed || two.Counters != (Counters{Passed: 1, Failed: 1, Excluded: 1}) || !near(two.ComplianceScore, 50) || !near(two.RiskScore, 25) {
		t.Errorf("C-2 = %s %+v compliance %v risk %v", two.Status, two.Counters, two.ComplianceScore, two.RiskScore)
	}
	if c := byID["C-3"]; c.Status != Passed || c.SubStatus != SubIrrelevant || c.Evaluated() {
		t.Errorf("C-3 = %s/%s", c.Status, c.SubStatus)
	}
	if c := byID["C-4"]; c.Status != Skipped || !strings.Contains(c.Reason, "host") {
		t.Errorf("C-4 = %s %q", c.Status, c.Reason)
	}
	if c := byID["C-5"]; c.Status != Skipped || c.SubStatus != SubConfiguration {
		t.Errorf("C-5 = %s/%s", c.Status, c.SubStatus)
	}
	// Compliance: mean of evaluated controls (C-1, C-2) = 50. Risk: C-1
	// failed weight 3 of 4 × 8, C-2 failed 1 of 4 × 4 → (24+4)/(32+16).
	if !near(r.Summary.ComplianceScore, 50) || !near(r.Summary.RiskScore, 100*28.0/48.0) {
		t.Errorf("summary compliance %v risk %v", r.Summary.ComplianceScore, r.Summary.RiskScore)
	}
	if r.Coverage.Total != 5 || r.Coverage.Evaluated != 3 || r.Coverage.ErroredObjects != 1 || len(r.Coverage.Skipped) != 2 {
		t.Errorf("coverage %+v", r.Coverage)
	}
	if s := r.Summary.Controls; s.Failed != 2 || s.Skipped != 2 || s.Irrelevant != 1 {
		t.Errorf("control counts %+v", s)
	}
	if sev := r.Summary.ControlsSeverityCounters; sev.High != 1 || sev.Medium != 1 {
		t.Errorf("severity counters %+v", sev)
	}
	// web failed C-1, api failed C-2, job only errored.
	if r.Summary.Counters != (Counters{Failed: 2, Skipped: 1}) {
		t.Errorf("resource counters %+v", r.Summary.Counters)
	}
	if got := (Gate{SeverityThreshold: "high"}).Check(r); len(got) != 1 || !strings.Contains(got[0], "C-1") {
		t.Errorf("severity gate: %v", got)
	}
	if got := (Gate{SeverityThreshold: "critical", ComplianceThreshold: 40}).Check(r); len(got) != 0 {
		t.Errorf("gates should pass: %v", got)
	}
	if got := (Gate{ComplianceThreshold: 60}).Check(r); len(got) != 1 {
		t.Errorf("compliance gate: %v", got)
	}
}
