package armo_builtins

import data.vigil.workload

# Tokens valid for more than a day are long-lived.
max_seconds := 86400

# Volumes are read from the pod spec directly (not workload.volumes), so
# that paths are only built for those that fail.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some i, vol in spec.volumes
	some j, src in vol.projected.sources
	src.serviceAccountToken.expirationSeconds > max_seconds
	volume := concat("", [workload.prefix[obj.kind], ".volumes[", format_int(i, 10), "]"])
	path := sprintf("%s.projected.sources[%d].serviceAccountToken.expirationSeconds", [volume, j])
	msga := {
		"alertMessage": sprintf("volume %q of %s %s projects a service account token valid for %d hours", [vol.name, obj.kind, obj.metadata.name, src.serviceAccountToken.expirationSeconds / 3600]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "3600"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
