package armo_builtins

import data.vigil.network
import data.vigil.workload

# Only workloads that an externally reachable Service selects can fail:
# network.exposure lists them with those Services.
deny contains msga if {
	some w, svcs in network.exposure
	_any_privileged(workload.pod_spec(w))
	privileged := [c | some c in workload.containers(w); c.container.securityContext.privileged == true]
	count(privileged) > 0
	paths := [concat("", [c.path, ".securityContext.privileged"]) | some c in privileged]
	msga := {
		"alertMessage": sprintf("%s runs privileged container(s) %s and is reachable from outside the cluster through %s", [
			network.where(w),
			concat(", ", [sprintf("%q", [c.container.name]) | some c in privileged]),
			network.exposure_text(svcs),
		]),
		"alertScore": 9,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [{"path": p, "value": "false"} | some p in paths],
		"relatedObjects": network.related_objects(svcs),
		"alertObject": {"k8sApiObjects": [w]},
	}
}

# A cheap first test, before paths are built.
_any_privileged(spec) if {
	some f in workload.container_fields
	spec[f][_].securityContext.privileged == true
}
