package armo_builtins

import data.vigil.workload

deny contains msga if {
	some w in workload.input_pods
	w.spec.hostIPC == true
	path := concat("", [w.prefix, ".hostIPC"])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " shares the node's IPC namespace (hostIPC)"]),
		"alertScore": 7,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}
