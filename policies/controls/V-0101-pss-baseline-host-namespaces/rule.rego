package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# What sharing each namespace gives the pod, for messages.
shares := {
	"hostNetwork": "the node's network namespace",
	"hostPID": "the node's process namespace",
	"hostIPC": "the node's IPC namespace",
}

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some field, what in shares
	spec[field] == true
	path := pss.pod_path(obj, concat("", [".", field]))
	msga := alert.make(
		obj,
		sprintf("%s sets %s: true: its pods share %s", [alert.name(obj), field, what]),
		7,
		[path],
		[{"path": path, "value": "false"}],
	)
}
