package armo_builtins

import data.vigil.network
import data.vigil.workload

deny contains msga if {
	some w in input
	workload.is_workload(w)
	svcs := network.exposing_services(w)
	count(svcs) > 0
	msga := network.make(
		w,
		sprintf("%s is reachable from outside the cluster through %s", [network.where(w), network.exposure_text(svcs)]),
		6,
		{"review": network.selector_paths(w, svcs)},
		network.exposure_related(svcs),
	)
}
