package armo_builtins

import data.vigil.network

deny contains msga if {
	some svc in input
	svc.kind == "Service"
	svc.spec.type == "NodePort"
	msga := network.make(
		svc,
		sprintf("%s is of type NodePort: its ports are opened on every node of the cluster", [network.where(svc)]),
		4,
		{"failed": ["spec.type"]},
		[],
	)
}
