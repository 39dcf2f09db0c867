package armo_builtins

import data.vigil.workload

deny contains msga if {
	some w in workload.input_pods
	w.spec.shareProcessNamespace == true
	path := concat("", [w.prefix, ".shareProcessNamespace"])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " shares one process namespace between its containers (shareProcessNamespace): each container can see, signal and read the files of the others"]),
		"alertScore": 4,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}
