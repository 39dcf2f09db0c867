package armo_builtins

import data.vigil.workload

deny contains msga if {
	some w in workload.input_pods
	w.spec.hostPID == true
	path := concat("", [w.prefix, ".hostPID"])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " shares the node's process namespace (hostPID)"]),
		"alertScore": 7,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}
