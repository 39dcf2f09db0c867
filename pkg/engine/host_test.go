package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/source"
)

// A host-only control is not applicable to manifests, skipped for lack of
// host data on a cluster without node sensors, and evaluated on a host.
func TestHostRulesByTarget(t *testing.T) {
	rule := &policy.Rule{Name: "host", Attributes: map[string]any{"hostSensorRule": "true"},
		Match: []policy.Match{{APIGroups: []string{"hostdata.kubescape.cloud"}, APIVersions: []string{"v1beta0"}, Resources: []string{"KubeletInfo"}}},
		Rule: `package armo_builtins
deny contains {"alertMessage": "m", "alertObject": {"k8sApiObjects": [x]}} if { some x in input; x.data.cmdLine == "" }`}
	c := &policy.Control{ControlID: "C-HOST", Name: "host", BaseScore: 5, Rules: []*policy.Rule{rule},
		ScanningScope: &policy.ScanningScope{Matches: []string{"cluster"}}}
	e, err := New(context.Background(), []*policy.Control{c}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	eval := func(target, objects string) *ControlResult {
		t.Helper()
		res := manifest.Decode([]byte(objects), manifest.Options{Path: "objects.yaml"})
		r, err := e.Evaluate(context.Background(), &source.Inventory{Target: target, Objects: res.Objects})
		if err != nil {
			t.Fatal(err)
		}
		return r.Controls[0]
	}
	if cr := eval(source.TargetFile, objects); !strings.Contains(cr.NotApplicable, "host data only") {
		t.Errorf("file scan: not applicable = %q", cr.NotApplicable)
	}
	if cr := eval(source.TargetCluster, objects); cr.NotApplicable != "" || len(cr.Rules) != 1 || !strings.Contains(cr.Rules[0].Skipped, "needs host scanner data") {
		t.Errorf("cluster scan without host data: %+v", cr)
	}
	kubelet := `apiVersion: hostdata.kubescape.cloud/v1beta0
kind: KubeletInfo
metadata: {name: n}
data: {cmdLine: ""}
`
	cr := eval(source.TargetHost, kubelet)
	if cr.NotApplicable != "" || cr.Rules[0].Skipped != "" || len(cr.Rules[0].Alerts) != 1 {
		t.Errorf("host scan: %+v", cr.Rules[0])
	}
}
