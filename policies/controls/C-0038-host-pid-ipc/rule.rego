package armo_builtins

import data.vigil.workload

shared := {
	"hostPID": "process namespace (hostPID)",
	"hostIPC": "IPC namespace (hostIPC)",
}

deny contains msga if {
	some w in workload.input_pods
	flags := [f | some f in ["hostPID", "hostIPC"]; w.spec[f] == true]
	count(flags) > 0
	paths := [concat(".", [w.prefix, f]) | some f in flags]
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " shares the node's ", concat(" and ", [shared[f] | some f in flags])]),
		"alertScore": 7,
		"failedPaths": paths,
		"fixPaths": [{"path": p, "value": "false"} | some p in paths],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}
