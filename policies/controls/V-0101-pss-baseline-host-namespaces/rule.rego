package armo_builtins

import data.vigil.workload

# What sharing each namespace gives the pod, for messages.
shares := {
	"hostNetwork": "the node's network namespace",
	"hostPID": "the node's process namespace",
	"hostIPC": "the node's IPC namespace",
}

deny contains msga if {
	some w in workload.input_pods
	some field, what in shares
	w.spec[field] == true
	path := concat("", [w.prefix, ".", field])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " sets ", field, ": true: its pods share ", what]),
		"alertScore": 7,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}
