package policy

// HostDataGroup is the API group of host scanner objects
// (hostdata.kubescape.cloud/v1beta0 KubeletInfo, ControlPlaneInfo, ...).
const HostDataGroup = "hostdata.kubescape.cloud"

// HostOnly reports whether every rule of the control judges host data
// only. Such a control means nothing to manifests, whatever scope it
// declares (Kubescape's host-sensor controls say "cluster"), and everything
// to a node.
func (c *Control) HostOnly() bool {
	if len(c.Rules) == 0 {
		return false
	}
	for _, r := range c.Rules {
		ms := r.Matches()
		if len(ms) == 0 {
			return false
		}
		for _, m := range ms {
			if len(m.APIGroups) == 0 {
				return false
			}
			for _, g := range m.APIGroups {
				if g != HostDataGroup {
					return false
				}
			}
		}
	}
	return true
}

// AppliesTo reports whether the control is evaluated on a scan target
// ("file", "cluster", "host"). Host-only controls apply to host scans and
// to cluster scans (which judge host data when the node sensors send it,
// and otherwise skip them for lack of it), never to manifests. Other
// controls apply where their scope says, and a host scan holds no
// manifests, so only controls naming "host" apply to it.
func (c *Control) AppliesTo(target string) bool {
	if c.HostOnly() {
		return target != "file"
	}
	return c.ScanningScope.Allows(target)
}
