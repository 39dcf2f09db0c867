package armo_builtins

import data.vigil.network
import data.vigil.workload

# A workload passes when some policy that selects it isolates ingress and
# some (possibly other) policy that selects it isolates egress. Only
# workloads of namespaces where policies do not isolate both directions for
# every pod can fail; network.workloads_by_namespace lists them.
deny contains msga if {
	some ns in network.workload_namespaces
	count(network.namespace_isolation(ns)) < 2
	some w in network.workloads_by_namespace[ns]
	not network.host_network(w)
	policies := network.policies_selecting(w)
	covered := {t | some p in policies; some t in network.policy_types(p)}
	missing := [d | some d in ["Ingress", "Egress"]; not d in covered]
	count(missing) > 0
	msga := {
		"alertMessage": sprintf("%s: %s", [network.where(w), _what(missing, policies)]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": [],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [r | some r in {{"object": p, "failedPaths": [], "reviewPaths": ["spec.policyTypes"]} | some p in policies}],
		"alertObject": {"k8sApiObjects": [w]},
	}
}

deny contains msga if {
	some w in network.host_network_workloads
	path := concat("", [workload.prefix[w.kind], ".hostNetwork"])
	msga := {
		"alertMessage": concat("", [network.where(w), " runs on the host network, where NetworkPolicies do not apply: its traffic cannot be restricted"]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [],
		"alertObject": {"k8sApiObjects": [w]},
	}
}

_what(missing, policies) := "no NetworkPolicy selects its pods, so neither ingress nor egress is restricted" if {
	count(policies) == 0
} else := sprintf("%s traffic is not restricted: the NetworkPolicies that select its pods (%s) do not isolate %s", [
	lower(concat(" and ", missing)),
	concat(", ", [p.metadata.name | some p in policies]),
	lower(concat(" or ", missing)),
])
