package armo_builtins

import data.vigil.network
import data.vigil.workload

_ports := {sprintf("%v", [p]) | some p in data.postureControlInputs.sensitiveInterfacePorts}

deny contains msga if {
	some svc in input
	svc.kind == "Service"
	count(_ports) > 0
	network.exposed(svc)
	_candidate(svc)
	direct := network.direct_paths(svc)
	routes := network.service_routes(svc)
	count(direct) + count(routes) > 0
	ports := network.as_array(object.get(svc, ["spec", "ports"], []))
	hits := [[k, path, number] |
		some k, port in ports
		_published(port, direct, routes)
		some [path, number] in _sensitive(svc, k, port)
	]
	count(hits) > 0
	used_routes := [r |
		some r in routes
		some h in hits
		_routes_to(r, ports[h[0]])
	]
	msga := network.make(
		svc,
		sprintf("%s publishes sensitive port(s) %s outside the cluster: %s", [
			network.where(svc),
			concat(", ", {h[2] | some h in hits}),
			network.how_exposed(svc),
		]),
		7,
		{"failed": array.concat([h[1] | some h in hits], direct)},
		network.ingress_related(used_routes),
	)
}

# Cheap first test: a sensitive port number, or a named target port that
# has to be resolved through the workloads.
_candidate(svc) if sprintf("%v", [svc.spec.ports[_].port]) in _ports

_candidate(svc) if sprintf("%v", [svc.spec.ports[_].targetPort]) in _ports

_candidate(svc) if {
	t := svc.spec.ports[_].targetPort
	is_string(t)
	not regex.match(`^[0-9]+$`, t)
}

# A port is published when the Service itself is external (every port is),
# or when an Ingress routes to that port.
_published(_, direct, _) if count(direct) > 0

_published(port, _, routes) if {
	some r in routes
	_routes_to(r, port)
}

_routes_to(r, port) if r.port == {}

_routes_to(r, port) if r.port.number == port.port

_routes_to(r, port) if {
	is_string(port.name)
	r.port.name == port.name
}

# _sensitive lists [path, port] for the fields of a Service port that
# carry a sensitive port number.
_sensitive(svc, k, port) := array.concat(
	[[sprintf("spec.ports[%d].port", [k]), n] | n := sprintf("%v", [port.port]); n in _ports],
	[[sprintf("spec.ports[%d].targetPort", [k]), n] |
		some n in _target_numbers(svc, port.targetPort)
		n in _ports
		n != sprintf("%v", [port.port])
	],
)

_target_numbers(svc, t) := {sprintf("%v", [t])} if is_number(t)

else := {t} if regex.match(`^[0-9]+$`, t)

else := _named_target(svc, t)

_named_target(svc, t) := {sprintf("%v", [p.containerPort]) |
	is_string(t)
	some w in network.workloads_selected_by(svc)
	some c in workload.containers(w)
	some p in network.as_array(object.get(c.container, "ports", []))
	p.name == t
}
