package armo_builtins

import data.vigil.network

deny contains msga if {
	some p in input
	p.kind == "NetworkPolicy"
	network.selects_all(network.pod_selector(p))
	"Ingress" in network.policy_types(p)
	paths := [x |
		some i, r in network.as_array(object.get(p, ["spec", "ingress"], []))
		some x in network.open_rule_paths(r, sprintf("spec.ingress[%d]", [i]), "from")
	]
	count(paths) > 0
	msga := network.make(
		p,
		sprintf("%s selects every pod of the namespace and accepts traffic from any source on any port: other ingress restrictions of the namespace have no effect", [network.where(p)]),
		5,
		{"failed": paths},
		[],
	)
}
