package cluster

import (
	"context"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/vigilsec/vigil/pkg/source"
)

// Permission is one permission a scan needs, and whether the user has it.
type Permission struct {
	// Verb is "list" when empty.
	Verb                             string
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
	verb := p.Verb
	if verb == "" {
		verb = "list"
	}
	return fmt.Sprintf("%-4s %-45s %-22s %s", verb, gr, where, verdict)
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
			p := Permission{Group: r.gvr.Group, Resource: r.gvr.Resource, Kind: r.kind, Namespace: ns}
			if err := review(ctx, dyn, &p); err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	if hs := s.HostSensor; hs != nil {
		// What gathering host data needs: find the sensor pods, read the
		// token, and reach each pod through the proxy.
		o := hs.WithDefaults()
		need := []Permission{
			{Verb: "list", Resource: "pods", Kind: "Pod", Namespace: o.Namespace},
			{Verb: "get", Resource: "pods/proxy", Namespace: o.Namespace},
		}
		if o.Token == "" {
			need = append(need, Permission{Verb: "get", Resource: "secrets", Kind: "Secret", Namespace: o.Namespace})
		}
		for _, p := range need {
			if err := review(ctx, dyn, &p); err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// review asks a SelfSubjectAccessReview for p (a Resource of the form
// "pods/proxy" names a subresource) and records the answer.
func review(ctx context.Context, dyn dynamic.Interface, p *Permission) error {
	verb := p.Verb
	if verb == "" {
		verb = "list"
	}
	resource, subresource, _ := strings.Cut(p.Resource, "/")
	review := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "authorization.k8s.io/v1",
		"kind":       "SelfSubjectAccessReview",
		"spec": map[string]any{"resourceAttributes": map[string]any{
			"group": p.Group, "resource": resource, "subresource": subresource, "verb": verb, "namespace": p.Namespace,
		}},
	}}
	res, err := dyn.Resource(ssarGVR).Create(ctx, review, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("check permission to %s %s: %w", verb, p.Resource, err)
	}
	p.Allowed, _, _ = unstructured.NestedBool(res.Object, "status", "allowed")
	p.Reason, _, _ = unstructured.NestedString(res.Object, "status", "reason")
	return nil
}
