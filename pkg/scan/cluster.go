package scan

import (
	"context"
	"slices"
	"sort"

	"github.com/vigilsec/vigil/pkg/hostsensor"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/cluster"
)

// ClusterOptions say which cluster to scan and how to list it.
type ClusterOptions struct {
	Kubeconfig    string
	Context       string
	LabelSelector string
	PageSize      int64
	Concurrency   int
	Getenv        func(string) string
	// HostSensor, when set, adds host objects from the host sensor
	// DaemonSet (--host-scan).
	HostSensor *hostsensor.GatherOptions
}

// Kinds of data that no cluster LIST returns (host scanner and cloud
// descriptions, Vigil's own facts object).
var notListed = map[string]bool{"hostdata.kubescape.cloud": true, "vigil.dev": true}

// neededKinds is every kind the selected controls' rules match: the only
// kinds a cluster scan lists.
func neededKinds(controls []*policy.Control) []cluster.Kind {
	byKind := map[string][]string{}
	for _, c := range controls {
		// A control for file scans only is not evaluated on a cluster:
		// listing for it would be wasted (and "*" would list everything).
		if !c.ScanningScope.Allows(source.TargetCluster) {
			continue
		}
		for _, r := range c.Rules {
			for _, m := range r.Matches() {
				for _, k := range m.Resources {
					for _, g := range m.APIGroups {
						if notListed[g] || slices.Contains(byKind[k], g) {
							continue
						}
						byKind[k] = append(byKind[k], g)
					}
				}
			}
		}
	}
	var out []cluster.Kind
	for k, groups := range byKind {
		sort.Strings(groups)
		out = append(out, cluster.Kind{Kind: k, Groups: groups})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

func clusterSource(opts Options, controls []*policy.Control) *cluster.Source {
	c := opts.Cluster
	return &cluster.Source{Options: cluster.Options{
		Kubeconfig: c.Kubeconfig, Context: c.Context, Kinds: neededKinds(controls),
		Namespaces: opts.Namespaces, LabelSelector: c.LabelSelector, PageSize: c.PageSize,
		Concurrency: c.Concurrency, Getenv: c.Getenv, HostSensor: c.HostSensor,
	}}
}

// CheckPermissions reports, without listing anything, whether the user may
// list what a cluster scan of the selected controls needs.
func CheckPermissions(ctx context.Context, opts Options) ([]cluster.Permission, string, error) {
	pols, err := LoadPolicies(opts.PolicyOptions)
	if err != nil {
		return nil, "", &UsageError{err}
	}
	sel, err := pols.Select(opts.Frameworks, opts.Controls, opts.ExcludeControls)
	if err != nil {
		return nil, "", &UsageError{err}
	}
	src := clusterSource(opts, sel.Controls)
	perms, err := src.CheckPermissions(ctx)
	return perms, src.ClusterName, err
}
