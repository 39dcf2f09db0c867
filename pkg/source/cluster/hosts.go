package cluster

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/vigilsec/vigil/pkg/hostsensor"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

// gatherHosts fetches the nodes' host objects from the host sensors. What
// cannot be fetched becomes a note; host rules then see fewer nodes or,
// with none, are skipped for missing host data, never passed.
func (s *Source) gatherHosts(ctx context.Context, cfg *rest.Config, dyn dynamic.Interface, inv *source.Inventory) []*object.Object {
	g, err := hostsensor.Gather(ctx, cfg, dyn, *s.HostSensor)
	if err != nil {
		inv.Notes = append(inv.Notes, source.Note{Message: "host scan: " + err.Error()})
		return nil
	}
	for _, p := range g.Problems {
		inv.Notes = append(inv.Notes, source.Note{Message: "host scan: " + p})
	}
	inv.Notes = append(inv.Notes, source.Note{Message: fmt.Sprintf("host scan: %d of %d nodes answered", len(g.Collections), g.Pods)})
	var out []*object.Object
	for _, col := range g.Collections {
		inv.Notes = append(inv.Notes, nodeNotes(col)...)
		for _, m := range col.Objects {
			o, err := hostObject(m)
			if err != nil {
				inv.Notes = append(inv.Notes, source.Note{Message: fmt.Sprintf("host scan: node %s: unusable object: %v", col.Node, err)})
				continue
			}
			out = append(out, o)
		}
	}
	return out
}

// maxNodeNotes bounds the notes kept from one node's sensor.
const maxNodeNotes = 50

// nodeNotes are a node's notes for the report. They are the sensor's own
// words, so they are bounded: one node cannot flood the report.
func nodeNotes(col *hostsensor.Collection) []source.Note {
	var out []source.Note
	for i, n := range col.Notes {
		if i == maxNodeNotes {
			return append(out, source.Note{Message: fmt.Sprintf("host scan: node %s: %d more notes not shown", col.Node, len(col.Notes)-i)})
		}
		out = append(out, source.Note{Message: "host scan: node " + col.Node + ": " + n})
	}
	return out
}

func hostObject(m map[string]any) (*object.Object, error) {
	v, err := ast.InterfaceToValue(m)
	if err != nil {
		return nil, err
	}
	return object.New(v, object.Source{Kind: "host"})
}
