package armo_builtins

import data.vigil.network

# Only workloads that an externally reachable Service selects can fail:
# network.exposure lists them with those Services, built once for every
# exposure rule evaluated with this one.
deny contains msga if {
	some w, svcs in network.exposure
	msga := {
		"alertMessage": concat("", [network.where(w), " is reachable from outside the cluster through ", network.exposure_text(svcs)]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": [],
		"reviewPaths": network.selector_paths(w, svcs),
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": network.related_objects(svcs),
		"alertObject": {"k8sApiObjects": [w]},
	}
}
