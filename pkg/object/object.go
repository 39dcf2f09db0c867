// Package object is Vigil's model of a Kubernetes object under evaluation:
// its content as a Rego value, its identity, where it came from, and an index
// from JSON paths to source positions.
package object

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Identity names an object the way the Kubernetes API does.
type Identity struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// Group returns the API group of the identity's apiVersion ("" for core).
func (id Identity) Group() string {
	g, _ := SplitAPIVersion(id.APIVersion)
	return g
}

// Version returns the version part of the identity's apiVersion.
func (id Identity) Version() string {
	_, v := SplitAPIVersion(id.APIVersion)
	return v
}

// String renders the identity as kind/namespace/name, the short form used
// in messages and test expectations.
func (id Identity) String() string {
	return id.Kind + "/" + id.Namespace + "/" + id.Name
}

// SplitAPIVersion splits "apps/v1" into ("apps", "v1") and "v1" into ("", "v1").
func SplitAPIVersion(apiVersion string) (group, version string) {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i], apiVersion[i+1:]
	}
	return "", apiVersion
}

// Source tells where an object was read from.
type Source struct {
	// Path is the file the object was read from, as the user named it
	// (relative paths stay relative). Empty for stdin and cluster objects.
	Path string `json:"path,omitempty"`
	// Document is the zero-based index of the YAML document in the file.
	Document int `json:"document"`
	// Line is the 1-based line where the object starts.
	Line int `json:"line,omitempty"`
	// Kind of source: "file", "stdin", "cluster", "helm", "kustomize", "synthetic".
	Kind string `json:"kind,omitempty"`
	// Root is the chart, kustomization directory or repository the object
	// was rendered from; objects of two renderings of one template differ
	// by it.
	Root string `json:"root,omitempty"`
	// SHA256 is the hex SHA-256 of Path's content as it was read, so that
	// `vigil fix` can refuse to edit a file that changed since the scan.
	SHA256 string `json:"sha256,omitempty"`
	// Files maps the other files a rendered object's origins name (values
	// files, templates, patches, bases) to their SHA-256, for the same
	// reason. Objects of one rendering may share the map: it is read-only.
	Files map[string]string `json:"files,omitempty"`
}

// Object is one Kubernetes (or Kubernetes-shaped) object. It is built once and
// then shared read-only by every rule evaluation.
type Object struct {
	ID     Identity
	Source Source
	// Value is the object as a Rego value, built once at load time.
	Value ast.Value
	// Positions maps JSON paths within the object to source positions.
	// It is nil for objects that have no textual source.
	Positions *Positions
	// Origins, for rendered objects (Helm, Kustomize), traces each path to
	// the file a user edits: a template line, a values key, a base or a
	// patch. Nil for plain manifests, whose Positions say it all.
	Origins OriginIndex
	// Labels and Annotations are copied out of metadata for filters and
	// exceptions, so they need no Rego value walk.
	Labels      map[string]string
	Annotations map[string]string
	// Replicas weights the object in the risk score (1 when unset).
	Replicas int
	// Synthetic objects (RBAC subject vectors, cluster facts) are made by
	// Vigil rather than read from a source.
	Synthetic bool
	// Related holds, for synthetic objects, the objects they were built from.
	Related []*Object
}

// New builds an object from a Rego value, extracting identity and metadata.
func New(v ast.Value, src Source) (*Object, error) {
	obj, ok := v.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("object is a %s, not a map", ast.ValueName(v))
	}
	o := &Object{Value: v, Source: src, Replicas: 1}
	o.ID.APIVersion = stringAt(obj, "apiVersion")
	o.ID.Kind = stringAt(obj, "kind")
	if md := obj.Get(ast.InternedTerm("metadata")); md != nil {
		if m, ok := md.Value.(ast.Object); ok {
			o.ID.Name = stringAt(m, "name")
			if o.ID.Name == "" {
				o.ID.Name = stringAt(m, "generateName")
			}
			o.ID.Namespace = stringAt(m, "namespace")
			o.Labels = stringMapAt(m, "labels")
			o.Annotations = stringMapAt(m, "annotations")
		}
	}
	if o.ID.APIVersion == "" || o.ID.Kind == "" {
		return nil, fmt.Errorf("object has no apiVersion or kind")
	}
	if spec := obj.Get(ast.InternedTerm("spec")); spec != nil {
		if s, ok := spec.Value.(ast.Object); ok {
			if r := s.Get(ast.InternedTerm("replicas")); r != nil {
				if n, ok := r.Value.(ast.Number); ok {
					if i, ok := n.Int(); ok && i > 0 {
						o.Replicas = i
					}
				}
			}
		}
	}
	return o, nil
}

// Key is the identity used to attribute rule alerts back to inputs: API
// group, kind, namespace and name. The version is left out because rules
// often rebuild objects with a different or missing apiVersion.
func (o *Object) Key() string { return KeyOf(o.ID.Group(), o.ID.Kind, o.ID.Namespace, o.ID.Name) }

// KeyOf builds an attribution key from its parts.
func KeyOf(group, kind, namespace, name string) string {
	return group + "\x00" + kind + "\x00" + namespace + "\x00" + name
}

// ResourceID is the Kubescape-compatible resource identifier. File objects
// are prefixed with a hash of their path so that equal identities in
// different files stay distinct.
func (o *Object) ResourceID() string {
	g, v := SplitAPIVersion(o.ID.APIVersion)
	id := fmt.Sprintf("%s/%s/%s/%s/%s", g, v, o.ID.Namespace, o.ID.Kind, o.ID.Name)
	if o.Source.Path != "" || o.Source.Kind == "stdin" {
		h := fnv.New32a()
		if o.Source.Root != "" {
			h.Write([]byte(o.Source.Root + "\x00"))
		}
		h.Write([]byte(o.Source.Path))
		return fmt.Sprintf("path=%d/api=%s", h.Sum32(), id)
	}
	// An RBAC subject is identified, as in Kubescape, by itself and the
	// roles and bindings it was built from: it never collides with the
	// ServiceAccount object of the same name in a cluster scan.
	if o.Synthetic && len(o.Related) > 0 {
		parts := []string{id}
		for _, r := range o.Related {
			parts = append(parts, r.ResourceID())
		}
		return strings.Join(parts, "/")
	}
	return id
}

// Location returns a human readable location "file:line" or "" if unknown.
func (o *Object) Location() string {
	if o.Source.Path == "" {
		return ""
	}
	if o.Source.Line > 0 {
		return fmt.Sprintf("%s:%d", o.Source.Path, o.Source.Line)
	}
	return o.Source.Path
}

func stringAt(obj ast.Object, key string) string {
	t := obj.Get(ast.InternedTerm(key))
	if t == nil {
		return ""
	}
	if s, ok := t.Value.(ast.String); ok {
		return string(s)
	}
	return ""
}

func stringMapAt(obj ast.Object, key string) map[string]string {
	t := obj.Get(ast.InternedTerm(key))
	if t == nil {
		return nil
	}
	m, ok := t.Value.(ast.Object)
	if !ok || m.Len() == 0 {
		return nil
	}
	out := make(map[string]string, m.Len())
	m.Foreach(func(k, v *ast.Term) {
		ks, ok := k.Value.(ast.String)
		if !ok {
			return
		}
		switch x := v.Value.(type) {
		case ast.String:
			out[string(ks)] = string(x)
		default:
			out[string(ks)] = v.String()
		}
	})
	return out
}
