package armo_builtins

import data.vigil.workload

# Containers and init containers, read from the pod spec directly so that
# paths are only built for those that fail. Ephemeral containers cannot set
# resources.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some field in ["containers", "initContainers"]
	some i, ct in spec[field]
	not ct.resources.limits["ephemeral-storage"]
	path := concat("", [workload.prefix[obj.kind], ".", field, "[", format_int(i, 10), "].resources.limits.ephemeral-storage"])
	msga := {
		"alertMessage": sprintf("container %q in %s %s has no ephemeral-storage limit", [ct.name, obj.kind, obj.metadata.name]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "YOUR_EPHEMERAL_STORAGE_LIMIT"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
