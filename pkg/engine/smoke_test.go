package engine

import (
	"context"
	"testing"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/source"
)

func TestSmoke(t *testing.T) {
	ctl := &policy.Control{ControlID: "C-1", Name: "priv", BaseScore: 8, Rules: []*policy.Rule{{
		Name:  "r",
		Match: []policy.Match{{APIGroups: []string{"*"}, APIVersions: []string{"*"}, Resources: []string{"Pod"}}},
		Rule: `package armo_builtins
deny[msga] {
	pod := input[_]
	c := pod.spec.containers[i]
	c.securityContext.privileged == true
	msga := {"alertMessage": "x", "failedPaths": [sprintf("spec.containers[%d].securityContext.privileged", [i])], "alertObject": {"k8sApiObjects": [pod]}}
}`}}}
	e, err := New(context.Background(), []*policy.Control{ctl}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := manifest.Decode([]byte(`apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
  - name: c
    securityContext: {privileged: true}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  containers: [{name: c}]
`), manifest.Options{Path: "x.yaml"})
	inv := &source.Inventory{Target: "file", Objects: res.Objects}
	r, err := e.Evaluate(context.Background(), inv)
	if err != nil {
		t.Fatal(err)
	}
	rr := r.Controls[0].Rules[0]
	t.Logf("scope %v alerts %+v skipped %q", rr.Scope, rr.Alerts, rr.Skipped)
}
