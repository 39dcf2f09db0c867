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

deny contains msga if {
	some svc in input
	svc.kind == "Service"
	why := _why(svc)
	count(why) > 0
	network.exposed(svc)
	msga := network.make(
		svc,
		sprintf("%s serves the Kubernetes dashboard outside the cluster: %s", [network.where(svc), network.how_exposed(svc)]),
		7,
		{"failed": network.direct_paths(svc), "review": why},
		network.ingress_related(network.service_routes(svc)),
	)
}
