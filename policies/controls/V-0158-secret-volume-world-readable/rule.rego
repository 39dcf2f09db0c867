package armo_builtins

import data.vigil.workload

# Kubernetes' default mode for secret and projected volumes.
default_mode := 420

world_readable(mode) if bits.and(mode, 4) != 0

# Volumes are read from the pod spec directly (not workload.volumes), so
# that paths are only built for those that fail.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some i, vol in spec.volumes
	is_object(vol.secret)
	mode := object.get(vol.secret, "defaultMode", default_mode)
	world_readable(mode)
	path := concat("", [workload.prefix[obj.kind], ".volumes[", format_int(i, 10), "].secret.defaultMode"])
	msga := {
		"alertMessage": sprintf("secret volume %q of %s %s is readable by every user in the container (mode %o)", [vol.name, obj.kind, obj.metadata.name, mode]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "0400"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some i, vol in spec.volumes
	some src in vol.projected.sources
	is_object(src.secret)
	mode := object.get(vol.projected, "defaultMode", default_mode)
	world_readable(mode)
	path := concat("", [workload.prefix[obj.kind], ".volumes[", format_int(i, 10), "].projected.defaultMode"])
	msga := {
		"alertMessage": sprintf("projected volume %q of %s %s exposes secret %q to every user in the container (mode %o)", [vol.name, obj.kind, obj.metadata.name, src.secret.name, mode]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "0400"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some i, vol in spec.volumes
	some j, item in vol.secret.items
	world_readable(item.mode)
	volume := concat("", [workload.prefix[obj.kind], ".volumes[", format_int(i, 10), "]"])
	path := sprintf("%s.secret.items[%d].mode", [volume, j])
	msga := {
		"alertMessage": sprintf("secret file %q in volume %q of %s %s is readable by every user (mode %o)", [item.path, vol.name, obj.kind, obj.metadata.name, item.mode]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "0400"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
