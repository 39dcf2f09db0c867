package armo_builtins

import data.vigil.network

deny contains msga if {
	some svc in input
	svc.kind == "Service"
	ips := network.as_array(object.get(svc, ["spec", "externalIPs"], []))
	count(ips) > 0
	msga := network.make(
		svc,
		sprintf("%s claims external IPs (%s): nodes will route traffic for these addresses to it", [network.where(svc), concat(", ", [sprintf("%v", [ip]) | some ip in ips])]),
		6,
		{"failed": ["spec.externalIPs"], "delete": ["spec.externalIPs"]},
		[],
	)
}
