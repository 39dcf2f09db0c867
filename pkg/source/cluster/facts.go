package cluster

import (
	"context"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

// FactsAPIVersion and FactsKind name the object that carries facts about
// the cluster itself (version, nodes, cloud provider), so rules can judge
// them like any other object.
const (
	FactsAPIVersion = "vigil.dev/v1alpha1"
	FactsKind       = "ClusterInfo"
)

var nodesGVR = schema.GroupVersionResource{Version: "v1", Resource: "nodes"}

// facts builds the ClusterInfo object. Nodes are counted from the listed
// objects when the rules needed them, else with a metadata-only list; a
// user who may not list nodes gets the version alone, and a note.
func (s *Source) facts(ctx context.Context, dyn dynamic.Interface, version string, objects []*object.Object, inv *source.Inventory) *object.Object {
	var nodes []ast.Value
	for _, o := range objects {
		if o.ID.Kind == "Node" && o.ID.Group() == "" {
			nodes = append(nodes, o.Value)
		}
	}
	if nodes == nil {
		l, err := dyn.Resource(nodesGVR).List(ctx, metav1.ListOptions{Limit: 500})
		if err != nil {
			inv.Notes = append(inv.Notes, source.Note{Message: "cluster facts: nodes not counted: " + err.Error()})
		} else {
			for i := range l.Items {
				if v, err := ast.InterfaceToValue(map[string]any{
					"metadata": map[string]any{"labels": l.Items[i].GetLabels()},
					"spec":     map[string]any{"providerID": providerID(l.Items[i].Object)},
				}); err == nil {
					nodes = append(nodes, v)
				}
			}
		}
	}
	provider := ""
	for _, n := range nodes {
		if p := cloudProvider(n); p != "" {
			provider = p
			break
		}
	}
	inv.ClusterName, inv.CloudProvider, inv.ServerVersion = s.ClusterName, provider, version
	v, _ := ast.InterfaceToValue(map[string]any{
		"apiVersion": FactsAPIVersion,
		"kind":       FactsKind,
		"metadata":   map[string]any{"name": s.ClusterName},
		"status": map[string]any{
			"serverVersion": version,
			"nodeCount":     len(nodes),
			"cloudProvider": provider,
		},
	})
	o, _ := object.New(v, object.Source{Kind: "cluster"})
	return o
}

func providerID(m map[string]any) string {
	spec, _ := m["spec"].(map[string]any)
	id, _ := spec["providerID"].(string)
	return id
}

// cloudProvider recognises managed clusters by their node labels and
// provider IDs.
func cloudProvider(node ast.Value) string {
	md, _ := field(node, "metadata").(ast.Object)
	labels, _ := field(md, "labels").(ast.Object)
	has := func(k string) bool { return labels != nil && labels.Get(ast.StringTerm(k)) != nil }
	switch {
	case has("eks.amazonaws.com/nodegroup") || has("eks.amazonaws.com/compute-type"):
		return "eks"
	case has("cloud.google.com/gke-nodepool") || has("cloud.google.com/gke-os-distribution"):
		return "gke"
	case has("kubernetes.azure.com/cluster") || has("kubernetes.azure.com/agentpool"):
		return "aks"
	}
	spec, _ := field(node, "spec").(ast.Object)
	id, _ := field(spec, "providerID").(ast.String)
	switch {
	case strings.HasPrefix(string(id), "aws://"):
		return "aws"
	case strings.HasPrefix(string(id), "gce://"):
		return "gcp"
	case strings.HasPrefix(string(id), "azure://"):
		return "azure"
	}
	return ""
}
