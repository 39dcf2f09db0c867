package armo_builtins

import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	spec.hostIPC == true
	path := concat("", [workload.prefix[obj.kind], ".hostIPC"])
	msga := {
		"alertMessage": concat("", [obj.kind, "/", obj.metadata.name, " shares the node's IPC namespace (hostIPC)"]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
