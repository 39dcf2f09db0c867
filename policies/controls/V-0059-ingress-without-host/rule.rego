package armo_builtins

import data.vigil.network

deny contains msga if {
	some ing in input
	ing.kind == "Ingress"
	missing := [i |
		some i, r in network.as_array(object.get(ing, ["spec", "rules"], []))
		not _has_host(r)
	]
	count(missing) > 0
	msga := network.make(
		ing,
		sprintf("%s has %d rule(s) without a host: they answer for every hostname", [network.where(ing), count(missing)]),
		3,
		{
			"failed": [sprintf("spec.rules[%d].host", [i]) | some i in missing],
			"fix": [{"path": sprintf("spec.rules[%d].host", [i]), "value": "YOUR_HOSTNAME"} | some i in missing],
		},
		[],
	)
}

_has_host(r) if {
	is_string(r.host)
	r.host != ""
}
