package cluster

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/vigilsec/vigil/pkg/source"
)

// Permission is one list permission a scan needs, and whether the user
// has it.
type Permission struct {
	Group, Resource, Kind, Namespace string
	Allowed                          bool
	Reason                           string
}

func (p Permission) String() string {
	gr := p.Resource
	if p.Group != "" {
		gr += "." + p.Group
	}
	where := "cluster-wide"
	if p.Namespace != "" {
		where = "in " + p.Namespace
	}
	verdict := "allowed"
	if !p.Allowed {
		verdict = "DENIED"
		if p.Reason != "" {
			verdict += " (" + p.Reason + ")"
		}
	}
	return fmt.Sprintf("list %-45s %-22s %s", gr, where, verdict)
}

var ssarGVR = schema.GroupVersionResource{Group: "authorization.k8s.io", Version: "v1", Resource: "selfsubjectaccessreviews"}

// CheckPermissions asks the API server, with SelfSubjectAccessReviews,
// whether the user may list every resource the scan would list. Nothing
// is listed.
func (s *Source) CheckPermissions(ctx context.Context) ([]Permission, error) {
	cfg, name, err := s.restConfig()
	if err != nil {
		return nil, err
	}
	s.ClusterName = name
	dc, dyn, err := clients(ctx, cfg)
	if err != nil {
		return nil, err
	}
	resources, err := s.resolve(dc, &source.Inventory{})
	if err != nil {
		return nil, err
	}
	var out []Permission
	for _, r := range resources {
		namespaces := []string{""}
		if r.namespaced && len(s.Namespaces.Include) > 0 {
			namespaces = s.Namespaces.Include
		}
		for _, ns := range namespaces {
			review := &unstructured.Unstructured{Object: map[string]any{
				"apiVersion": "authorization.k8s.io/v1",
				"kind":       "SelfSubjectAccessReview",
				"spec": map[string]any{"resourceAttributes": map[string]any{
					"group": r.gvr.Group, "resource": r.gvr.Resource, "verb": "list", "namespace": ns,
				}},
			}}
			res, err := dyn.Resource(ssarGVR).Create(ctx, review, metav1.CreateOptions{})
			if err != nil {
				return nil, fmt.Errorf("check permission to list %s: %w", r.gvr.Resource, err)
			}
			allowed, _, _ := unstructured.NestedBool(res.Object, "status", "allowed")
			reason, _, _ := unstructured.NestedString(res.Object, "status", "reason")
			out = append(out, Permission{Group: r.gvr.Group, Resource: r.gvr.Resource, Kind: r.kind, Namespace: ns, Allowed: allowed, Reason: reason})
		}
	}
	return out, nil
}
