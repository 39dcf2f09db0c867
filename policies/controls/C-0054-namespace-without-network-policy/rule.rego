package armo_builtins

import data.vigil.alert

# Namespaces that hold at least one NetworkPolicy (a policy with no
# namespace lands in "default").
covered contains ns if {
	some p in input
	p.kind == "NetworkPolicy"
	ns := object.get(p.metadata, "namespace", "default")
}

deny contains msga if {
	some ns in input
	ns.kind == "Namespace"
	not ns.metadata.name in covered
	not startswith(ns.metadata.name, "kube-")
	msga := alert.review(
		ns,
		sprintf("namespace %q has no NetworkPolicy: its pods accept traffic from anywhere in the cluster", [ns.metadata.name]),
		4,
		[],
	)
}
