package armo_builtins

import data.vigil.network

_with_policies := {network.namespace(p) | some p in network.netpols}

deny contains msga if {
	some ns in input
	ns.kind == "Namespace"
	not ns.metadata.name in _with_policies
	msga := network.make(
		ns,
		sprintf("namespace %q holds no NetworkPolicy: its pods are not isolated from the rest of the cluster", [ns.metadata.name]),
		4,
		{},
		[],
	)
}
