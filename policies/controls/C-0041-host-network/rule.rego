package armo_builtins

import data.vigil.workload

deny contains msga if {
	some w in workload.input_pods
	w.spec.hostNetwork == true
	path := concat("", [w.prefix, ".hostNetwork"])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " uses the node's network namespace (hostNetwork): it can bind node ports, see node traffic and bypass NetworkPolicies"]),
		"alertScore": 7,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}
