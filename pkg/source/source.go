// Package source defines what every producer of objects (files, Helm,
// Kustomize, git, cluster, host) hands to the engine: an inventory of
// objects plus an honest account of what could not be read.
package source

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigilsec/vigil/pkg/object"
)

// Source produces the objects of one scan target.
type Source interface {
	Load(ctx context.Context) (*Inventory, error)
}

// Target kinds, as reported in scan metadata and matched against a
// control's scanning scope.
const (
	TargetFile    = "file"
	TargetCluster = "cluster"
	// TargetHost is a node's own configuration (vigil scan host, or files
	// holding only host objects).
	TargetHost = "host"
)

// Inventory is the set of objects a scan judges, with the inputs they came
// from and the problems met while reading them.
type Inventory struct {
	// Target is the kind of scan target (TargetFile, TargetCluster).
	Target string
	// Roots are the paths or names the user asked to scan.
	Roots   []string
	Objects []*object.Object
	// Inputs lists every input read (files), in order.
	Inputs []string
	// Errors are inputs, or parts of inputs, that could not be read.
	Errors []InputError
	// Notes are things worth telling the user that are not errors.
	Notes []Note
	// Modes say how each root was read: a Helm chart rendered, a
	// kustomization built, plain manifest files.
	Modes []RootMode
	// Commits are the last commit touching each file, for repository scans,
	// keyed by the objects' source paths.
	Commits map[string]Commit
	// Unavailable lists the kinds a cluster scan could not list; rules that
	// need them are skipped, never passed.
	Unavailable []Unavailable
	// ClusterName, ServerVersion and CloudProvider describe a scanned
	// cluster.
	ClusterName, ServerVersion, CloudProvider string
}

// Unavailable is a kind that could not be listed, and why.
type Unavailable struct {
	Group     string `json:"group"`
	Version   string `json:"version"`
	Kind      string `json:"kind"`
	Resource  string `json:"resource"`
	Namespace string `json:"namespace,omitempty"`
	Verb      string `json:"verb"`
	Reason    string `json:"reason"`
}

func (u Unavailable) String() string {
	where := "cluster-wide"
	if u.Namespace != "" {
		where = "in namespace " + u.Namespace
	}
	gr := u.Resource
	if u.Group != "" {
		gr += "." + u.Group
	}
	return fmt.Sprintf("cannot %s %s (%s) %s: %s", u.Verb, gr, u.Kind, where, u.Reason)
}

// RootMode is how one root of a scan was read.
type RootMode struct {
	Path string `json:"path"`
	// Mode is "helm", "kustomize" or "files".
	Mode string `json:"mode"`
	// Marker is what decided it (Chart.yaml, kustomization.yaml, a count of files).
	Marker string `json:"marker,omitempty"`
}

// Commit is the last commit that touched a file.
type Commit struct {
	Hash    string    `json:"hash"`
	Author  string    `json:"author"`
	Email   string    `json:"email,omitempty"`
	Date    time.Time `json:"date"`
	Message string    `json:"message"`
	// AtOrBefore is set when history was cut (a shallow clone): the file
	// was last changed at or before this commit.
	AtOrBefore bool `json:"atOrBefore,omitempty"`
}

// InputError is an input that failed to load. Everything else is still
// scanned.
type InputError struct {
	Path   string `json:"path"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

func (e InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Reason)
}

// Note is information about an input that is not an error.
type Note struct {
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

func (n Note) String() string {
	switch {
	case n.Path == "":
		return n.Message
	case n.Line > 0:
		return fmt.Sprintf("%s:%d: %s", n.Path, n.Line, n.Message)
	}
	return fmt.Sprintf("%s: %s", n.Path, n.Message)
}

// NamespaceFilter keeps objects by the namespace they land in. Cluster-scoped
// objects are always kept, except Namespace objects, which are judged by
// their own name.
type NamespaceFilter struct {
	Include []string
	Exclude []string
}

// Keep reports whether the filter keeps the object.
func (f NamespaceFilter) Keep(o *object.Object) bool {
	ns := o.EffectiveNamespace()
	if ns == "" {
		return true
	}
	if len(f.Include) > 0 && !slices.Contains(f.Include, ns) {
		return false
	}
	return !slices.Contains(f.Exclude, ns)
}

// Filter drops the objects the filter does not keep.
func (inv *Inventory) Filter(f NamespaceFilter) {
	if len(f.Include) == 0 && len(f.Exclude) == 0 {
		return
	}
	inv.Objects = slices.DeleteFunc(inv.Objects, func(o *object.Object) bool { return !f.Keep(o) })
}

// NoteDuplicates adds a note for every object identity defined more than
// once: each definition is judged on its own, but a person should know.
func (inv *Inventory) NoteDuplicates() {
	where := map[object.Identity][]string{}
	var order []object.Identity
	for _, o := range inv.Objects {
		id := o.ID
		id.APIVersion = o.ID.Group()
		if _, seen := where[id]; !seen {
			order = append(order, id)
		}
		where[id] = append(where[id], o.Location())
	}
	for _, id := range order {
		if locs := where[id]; len(locs) > 1 {
			inv.Notes = append(inv.Notes, Note{Message: fmt.Sprintf("%s is defined %d times (%s): each definition is judged separately",
				id.String(), len(locs), strings.Join(locs, ", "))})
		}
	}
}
