package armo_builtins

import data.vigil.workload

critical := {"system-cluster-critical", "system-node-critical"}

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	spec.priorityClassName in critical
	object.get(obj.metadata, "namespace", "") != "kube-system"
	path := concat(".", [workload.prefix[obj.kind], "priorityClassName"])
	msga := {
		"alertMessage": sprintf("%s %s claims the %s priority class outside kube-system", [obj.kind, obj.metadata.name, spec.priorityClassName]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
