package armo_builtins

import data.vigil.workload

# Volumes are read from the pod spec directly (not workload.volumes), so
# that paths are only built for those that fail.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some i, vol in spec.volumes
	is_object(vol.emptyDir)
	not vol.emptyDir.sizeLimit
	path := concat("", [workload.prefix[obj.kind], ".volumes[", format_int(i, 10), "].emptyDir.sizeLimit"])
	msga := {
		"alertMessage": sprintf("emptyDir volume %q of %s %s has no sizeLimit", [vol.name, obj.kind, obj.metadata.name]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "YOUR_SIZE_LIMIT"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
