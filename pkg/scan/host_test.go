package scan

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

func TestRetargetHostFiles(t *testing.T) {
	obj := func(apiVersion, kind string) *object.Object {
		v, _ := ast.InterfaceToValue(map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": map[string]any{"name": "n"}})
		o, err := object.New(v, object.Source{Path: "f.json"})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	kubelet := obj("hostdata.kubescape.cloud/v1beta0", "KubeletInfo")
	pod := obj("v1", "Pod")
	for _, tc := range []struct {
		objs []*object.Object
		want string
	}{
		{[]*object.Object{kubelet}, source.TargetHost},
		{[]*object.Object{kubelet, pod}, source.TargetFile},
		{nil, source.TargetFile},
	} {
		inv := &source.Inventory{Target: source.TargetFile, Objects: tc.objs}
		if retargetHostFiles(inv); inv.Target != tc.want {
			t.Errorf("%d objects: target %s, want %s", len(tc.objs), inv.Target, tc.want)
		}
	}
}
