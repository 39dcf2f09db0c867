package armo_builtins

import data.vigil.network
import data.vigil.workload

# A workload passes when some policy that selects it isolates ingress and
# some (possibly other) policy that selects it isolates egress.
deny contains msga if {
	some w in input
	workload.is_workload(w)
	ns := network.namespace(w)
	count(network.namespace_isolation(ns)) < 2
	not network.host_network(w)
	policies := network.policies_selecting(w)
	covered := {t | some p in policies; some t in network.policy_types(p)}
	missing := [d | some d in ["Ingress", "Egress"]; not d in covered]
	count(missing) > 0
	msga := network.make(
		w,
		sprintf("%s: %s", [network.where(w), _what(missing, policies)]),
		6,
		{},
		[{"object": p, "failedPaths": [], "reviewPaths": ["spec.policyTypes"]} | some p in policies],
	)
}

deny contains msga if {
	some w in input
	workload.is_workload(w)
	network.host_network(w)
	path := concat("", [workload.prefix[w.kind], ".hostNetwork"])
	msga := network.make(
		w,
		sprintf("%s runs on the host network, where NetworkPolicies do not apply: its traffic cannot be restricted", [network.where(w)]),
		6,
		{"failed": [path]},
		[],
	)
}

_what(missing, policies) := "no NetworkPolicy selects its pods, so neither ingress nor egress is restricted" if {
	count(policies) == 0
} else := sprintf("%s traffic is not restricted: the NetworkPolicies that select its pods (%s) do not isolate %s", [
	lower(concat(" and ", missing)),
	concat(", ", [p.metadata.name | some p in policies]),
	lower(concat(" or ", missing)),
])
