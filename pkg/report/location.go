package report

import (
	"strings"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
)

// Location is where a path of a finding is in a source file.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Exact is false when the path does not exist in the file (a field a
	// fix would add) and the location is its nearest existing parent.
	Exact bool `json:"exact"`
	// Found is the path that was located.
	Found string `json:"foundPath,omitempty"`
	// Origins, for rendered objects, are every place that shaped the
	// value, most specific first: the values key that set it, then the
	// template line that used it (Helm), or the patch and the base
	// (Kustomize). The location itself is the first one with a line.
	Origins []object.Origin `json:"origins,omitempty"`
}

// Locate resolves a finding path of an object to a file position. Paths
// into subject vectors ("relatedObjects[1].rules[0]") resolve inside the
// related object the alert names at that index.
func Locate(o *object.Object, a *engine.Alert, path string) (Location, bool) {
	target, rest, ok := PathTarget(o, a, path)
	if !ok {
		return Location{}, false
	}
	return locateIn(target, rest)
}

func locateIn(o *object.Object, path string) (Location, bool) {
	if o.Origins != nil {
		if ogs, found, ok := object.ResolveOrigins(o.Origins, path); ok {
			for _, og := range ogs {
				// Values set on the command line have no file to point at;
				// they stay in Origins with the flag in Detail.
				if og.File != "" && og.Line > 0 {
					return Location{File: og.File, Line: og.Line, Column: og.Column,
						Exact: og.Exact && found == path, Found: found, Origins: ogs}, true
				}
			}
		}
	}
	if o.Positions == nil || o.Source.Path == "" {
		return Location{}, false
	}
	pos, found, ok := o.Positions.Resolve(path)
	if !ok {
		return Location{}, false
	}
	return Location{File: o.Source.Path, Line: pos.Line, Column: pos.Column, Exact: found == path, Found: found}, true
}

// ObjectLocation is where an object starts.
func ObjectLocation(o *object.Object) (Location, bool) {
	if o.Source.Path == "" {
		if len(o.Related) > 0 {
			// A subject is best shown at the binding that grants it.
			for _, r := range o.Related {
				if strings.HasSuffix(r.ID.Kind, "Binding") {
					return ObjectLocation(r)
				}
			}
		}
		return Location{}, false
	}
	if l, ok := locateIn(o, ""); ok {
		return l, true
	}
	return Location{File: o.Source.Path, Line: max(o.Source.Line, 1), Column: 1, Exact: true}, true
}

func findRelated(o *object.Object, id object.Identity) *object.Object {
	for _, r := range o.Related {
		if r.ID.Kind == id.Kind && r.ID.Name == id.Name && r.ID.Namespace == id.Namespace {
			return r
		}
	}
	return nil
}
