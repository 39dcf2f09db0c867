package cluster

import (
	"errors"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

func obj(t *testing.T, m map[string]any) *object.Object {
	t.Helper()
	o, err := convert(m, resource{gvr: schema.GroupVersionResource{Version: "v1", Resource: "pods"}, kind: "Pod"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func owned(kind, name, uid, ownerKind, ownerUID string) map[string]any {
	md := map[string]any{"name": name, "namespace": "ns", "uid": uid}
	if ownerUID != "" {
		md["ownerReferences"] = []any{map[string]any{"kind": ownerKind, "name": "x", "uid": ownerUID, "controller": true}}
	}
	return map[string]any{"apiVersion": "v1", "kind": kind, "metadata": md}
}

func TestCollapseOwned(t *testing.T) {
	objects := []*object.Object{
		obj(t, owned("Deployment", "web", "d1", "", "")),
		obj(t, owned("ReplicaSet", "web-1", "r1", "Deployment", "d1")),
		obj(t, owned("Pod", "web-1-a", "p1", "ReplicaSet", "r1")),
		// Owner not listed (filtered out, or forbidden): judged itself.
		obj(t, owned("Pod", "job-a", "p2", "Job", "j-missing")),
		// Owned by something that is not a workload controller.
		obj(t, owned("Pod", "custom", "p3", "Rollout", "x1")),
		obj(t, owned("Pod", "bare", "p4", "", "")),
	}
	inv := &source.Inventory{}
	got := collapseOwned(objects, inv)
	var names []string
	for _, o := range got {
		names = append(names, o.ID.Name)
	}
	if strings.Join(names, ",") != "web,job-a,custom,bare" {
		t.Errorf("kept %v", names)
	}
	if len(inv.Notes) != 1 || !strings.HasPrefix(inv.Notes[0].Message, "2 objects owned") {
		t.Errorf("notes %v", inv.Notes)
	}
}

func TestConvertDropsBulk(t *testing.T) {
	o := obj(t, map[string]any{
		"metadata": map[string]any{
			"name":          "p",
			"managedFields": []any{map[string]any{"manager": "kubectl"}},
			"annotations":   map[string]any{"kubectl.kubernetes.io/last-applied-configuration": "{}"},
		},
	})
	md := o.Value.(ast.Object).Get(ast.StringTerm("metadata")).Value.(ast.Object)
	for _, k := range []string{"managedFields", "annotations"} {
		if md.Get(ast.StringTerm(k)) != nil {
			t.Errorf("%s kept", k)
		}
	}
	// Lists leave apiVersion and kind out of their items.
	if o.ID.Kind != "Pod" || o.ID.APIVersion != "v1" {
		t.Errorf("identity %+v", o.ID)
	}
}

func TestCloudProvider(t *testing.T) {
	for _, tc := range []struct {
		labels     map[string]any
		providerID string
		want       string
	}{
		{map[string]any{"eks.amazonaws.com/nodegroup": "ng"}, "", "eks"},
		{map[string]any{"cloud.google.com/gke-nodepool": "p"}, "", "gke"},
		{map[string]any{"kubernetes.azure.com/cluster": "c"}, "", "aks"},
		{nil, "aws:///eu-west-1a/i-0abc", "aws"},
		{nil, "gce://proj/zone/node", "gcp"},
		{nil, "azure:///subscriptions/x", "azure"},
		{map[string]any{"kubernetes.io/os": "linux"}, "kind://docker/kind/node", ""},
	} {
		v, err := ast.InterfaceToValue(map[string]any{
			"metadata": map[string]any{"labels": tc.labels},
			"spec":     map[string]any{"providerID": tc.providerID},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := cloudProvider(v); got != tc.want {
			t.Errorf("%v %q: %q, want %q", tc.labels, tc.providerID, got, tc.want)
		}
	}
}

func TestUnavailableReasons(t *testing.T) {
	deploy := resource{gvr: schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}, kind: "Deployment", namespaced: true}
	roles := resource{gvr: schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}, kind: "ClusterRole"}
	forbidden := apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "", errors.New("no"))
	for _, tc := range []struct {
		r    resource
		ns   string
		err  error
		want string
	}{
		{deploy, "", forbidden, "cannot list deployments.apps (Deployment) cluster-wide: forbidden: the user may not list deployments in all namespaces (with --include-namespaces"},
		{deploy, "team-a", forbidden, "cannot list deployments.apps (Deployment) in namespace team-a: forbidden: the user may not list deployments"},
		{roles, "", forbidden, "cannot list clusterroles.rbac.authorization.k8s.io (ClusterRole) cluster-wide: forbidden"},
		{roles, "", apierrors.NewTimeoutError("slow", 1), "cannot list clusterroles.rbac.authorization.k8s.io (ClusterRole) cluster-wide: Timeout: slow"},
		{roles, "", errors.New("connection reset"), "cannot list clusterroles.rbac.authorization.k8s.io (ClusterRole) cluster-wide: connection reset"},
	} {
		got := unavailable(tc.r, tc.ns, tc.err).String()
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("got  %s\nwant %s...", got, tc.want)
		}
	}
}

func TestWanted(t *testing.T) {
	s := &Source{Options: Options{Kinds: []Kind{
		{Kind: "Deployment", Groups: []string{"apps", "extensions"}},
		{Kind: "Widget", Groups: []string{"*"}},
	}}}
	for _, tc := range []struct {
		group, kind string
		want        bool
	}{
		{"apps", "Deployment", true},
		{"", "Deployment", false},
		{"example.com", "Widget", true},
		{"", "Pod", false},
	} {
		if got := s.wanted(tc.group, tc.kind); got != tc.want {
			t.Errorf("wanted(%q, %q) = %v", tc.group, tc.kind, got)
		}
	}
}

func TestWarningsDistinct(t *testing.T) {
	var w warnings
	w.HandleWarningHeader(299, "", "extensions/v1beta1 Ingress is deprecated")
	w.HandleWarningHeader(299, "", "extensions/v1beta1 Ingress is deprecated")
	w.HandleWarningHeader(199, "", "other code")
	if len(w.seen) != 1 {
		t.Errorf("seen %v", w.seen)
	}
}
