package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
)

// PathTarget returns the object a finding path points into and the path
// within it. Paths into subject vectors ("relatedObjects[1].rules[0]")
// point into the related object the alert names at that index; other
// paths point into o itself. It fails when the related object is unknown.
func PathTarget(o *object.Object, a *engine.Alert, path string) (*object.Object, string, bool) {
	if !strings.HasPrefix(path, "relatedObjects[") || a == nil {
		return o, path, true
	}
	i, ok := relatedIndex(path)
	if !ok || i >= len(a.Related) {
		return nil, "", false
	}
	target := findRelated(o, a.Related[i].ID)
	if target == nil {
		return nil, "", false
	}
	rest := path[strings.IndexByte(path, ']')+1:]
	return target, strings.TrimPrefix(rest, "."), true
}

// PrimaryPath is the path a finding is best shown at: its first failed
// path, else its first review, delete or fix path, else "". For a subject
// (paths into relatedObjects) the first path into a binding is preferred:
// the binding is what grants the subject its rights, and where it is
// found and fixed.
func PrimaryPath(a *engine.Alert) string {
	var first string
	for _, p := range alertPaths(a) {
		if first == "" {
			first = p
		}
		if i, ok := relatedIndex(p); ok && i < len(a.Related) && strings.HasSuffix(a.Related[i].ID.Kind, "Binding") {
			return p
		}
	}
	return first
}

// alertPaths lists an alert's paths in order of interest.
func alertPaths(a *engine.Alert) []string {
	paths := slices.Concat(a.FailedPaths, a.ReviewPaths, a.DeletePaths)
	for _, f := range a.FixPaths {
		paths = append(paths, f.Path)
	}
	return paths
}

// RelatedPath returns the first path of an alert into its i-th related
// object ("relatedObjects[i]...."), or "".
func RelatedPath(a *engine.Alert, i int) string {
	for _, p := range alertPaths(a) {
		if j, ok := relatedIndex(p); ok && j == i {
			return p
		}
	}
	return ""
}

// relatedIndex parses the index of a "relatedObjects[i]..." path.
func relatedIndex(path string) (int, bool) {
	if !strings.HasPrefix(path, "relatedObjects[") {
		return 0, false
	}
	end := strings.IndexByte(path, ']')
	if end < 0 {
		return 0, false
	}
	i, err := strconv.Atoi(path[len("relatedObjects["):end])
	return i, err == nil && i >= 0
}

// Place is where a finding is shown: a source location, the object whose
// source holds it (the finding's object, or the related object or binding
// the location is in) and the path located within that object.
type Place struct {
	Location
	Object *object.Object
	Path   string
}

// AlertPlace is where a finding is best shown: its primary path in the
// source (or the nearest existing parent of a path a fix would add), else
// where the object starts (for a subject, the binding that grants it).
func AlertPlace(o *object.Object, a *engine.Alert) (Place, bool) {
	if p := PrimaryPath(a); p != "" {
		if loc, ok := Locate(o, a, p); ok {
			target, rel, _ := PathTarget(o, a, p)
			return Place{Location: loc, Object: target, Path: rel}, true
		}
	}
	loc, ok := ObjectLocation(o)
	return Place{Location: loc, Object: objectAt(o)}, ok
}

// objectAt returns the object ObjectLocation shows o at.
func objectAt(o *object.Object) *object.Object {
	if o.Source.Path != "" {
		return o
	}
	for _, r := range o.Related {
		if strings.HasSuffix(r.ID.Kind, "Binding") {
			return objectAt(r)
		}
	}
	return o
}

// PathSegment is one step of a dotted path: a map key, or a list index
// when IsIndex is set.
type PathSegment struct {
	Key     string
	Index   int
	IsIndex bool
}

// SplitPath parses a finding path ("spec.containers[0].image") into
// segments. Keys are separated by dots and never bracketed, as in the rule
// contract; it fails on a malformed index.
func SplitPath(path string) ([]PathSegment, bool) {
	var segs []PathSegment
	for path != "" {
		switch {
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return nil, false
			}
			n, err := strconv.Atoi(path[1:end])
			if err != nil || n < 0 {
				return nil, false
			}
			segs = append(segs, PathSegment{Index: n, IsIndex: true})
			path = strings.TrimPrefix(path[end+1:], ".")
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			segs = append(segs, PathSegment{Key: path[:end]})
			path = strings.TrimPrefix(path[end:], ".")
		}
	}
	return segs, true
}

// ValueAt returns the value at a path of an object ("" is the object).
func ValueAt(o *object.Object, path string) (ast.Value, bool) {
	segs, ok := SplitPath(path)
	if !ok || o.Value == nil {
		return nil, false
	}
	v := o.Value
	for _, s := range segs {
		switch x := v.(type) {
		case ast.Object:
			if s.IsIndex {
				return nil, false
			}
			t := x.Get(ast.StringTerm(s.Key))
			if t == nil {
				return nil, false
			}
			v = t.Value
		case *ast.Array:
			if !s.IsIndex || s.Index >= x.Len() {
				return nil, false
			}
			v = x.Elem(s.Index).Value
		default:
			return nil, false
		}
	}
	return v, true
}
