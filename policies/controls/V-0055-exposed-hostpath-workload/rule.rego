package armo_builtins

import data.vigil.network
import data.vigil.workload

# Only workloads that an externally reachable Service selects can fail:
# network.exposure lists them with those Services.
deny contains msga if {
	some w, svcs in network.exposure
	workload.pod_spec(w).volumes[_].hostPath # a cheap first test, before paths are built
	mounts := [v | some v in workload.volumes(w); v.volume.hostPath]
	count(mounts) > 0
	msga := {
		"alertMessage": sprintf("%s mounts host path(s) %s and is reachable from outside the cluster through %s", [
			network.where(w),
			concat(", ", [sprintf("%v", [object.get(v.volume.hostPath, "path", "")]) | some v in mounts]),
			network.exposure_text(svcs),
		]),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": [concat("", [v.path, ".hostPath"]) | some v in mounts],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": network.related_objects(svcs),
		"alertObject": {"k8sApiObjects": [w]},
	}
}
