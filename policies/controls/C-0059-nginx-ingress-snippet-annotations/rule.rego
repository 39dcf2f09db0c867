package armo_builtins

import data.vigil.network

_snippets := {
	"nginx.ingress.kubernetes.io/configuration-snippet",
	"nginx.ingress.kubernetes.io/server-snippet",
	"nginx.ingress.kubernetes.io/auth-snippet",
	"nginx.ingress.kubernetes.io/modsecurity-snippet",
}

deny contains msga if {
	some ing in input
	ing.kind == "Ingress"
	found := sort([k |
		some k, _ in network.as_object(object.get(ing, ["metadata", "annotations"], {}))
		k in _snippets
	])
	count(found) > 0
	paths := [concat(".", ["metadata.annotations", k]) | some k in found]
	msga := network.make(
		ing,
		sprintf("%s injects raw nginx configuration through %s", [network.where(ing), concat(", ", found)]),
		7,
		{"failed": paths, "delete": paths},
		[],
	)
}
