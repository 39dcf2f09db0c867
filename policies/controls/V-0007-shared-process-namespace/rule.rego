package armo_builtins

import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	spec.shareProcessNamespace == true
	path := concat("", [workload.prefix[obj.kind], ".shareProcessNamespace"])
	msga := {
		"alertMessage": concat("", [obj.kind, "/", obj.metadata.name, " shares one process namespace between its containers (shareProcessNamespace): each container can see, signal and read the files of the others"]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
