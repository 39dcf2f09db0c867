package armo_builtins

import data.vigil.network

_marker := "kubernetes-dashboard"

_why(svc) := array.concat(
	["metadata.name" | contains(lower(svc.metadata.name), _marker)],
	[concat(".", ["spec.selector", k]) |
		some k, v in network.as_object(object.get(svc, ["spec", "selector"], {}))
		_mentions(k, v)
	],
)

_mentions(k, _) if contains(lower(k), _marker)

_mentions(_, v) if contains(lower(sprintf("%v", [v])), _marker)

# Only externally reachable Services can fail (network.exposed_services,
# built once for every exposure rule evaluated with this one).
deny contains msga if {
	some svc in network.exposed_services
	why := _why(svc)
	count(why) > 0
	msga := {
		"alertMessage": sprintf("%s serves the Kubernetes dashboard outside the cluster: %s", [network.where(svc), network.how_exposed(svc)]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": network.direct_paths(svc),
		"reviewPaths": why,
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [r | some r in {x | some x in network.ingress_related(network.service_routes(svc))}],
		"alertObject": {"k8sApiObjects": [svc]},
	}
}
