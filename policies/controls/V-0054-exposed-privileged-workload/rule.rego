package armo_builtins

import data.vigil.network
import data.vigil.workload

deny contains msga if {
	some w in input
	_any_privileged(workload.pod_spec(w))
	privileged := [c | some c in workload.containers(w); c.container.securityContext.privileged == true]
	count(privileged) > 0
	svcs := network.exposing_services(w)
	count(svcs) > 0
	paths := [concat("", [c.path, ".securityContext.privileged"]) | some c in privileged]
	msga := network.make(
		w,
		sprintf("%s runs privileged container(s) %s and is reachable from outside the cluster through %s", [
			network.where(w),
			concat(", ", [sprintf("%q", [c.container.name]) | some c in privileged]),
			network.exposure_text(svcs),
		]),
		9,
		{"failed": paths, "fix": [{"path": p, "value": "false"} | some p in paths]},
		network.exposure_related(svcs),
	)
}

# A cheap first test, before paths are built.
_any_privileged(spec) if {
	some f in workload.container_fields
	spec[f][_].securityContext.privileged == true
}
