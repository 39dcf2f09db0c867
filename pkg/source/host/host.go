// Package host collects a node's Kubernetes and operating-system
// configuration as host objects (hostdata.kubescape.cloud/v1beta0, the
// shapes of docs/HOST-OBJECTS.md), from the running node or from a
// directory that mirrors one.
package host

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

// APIVersion is the apiVersion of every host object.
const APIVersion = "hostdata.kubescape.cloud/v1beta0"

// Group is the API group of host objects.
const Group = "hostdata.kubescape.cloud"

// Kinds are the host object kinds the collector emits, in emission order.
var Kinds = []string{
	"KubeletInfo", "ControlPlaneInfo", "KubeProxyInfo", "CNIInfo",
	"LinuxKernelVariables", "OsReleaseFile", "KernelVersion",
	"LinuxSecurityHardeningStatus", "OpenPortsList",
}

// NoComponents is the note of a machine that is not a Kubernetes node.
const NoComponents = "no Kubernetes components found"

// Options say what to collect.
type Options struct {
	// Root is the node's filesystem root: "/" on the node itself, or a
	// directory mirroring one ("" means "/").
	Root string
	// NodeName names the objects; by default the kubelet's
	// --hostname-override, else the node's /etc/hostname.
	NodeName string
}

// Collection is what one node gave.
type Collection struct {
	NodeName string
	Layout   string
	// Objects are the host objects as plain JSON values, in Kinds order.
	Objects []map[string]any
	// Notes say what was found, where from, and what is missing.
	Notes []string
	// Components are the Kubernetes components found, with where their
	// command lines came from.
	Components []string
}

// CollectObjects reads the node. It fails only when the root cannot be
// used at all (it does not exist) or ctx is cancelled: whatever the node
// lacks becomes a note.
func CollectObjects(ctx context.Context, opts Options) (*Collection, error) {
	root := opts.Root
	if root == "" {
		root = "/"
	}
	fsys, err := newRootFS(root)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(fsys.root)
	if err != nil {
		return nil, fmt.Errorf("host root: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("host root %s is not a directory", root)
	}
	c := &collector{fs: fsys, procs: fsys.processes()}
	c.lay = detectLayout(fsys, c.procs)
	if c.lay.rancherBinary != "" {
		c.rancher = c.process(c.lay.rancherBinary)
	}
	col := &Collection{Layout: c.lay.name}

	type kindData struct {
		kind string
		data any
	}
	var out []kindData
	var comps []*component
	kubelet, k := c.kubelet()
	comps = append(comps, k)
	if kubelet != nil {
		out = append(out, kindData{"KubeletInfo", kubelet})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cp, cpComps := c.controlPlane()
	comps = append(comps, cpComps...)
	if cp != nil {
		out = append(out, kindData{"ControlPlaneInfo", cp})
	}
	proxy, kp := c.kubeProxy()
	comps = append(comps, kp)
	if proxy != nil {
		out = append(out, kindData{"KubeProxyInfo", proxy})
	}
	if cni := c.cni(); cni != nil {
		out = append(out, kindData{"CNIInfo", cni})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if kv := c.kernelVariables(); len(kv) > 0 {
		out = append(out, kindData{"LinuxKernelVariables", kv})
	}
	if s, ok := c.osRelease(); ok {
		out = append(out, kindData{"OsReleaseFile", s})
	}
	if s, ok := c.kernelVersion(); ok {
		out = append(out, kindData{"KernelVersion", s})
	}
	out = append(out, kindData{"LinuxSecurityHardeningStatus", c.hardening()})
	if ports, ok := c.openPorts(); ok {
		out = append(out, kindData{"OpenPortsList", ports})
	}

	col.NodeName = c.nodeName(opts.NodeName, root, k)
	for _, kd := range out {
		col.Objects = append(col.Objects, map[string]any{
			"apiVersion": APIVersion,
			"kind":       kd.kind,
			"metadata":   map[string]any{"name": col.NodeName},
			"data":       kd.data,
		})
	}

	for _, comp := range comps {
		if comp.found {
			col.Components = append(col.Components, comp.name+" ("+comp.source+")")
		}
	}
	if len(col.Components) == 0 && kubelet == nil && proxy == nil {
		col.Notes = append(col.Notes, fmt.Sprintf("%s under %s (no kubelet, control-plane or kube-proxy process, static-pod manifest or distribution files): only operating-system objects were collected", NoComponents, root))
	} else {
		col.Notes = append(col.Notes, "layout: "+c.lay.name)
		if len(col.Components) > 0 {
			col.Notes = append(col.Notes, "found: "+strings.Join(col.Components, ", "))
		} else {
			col.Notes = append(col.Notes, "found component files but no running component or manifest")
		}
	}
	col.Notes = append(col.Notes, c.notes...)
	col.Notes = append(col.Notes, fsys.notes...)
	return col, nil
}

// nodeName picks the objects' name (see docs/HOST-OBJECTS.md).
func (c *collector) nodeName(given, root string, kubelet *component) string {
	if given != "" {
		return given
	}
	if n := kubelet.flags["hostname-override"]; n != "" {
		return n
	}
	if n, ok := c.fs.readString("/etc/hostname"); ok && n != "" {
		return n
	}
	if filepath.Clean(root) == "/" {
		if n, err := os.Hostname(); err == nil && n != "" {
			return n
		}
	}
	return "node"
}

// Collect reads the node into an inventory for a host scan.
func Collect(ctx context.Context, opts Options) (*source.Inventory, error) {
	col, err := CollectObjects(ctx, opts)
	if err != nil {
		return nil, err
	}
	root := opts.Root
	if root == "" {
		root = "/"
	}
	inv := &source.Inventory{Target: source.TargetHost, Roots: []string{root}}
	for _, n := range col.Notes {
		inv.Notes = append(inv.Notes, source.Note{Message: n})
	}
	objs, err := col.Inventory()
	if err != nil {
		return nil, err
	}
	inv.Objects = objs
	inv.Modes = []source.RootMode{{Path: root, Mode: "host", Marker: "layout " + col.Layout}}
	return inv, nil
}

// Inventory converts the collected objects into scan objects.
func (col *Collection) Inventory() ([]*object.Object, error) {
	var out []*object.Object
	for _, m := range col.Objects {
		v, err := ast.InterfaceToValue(m)
		if err != nil {
			return nil, err
		}
		o, err := object.New(v, object.Source{Kind: "host"})
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// IsHostObject reports whether an object is host data.
func IsHostObject(o *object.Object) bool { return o.ID.Group() == Group }
