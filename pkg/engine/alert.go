package engine

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/object"
)

// Keys of the alert contract, made once: looking a key up needs a term.
var (
	termAlertObject    = ast.StringTerm("alertObject")
	termAlertScore     = ast.StringTerm("alertScore")
	termRelatedObjects = ast.StringTerm("relatedObjects")
	termK8sAPIObjects  = ast.StringTerm("k8sApiObjects")
	termExternalObjs   = ast.StringTerm("externalObjects")
	// termRef marks duplicate objects given to relational rules.
	termRef = ast.StringTerm("vigil.dev/ref")
)

// attributor maps the objects an alert names back to the inputs of the
// evaluation that raised it.
type attributor struct {
	byName map[string][]candidate
}

type candidate struct {
	index int
	group string
	// via are the related objects of a subject vector, in the order the
	// rule saw them (paths like relatedObjects[1].rules[0] index them).
	via []*object.Object
}

type target struct {
	index int
	via   []*object.Object
}

func nameKey(kind, namespace, name string) string { return kind + "\x00" + namespace + "\x00" + name }

func (ev *evaluation) newAttributor(inputs []int, aggregated bool) *attributor {
	a := &attributor{byName: make(map[string][]candidate, len(inputs))}
	for _, idx := range inputs {
		if aggregated {
			v := ev.vectors[idx]
			s := ev.objects[v.subject]
			a.byName[v.key] = append(a.byName[v.key], candidate{index: v.subject, group: s.ID.Group(), via: v.related})
			continue
		}
		o := ev.objects[idx]
		k := nameKey(o.ID.Kind, o.ID.Namespace, o.ID.Name)
		a.byName[k] = append(a.byName[k], candidate{index: idx, group: o.ID.Group()})
	}
	return a
}

// parseAlert reads an alert object of the rule contract and resolves the
// objects it names.
func (at *attributor) parseAlert(obj ast.Object) (Alert, []target) {
	a := Alert{
		Message:     str(obj, "alertMessage"),
		RuleStatus:  str(obj, "ruleStatus"),
		FixCommand:  str(obj, "fixCommand"),
		FailedPaths: strs(obj, "failedPaths"),
		ReviewPaths: strs(obj, "reviewPaths"),
		DeletePaths: strs(obj, "deletePaths"),
		FixPaths:    fixPaths(obj),
	}
	if t := obj.Get(termAlertScore); t != nil {
		if n, ok := t.Value.(ast.Number); ok {
			if i, ok := n.Int(); ok {
				a.Score = i
			}
		}
	}
	if t := obj.Get(termRelatedObjects); t != nil {
		if arr, ok := t.Value.(*ast.Array); ok {
			arr.Foreach(func(el *ast.Term) {
				ro, ok := el.Value.(ast.Object)
				if !ok {
					return
				}
				inner, ok := field(ro, "object").(ast.Object)
				if !ok {
					return
				}
				a.Related = append(a.Related, Related{
					ID:          identityOf(inner),
					FailedPaths: strs(ro, "failedPaths"),
					ReviewPaths: strs(ro, "reviewPaths"),
					DeletePaths: strs(ro, "deletePaths"),
					FixPaths:    fixPaths(ro),
				})
			})
		}
	}
	var targets []target
	add := func(t target) {
		for _, x := range targets {
			if x.index == t.index {
				return
			}
		}
		targets = append(targets, t)
	}
	ao, ok := field(obj, "alertObject").(ast.Object)
	if !ok {
		return a, nil
	}
	eachObject(ao.Get(termK8sAPIObjects), func(o ast.Object) {
		for _, t := range at.resolve(o) {
			add(t)
		}
	})
	eachObject(ao.Get(termExternalObjs), func(o ast.Object) {
		for _, t := range at.resolve(o) {
			add(t)
		}
	})
	return a, targets
}

// resolve finds the inputs an alert object names. Equal identities in one
// evaluation (the same object defined twice) are told apart by API group
// and, for subject vectors, by the binding they came through; if still
// ambiguous every candidate is named.
func (at *attributor) resolve(o ast.Object) []target {
	id := identityOf(o)
	cands := at.byName[nameKey(id.Kind, id.Namespace, id.Name)]
	if ref, ok := field(o, "vigil.dev/ref").(ast.Number); ok {
		if i, ok := ref.Int(); ok {
			for _, c := range cands {
				if c.index == i {
					return []target{{index: c.index}}
				}
			}
		}
	}
	if len(cands) <= 1 {
		if len(cands) == 1 {
			return []target{{index: cands[0].index, via: cands[0].via}}
		}
		return nil
	}
	if id.APIVersion != "" {
		var same []candidate
		for _, c := range cands {
			if c.group == id.Group() {
				same = append(same, c)
			}
		}
		if len(same) > 0 {
			cands = same
		}
	}
	if len(cands) > 1 && cands[0].via != nil {
		if rel, ok := field(o, "relatedObjects").(*ast.Array); ok {
			var ids []object.Identity
			rel.Foreach(func(t *ast.Term) {
				if ro, ok := t.Value.(ast.Object); ok {
					ids = append(ids, identityOf(ro))
				}
			})
			for _, c := range cands {
				if sameIdentities(c.via, ids) {
					return []target{{index: c.index, via: c.via}}
				}
			}
		}
	}
	out := make([]target, len(cands))
	for i, c := range cands {
		out[i] = target{index: c.index, via: c.via}
	}
	return out
}

func sameIdentities(objs []*object.Object, ids []object.Identity) bool {
	if len(objs) != len(ids) {
		return false
	}
	for i, o := range objs {
		if o.ID.Kind != ids[i].Kind || o.ID.Name != ids[i].Name || o.ID.Namespace != ids[i].Namespace {
			return false
		}
	}
	return true
}

// viaRelated turns a subject vector's related objects into alert relations.
func viaRelated(via []*object.Object) []Related {
	out := make([]Related, len(via))
	for i, o := range via {
		out[i] = Related{ID: o.ID}
	}
	return out
}

// identityOf reads apiVersion, kind, name and namespace, from metadata or,
// for subject-like objects, from the top level.
func identityOf(o ast.Object) object.Identity {
	id := object.Identity{APIVersion: str(o, "apiVersion"), Kind: str(o, "kind")}
	if md, ok := field(o, "metadata").(ast.Object); ok {
		id.Name = str(md, "name")
		id.Namespace = str(md, "namespace")
	}
	if id.Name == "" {
		id.Name = str(o, "name")
	}
	if id.Namespace == "" {
		id.Namespace = str(o, "namespace")
	}
	return id
}

func eachObject(t *ast.Term, f func(ast.Object)) {
	if t == nil {
		return
	}
	switch v := t.Value.(type) {
	case ast.Object:
		f(v)
	case *ast.Array:
		v.Foreach(func(el *ast.Term) {
			if o, ok := el.Value.(ast.Object); ok {
				f(o)
			}
		})
	case ast.Set:
		v.Foreach(func(el *ast.Term) {
			if o, ok := el.Value.(ast.Object); ok {
				f(o)
			}
		})
	}
}

// keyTerms are the contract's field names as terms, made once: a lookup
// needs a term, and building one per lookup showed in profiles. Read-only.
var keyTerms = func() map[string]*ast.Term {
	m := map[string]*ast.Term{}
	for _, k := range []string{"alertMessage", "ruleStatus", "fixCommand", "failedPaths", "reviewPaths",
		"deletePaths", "fixPaths", "object", "alertObject", "relatedObjects", "apiVersion", "kind",
		"metadata", "name", "namespace", "path", "value", "roleRef", "subjects", "vigil.dev/ref"} {
		m[k] = ast.StringTerm(k)
	}
	return m
}()

func field(o ast.Object, k string) ast.Value {
	kt, ok := keyTerms[k]
	if !ok {
		kt = ast.StringTerm(k)
	}
	t := o.Get(kt)
	if t == nil {
		return nil
	}
	return t.Value
}

func str(o ast.Object, k string) string {
	if s, ok := field(o, k).(ast.String); ok {
		return string(s)
	}
	return ""
}

func strs(o ast.Object, k string) []string {
	var out []string
	switch v := field(o, k).(type) {
	case *ast.Array:
		v.Foreach(func(t *ast.Term) {
			if s, ok := t.Value.(ast.String); ok {
				out = append(out, string(s))
			}
		})
	case ast.Set:
		v.Foreach(func(t *ast.Term) {
			if s, ok := t.Value.(ast.String); ok {
				out = append(out, string(s))
			}
		})
	}
	return out
}

func fixPaths(o ast.Object) []FixPath {
	arr, ok := field(o, "fixPaths").(*ast.Array)
	if !ok {
		return nil
	}
	var out []FixPath
	arr.Foreach(func(t *ast.Term) {
		fo, ok := t.Value.(ast.Object)
		if !ok {
			return
		}
		fp := FixPath{Path: str(fo, "path")}
		switch v := field(fo, "value").(type) {
		case ast.String:
			fp.Value = string(v)
		case nil:
		default:
			fp.Value = v.String()
		}
		if fp.Path != "" {
			out = append(out, fp)
		}
	})
	return out
}
