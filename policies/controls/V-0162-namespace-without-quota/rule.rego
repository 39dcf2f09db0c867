package armo_builtins

import data.vigil.alert

with_quota contains object.get(q.metadata, "namespace", "default") if {
	some q in input
	q.kind == "ResourceQuota"
}

# The platform's own namespaces are sized by the cluster operator.
system_namespace(name) if startswith(name, "kube-")

deny contains msga if {
	some ns in input
	ns.kind == "Namespace"
	not ns.metadata.name in with_quota
	not system_namespace(ns.metadata.name)
	msga := alert.review(
		ns,
		sprintf("namespace %q has no ResourceQuota: its workloads can take all of the cluster's resources", [ns.metadata.name]),
		3,
		[],
	)
}
