package armo_builtins

import data.vigil.workload

deny contains msga if {
	some w in workload.input_pods
	pod := [concat("", [w.prefix, ".securityContext.windowsOptions.hostProcess"]) | w.spec.securityContext.windowsOptions.hostProcess == true]
	# The containers as workload.containers lists them, read in place.
	ctrs := [concat("", [w.prefix, ".", field, "[", format_int(i, 10), "].securityContext.windowsOptions.hostProcess"]) |
		some field in workload.container_fields
		some i, c in w.spec[field]
		c.securityContext.windowsOptions.hostProcess == true
	]
	paths := array.concat(pod, ctrs)
	count(paths) > 0
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " runs Windows HostProcess containers: they run as processes of the node itself"]),
		"alertScore": 8,
		"failedPaths": paths,
		"fixPaths": [{"path": p, "value": "false"} | some p in paths],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}
