package armo_builtins

import data.vigil.workload

shared := {
	"hostPID": "process namespace (hostPID)",
	"hostIPC": "IPC namespace (hostIPC)",
}

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	flags := [f | some f in ["hostPID", "hostIPC"]; spec[f] == true]
	count(flags) > 0
	paths := [concat(".", [workload.prefix[obj.kind], f]) | some f in flags]
	msga := {
		"alertMessage": concat("", [obj.kind, "/", obj.metadata.name, " shares the node's ", concat(" and ", [shared[f] | some f in flags])]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"fixPaths": [{"path": p, "value": "false"} | some p in paths],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
