package armo_builtins

import data.vigil.network
import data.vigil.workload

# Only workloads of namespaces where no policy isolates every pod can fail
# here; network.workloads_by_namespace lists them.
deny contains msga if {
	some ns in network.workload_namespaces
	count(network.namespace_isolation(ns)) == 0
	some w in network.workloads_by_namespace[ns]
	not network.host_network(w)
	count(network.labelled_policies(ns, network.pod_labels(w))) == 0
	msga := {
		"alertMessage": sprintf("%s is selected by no NetworkPolicy: %s", [network.where(w), _why(ns)]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": [],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [],
		"alertObject": {"k8sApiObjects": [w]},
	}
}

deny contains msga if {
	some w in network.host_network_workloads
	path := concat("", [workload.prefix[w.kind], ".hostNetwork"])
	msga := {
		"alertMessage": concat("", [network.where(w), " runs on the host network, where NetworkPolicies do not apply"]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [],
		"alertObject": {"k8sApiObjects": [w]},
	}
}

_why(ns) := sprintf("namespace %q has NetworkPolicies, but none matches its pod labels", [ns]) if {
	network.namespace_has_policies(ns)
} else := sprintf("namespace %q has no NetworkPolicy", [ns])
