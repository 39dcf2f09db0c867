package fix

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/vigilsec/vigil/pkg/object"
)

// The subset of a Vigil JSON report the planner reads. Only fields Vigil
// writes are used; a Kubescape report lacks the source positions and
// hashes, and its fixes are refused for that reason.
type reportDoc struct {
	Resources []struct {
		ResourceID string `json:"resourceID"`
		Object     struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
			// RBAC subjects name themselves at the top level.
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"object"`
		Source *struct {
			Vigil *sourceInfo `json:"vigil"`
		} `json:"source"`
	} `json:"resources"`
	Results []struct {
		ResourceID string `json:"resourceID"`
		Controls   []struct {
			ControlID string `json:"controlID"`
			Status    struct {
				Status string `json:"status"`
			} `json:"status"`
			Rules []struct {
				Paths []pathEntry `json:"paths"`
			} `json:"rules"`
		} `json:"controls"`
	} `json:"results"`
	Vigil struct {
		Target struct {
			Kind  string   `json:"kind"`
			Roots []string `json:"roots"`
		} `json:"target"`
	} `json:"vigil"`
}

type sourceInfo struct {
	File     string            `json:"file"`
	Line     int               `json:"line"`
	Document int               `json:"document"`
	Kind     string            `json:"kind"`
	Root     string            `json:"root"`
	SHA256   string            `json:"sha256"`
	Files    map[string]string `json:"files"`
}

type pathEntry struct {
	ReviewPath string `json:"reviewPath"`
	DeletePath string `json:"deletePath"`
	FixPath    *struct {
		Path  string `json:"path"`
		Value string `json:"value"`
	} `json:"fixPath"`
	Location *location `json:"location"`
}

type location struct {
	File    string          `json:"file"`
	Line    int             `json:"line"`
	Column  int             `json:"column"`
	Exact   bool            `json:"exact"`
	Found   string          `json:"foundPath"`
	Origins []object.Origin `json:"origins"`
}

// resource is a scanned object as the planner needs it.
type resource struct {
	id     string
	name   string // Kind/namespace/name, for messages
	ident  identity
	source *sourceInfo
}

type identity struct{ apiVersion, kind, namespace, name string }

// Report is a scan report read for fixing.
type Report struct {
	doc       reportDoc
	resources map[string]*resource
	// hashes are the content hashes of every source file the report
	// records, for fixes of RBAC subjects, which go to their bindings.
	hashes map[string]string
	// Roots are the scanned roots the report records.
	Roots []string
}

// ReadReport decodes a Vigil JSON report.
func ReadReport(r io.Reader) (*Report, error) {
	var rep Report
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rep.doc); err != nil {
		return nil, fmt.Errorf("read the report: %w", err)
	}
	if rep.doc.Resources == nil && rep.doc.Results == nil {
		return nil, fmt.Errorf("read the report: no resources or results (is it a JSON scan report?)")
	}
	rep.Roots = rep.doc.Vigil.Target.Roots
	rep.resources = make(map[string]*resource, len(rep.doc.Resources))
	rep.hashes = map[string]string{}
	for _, r := range rep.doc.Resources {
		o := r.Object
		res := &resource{
			id:    r.ResourceID,
			name:  o.Kind + "/" + o.Metadata.Namespace + "/" + o.Metadata.Name,
			ident: identity{o.APIVersion, o.Kind, o.Metadata.Namespace, o.Metadata.Name},
		}
		if o.Metadata.Name == "" && o.Name != "" {
			res.name = o.Kind + "/" + o.Namespace + "/" + o.Name + " (subject)"
		}
		if r.Source != nil && r.Source.Vigil != nil {
			res.source = r.Source.Vigil
			if s := res.source; s.SHA256 != "" {
				rep.hashes[s.File] = s.SHA256
			}
			for f, sum := range res.source.Files {
				rep.hashes[f] = sum
			}
		}
		rep.resources[r.ResourceID] = res
	}
	return &rep, nil
}
