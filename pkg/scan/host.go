package scan

import (
	"context"

	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/host"
)

// HostOptions say which node a host scan collects.
type HostOptions struct {
	// Root is the node's filesystem root ("/" or a mirror of a node).
	Root     string
	NodeName string
}

func loadHost(ctx context.Context, h *HostOptions) (*source.Inventory, error) {
	return host.Collect(ctx, host.Options{Root: h.Root, NodeName: h.NodeName})
}

// retargetHostFiles makes a file scan whose objects are all host objects
// (a saved `vigil host collect`) a host scan, so host-only controls apply
// to it as they would on the node. Mixed inputs stay file scans.
func retargetHostFiles(inv *source.Inventory) {
	if inv.Target != source.TargetFile || len(inv.Objects) == 0 {
		return
	}
	for _, o := range inv.Objects {
		if !host.IsHostObject(o) {
			return
		}
	}
	inv.Target = source.TargetHost
}
