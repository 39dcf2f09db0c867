package engine

import (
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/object"
)

// subjectVector is one (binding, subject) pair in the shape the
// subject-role-rolebinding aggregator gives rules: the subject's own fields
// plus relatedObjects = [role, binding] (just [binding] when the role is
// not among the scanned objects, e.g. the built-in cluster-admin).
type subjectVector struct {
	value   ast.Value
	subject int // index of the synthetic subject object
	related []*object.Object
	// key identifies the vector as rules return it (its own kind,
	// namespace and name fields), which for a service account named
	// without a namespace differs from the subject's identity.
	key string
}

const rbacGroup = "rbac.authorization.k8s.io"

// buildSubjects makes one vector per binding subject and one synthetic
// object per distinct subject; RBAC controls judge subjects.
func (ev *evaluation) buildSubjects() {
	roles := map[string]*object.Object{}
	var bindings []*object.Object
	for _, o := range ev.objects {
		if o.ID.Group() != rbacGroup || o.Synthetic {
			continue
		}
		switch o.ID.Kind {
		case "Role":
			roles["Role\x00"+o.ID.Namespace+"\x00"+o.ID.Name] = o
		case "ClusterRole":
			roles["ClusterRole\x00\x00"+o.ID.Name] = o
		case "RoleBinding", "ClusterRoleBinding":
			bindings = append(bindings, o)
		}
	}
	subjects := map[string]int{}
	for _, b := range bindings {
		bv := b.Value.(ast.Object)
		var role *object.Object
		if rr, ok := field(bv, "roleRef").(ast.Object); ok {
			kind, name := str(rr, "kind"), str(rr, "name")
			ns := ""
			if kind == "Role" {
				ns = b.ID.Namespace
			}
			role = roles[kind+"\x00"+ns+"\x00"+name]
		}
		subs, ok := field(bv, "subjects").(*ast.Array)
		if !ok {
			continue
		}
		subs.Foreach(func(st *ast.Term) {
			so, ok := st.Value.(ast.Object)
			if !ok {
				return
			}
			kind, name, ns := str(so, "kind"), str(so, "name"), str(so, "namespace")
			if kind == "" || name == "" {
				return
			}
			vecKey := nameKey(kind, ns, name)
			if kind == "ServiceAccount" && ns == "" {
				// The API server reads a service account subject without a
				// namespace as one in the binding's namespace.
				ns = b.ID.Namespace
			}
			apiVersion := rbacGroup + "/v1"
			if kind == "ServiceAccount" {
				apiVersion = "v1"
			}
			key := nameKey(kind, ns, name)
			idx, ok := subjects[key]
			if !ok {
				subj := &object.Object{
					ID:        object.Identity{APIVersion: apiVersion, Kind: kind, Namespace: ns, Name: name},
					Value:     so,
					Synthetic: true,
					Replicas:  1,
					Source:    object.Source{Kind: "synthetic"},
				}
				idx = len(ev.objects)
				ev.objects = append(ev.objects, subj)
				subjects[key] = idx
			}
			var related []*object.Object
			if role != nil {
				related = append(related, role)
			}
			related = append(related, b)
			subj := ev.objects[idx]
			for _, r := range related {
				if !containsObject(subj.Related, r) {
					subj.Related = append(subj.Related, r)
				}
			}
			vec := so.Copy()
			terms := make([]*ast.Term, len(related))
			for i, r := range related {
				terms[i] = ast.NewTerm(r.Value)
			}
			vec.Insert(ast.StringTerm("relatedObjects"), ast.ArrayTerm(terms...))
			ev.vectors = append(ev.vectors, subjectVector{value: vec, subject: idx, related: related, key: vecKey})
		})
	}
}

func containsObject(list []*object.Object, o *object.Object) bool {
	for _, x := range list {
		if x == o {
			return true
		}
	}
	return false
}

// vectorSubjects returns the distinct subjects of the given vectors.
func (ev *evaluation) vectorSubjects(vectors []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, v := range vectors {
		s := ev.vectors[v].subject
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Ints(out)
	return out
}
