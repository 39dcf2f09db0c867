package armo_builtins

import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	spec.hostNetwork == true
	path := concat("", [workload.prefix[obj.kind], ".hostNetwork"])
	msga := {
		"alertMessage": concat("", [obj.kind, "/", obj.metadata.name, " uses the node's network namespace (hostNetwork): it can bind node ports, see node traffic and bypass NetworkPolicies"]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
