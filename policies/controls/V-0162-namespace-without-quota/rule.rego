package armo_builtins

# A complete rule, built once (a partial set would also be read as alerts).
with_quota := {object.get(q.metadata, "namespace", "default") |
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
	msga := {
		"alertMessage": sprintf("namespace %q has no ResourceQuota: its workloads can take all of the cluster's resources", [ns.metadata.name]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [],
		"reviewPaths": [],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [ns]},
	}
}
