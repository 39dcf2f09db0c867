package armo_builtins

import data.vigil.network
import data.vigil.workload

deny contains msga if {
	some w in input
	workload.is_workload(w)
	mounts := [v | some v in workload.volumes(w); v.volume.hostPath]
	count(mounts) > 0
	svcs := network.exposing_services(w)
	count(svcs) > 0
	msga := network.make(
		w,
		sprintf("%s mounts host path(s) %s and is reachable from outside the cluster through %s", [
			network.where(w),
			concat(", ", [sprintf("%v", [object.get(v.volume.hostPath, "path", "")]) | some v in mounts]),
			network.exposure_text(svcs),
		]),
		8,
		{"failed": [concat("", [v.path, ".hostPath"]) | some v in mounts]},
		network.exposure_related(svcs),
	)
}
