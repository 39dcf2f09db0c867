package report

import (
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/object"
)

func TestSplitPath(t *testing.T) {
	segs, ok := SplitPath("spec.containers[1].ports[0].hostPort")
	want := []PathSegment{{Key: "spec"}, {Key: "containers"}, {Index: 1, IsIndex: true}, {Key: "ports"}, {Index: 0, IsIndex: true}, {Key: "hostPort"}}
	if !ok || !reflect.DeepEqual(segs, want) {
		t.Errorf("SplitPath = %+v, %v", segs, ok)
	}
	if _, ok := SplitPath("a[x]"); ok {
		t.Error("a bad index must fail")
	}
	if segs, ok := SplitPath(""); !ok || len(segs) != 0 {
		t.Error("the empty path is the object itself")
	}
}

func TestValueAt(t *testing.T) {
	dec := manifest.Decode([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    securityContext: {privileged: true}\n"), manifest.Options{Path: "p.yaml"})
	o := dec.Objects[0]
	if v, ok := ValueAt(o, "spec.containers[0].securityContext.privileged"); !ok || v.Compare(ast.Boolean(true)) != 0 {
		t.Errorf("ValueAt = %v, %v", v, ok)
	}
	for _, p := range []string{"spec.containers[1]", "spec.containers.name", "spec.missing"} {
		if _, ok := ValueAt(o, p); ok {
			t.Errorf("ValueAt(%s) should fail", p)
		}
	}
}

func TestPrimaryPathPrefersBindings(t *testing.T) {
	a := &engine.Alert{
		FailedPaths: []string{"relatedObjects[0].rules[1]", "relatedObjects[1].subjects[0]"},
		Related: []engine.Related{
			{ID: object.Identity{Kind: "Role", Name: "r"}},
			{ID: object.Identity{Kind: "RoleBinding", Name: "b"}},
		},
	}
	if got := PrimaryPath(a); got != "relatedObjects[1].subjects[0]" {
		t.Errorf("PrimaryPath = %q", got)
	}
	if got := RelatedPath(a, 0); got != "relatedObjects[0].rules[1]" {
		t.Errorf("RelatedPath(0) = %q", got)
	}
	plain := &engine.Alert{FixPaths: []engine.FixPath{{Path: "spec.x", Value: "1"}}}
	if got := PrimaryPath(plain); got != "spec.x" {
		t.Errorf("PrimaryPath falls back to fix paths, got %q", got)
	}
}
