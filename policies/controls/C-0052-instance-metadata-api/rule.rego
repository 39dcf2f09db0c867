package armo_builtins

import data.vigil.network
import data.vigil.workload

_ip := "169.254.169.254"

# The egress rules of a policy that let traffic reach the metadata address.
_allowing_rules(p) := [i |
	"Egress" in network.policy_types(p)
	some i, r in network.as_array(object.get(p, ["spec", "egress"], []))
	_peers_allow(r)
	_ports_allow(r)
]

_peers_allow(r) if count(network.as_array(object.get(r, "to", []))) == 0

_peers_allow(r) if {
	some peer in network.as_array(r.to)
	b := peer.ipBlock
	net.cidr_contains(b.cidr, _ip)
	not _excepted(b)
}

_excepted(b) if {
	some e in network.as_array(object.get(b, "except", []))
	net.cidr_contains(e, _ip)
}

_ports_allow(r) if count(network.as_array(object.get(r, "ports", []))) == 0

_ports_allow(r) if {
	some p in network.as_array(r.ports)
	object.get(p, "protocol", "TCP") == "TCP"
	_port_80(p)
}

_port_80(p) if not p.port

_port_80(p) if p.port in {80, "80"}

_port_80(p) if {
	is_number(p.port)
	p.port <= 80
	p.endPort >= 80
}

# Namespaces holding a policy that lets some pods reach the address; in
# the others, a namespace-wide egress isolation settles the question
# without looking at each workload's policies.
_leaky_namespaces := {network.namespace(p) | some p in network.netpols; count(_allowing_rules(p)) > 0}

_safe_namespace(ns) if {
	"Egress" in network.namespace_isolation(ns)
	not ns in _leaky_namespaces
}

# Only workloads of namespaces that are not safe as a whole can fail here;
# network.workloads_by_namespace lists them.
deny contains msga if {
	some ns in network.workload_namespaces
	not _safe_namespace(ns)
	some w in network.workloads_by_namespace[ns]
	not network.host_network(w)
	egress := [p | some p in network.policies_selecting(w); "Egress" in network.policy_types(p)]
	allowing := [[p, rules] | some p in egress; rules := _allowing_rules(p); count(rules) > 0]
	_reachable(egress, allowing)
	related := [{"object": a[0], "failedPaths": [], "reviewPaths": [sprintf("spec.egress[%d]", [i]) | some i in a[1]]} | some a in allowing]
	msga := {
		"alertMessage": sprintf("%s can reach the instance metadata API (%s): %s", [network.where(w), _ip, _why(egress, allowing)]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [r | some r in {x | some x in related}],
		"alertObject": {"k8sApiObjects": [w]},
	}
}

deny contains msga if {
	some w in network.host_network_workloads
	msga := {
		"alertMessage": sprintf("%s runs on the host network and can reach the instance metadata API (%s): NetworkPolicies do not apply to it", [network.where(w), _ip]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [],
		"reviewPaths": [concat("", [workload.prefix[w.kind], ".hostNetwork"])],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [],
		"alertObject": {"k8sApiObjects": [w]},
	}
}

_reachable(egress, _) if count(egress) == 0

_reachable(_, allowing) if count(allowing) > 0

_why(egress, allowing) := "no NetworkPolicy that selects it restricts its egress" if count(egress) == 0

else := sprintf("egress to it is allowed by %s", [concat(", ", [sprintf("NetworkPolicy/%s", [a[0].metadata.name]) | some a in allowing])])
