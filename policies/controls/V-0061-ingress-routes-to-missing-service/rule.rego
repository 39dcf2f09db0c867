package armo_builtins

import data.vigil.network

# Ingresses with a route to a Service that is missing from a namespace
# holding Services: only these can fail (one pass over the routes, which
# every exposure rule shares).
_suspects := {r.ingress |
	some r in network.ingress_routes
	r.key[0] in network.service_namespaces
	not r.key in network.service_names
}

deny contains msga if {
	some ing in _suspects
	ns := network.namespace(ing)
	ns in network.service_namespaces
	missing := [b |
		some b in network.ingress_backends(ing)
		not [ns, b.name] in network.service_names
	]
	count(missing) > 0
	msga := {
		"alertMessage": sprintf("%s routes to Service(s) %s, which do not exist in namespace %q", [
			network.where(ing),
			concat(", ", {b.name | some b in missing}),
			ns,
		]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": [b.path | some b in missing],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [],
		"alertObject": {"k8sApiObjects": [ing]},
	}
}
