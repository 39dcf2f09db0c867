package armo_builtins

import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	pod := [concat("", [workload.prefix[obj.kind], ".securityContext.windowsOptions.hostProcess"]) | spec.securityContext.windowsOptions.hostProcess == true]
	ctrs := [concat("", [c.path, ".securityContext.windowsOptions.hostProcess"]) |
		some c in workload.containers(obj)
		c.container.securityContext.windowsOptions.hostProcess == true
	]
	paths := array.concat(pod, ctrs)
	count(paths) > 0
	msga := {
		"alertMessage": concat("", [obj.kind, "/", obj.metadata.name, " runs Windows HostProcess containers: they run as processes of the node itself"]),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"fixPaths": [{"path": p, "value": "false"} | some p in paths],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
