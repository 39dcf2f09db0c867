package armo_builtins

import data.vigil.network
import data.vigil.workload

deny contains msga if {
	some w in input
	workload.is_workload(w)
	ns := network.namespace(w)
	count(network.namespace_isolation(ns)) == 0
	not network.host_network(w)
	count(network.labelled_policies(ns, network.pod_labels(w))) == 0
	msga := network.make(
		w,
		sprintf("%s is selected by no NetworkPolicy: %s", [network.where(w), _why(ns)]),
		5,
		{},
		[],
	)
}

deny contains msga if {
	some w in input
	workload.is_workload(w)
	network.host_network(w)
	path := concat("", [workload.prefix[w.kind], ".hostNetwork"])
	msga := network.make(
		w,
		sprintf("%s runs on the host network, where NetworkPolicies do not apply", [network.where(w)]),
		5,
		{"failed": [path]},
		[],
	)
}

_why(ns) := sprintf("namespace %q has NetworkPolicies, but none matches its pod labels", [ns]) if {
	network.namespace_has_policies(ns)
} else := sprintf("namespace %q has no NetworkPolicy", [ns])
