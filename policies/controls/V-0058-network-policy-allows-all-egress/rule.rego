package armo_builtins

import data.vigil.network

deny contains msga if {
	some p in input
	p.kind == "NetworkPolicy"
	network.selects_all(network.pod_selector(p))
	"Egress" in network.policy_types(p)
	paths := [x |
		some i, r in network.as_array(object.get(p, ["spec", "egress"], []))
		some x in network.open_rule_paths(r, sprintf("spec.egress[%d]", [i]), "to")
	]
	count(paths) > 0
	msga := network.make(
		p,
		sprintf("%s lets every pod of the namespace connect to any address on any port: other egress restrictions of the namespace have no effect", [network.where(p)]),
		3,
		{"failed": paths},
		[],
	)
}
