package armo_builtins

import data.vigil.network

deny contains msga if {
	some ing in input
	ing.kind == "Ingress"
	ns := network.namespace(ing)
	ns in network.service_namespaces
	missing := [b |
		some b in network.ingress_backends(ing)
		not network.service_key(ns, b.name) in network.service_names
	]
	count(missing) > 0
	msga := network.make(
		ing,
		sprintf("%s routes to Service(s) %s, which do not exist in namespace %q", [
			network.where(ing),
			concat(", ", {b.name | some b in missing}),
			ns,
		]),
		2,
		{"failed": [b.path | some b in missing]},
		[],
	)
}
