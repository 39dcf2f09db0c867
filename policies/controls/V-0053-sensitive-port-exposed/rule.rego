package armo_builtins

import data.vigil.network
import data.vigil.workload

_ports := {sprintf("%v", [p]) | some p in data.postureControlInputs.sensitiveInterfacePorts}

# Only externally reachable Services can fail (network.exposed_services,
# built once for every exposure rule evaluated with this one).
deny contains msga if {
	count(_ports) > 0
	some svc in network.exposed_services
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
	msga := {
		"alertMessage": sprintf("%s publishes sensitive port(s) %s outside the cluster: %s", [
			network.where(svc),
			concat(", ", {h[2] | some h in hits}),
			network.how_exposed(svc),
		]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": array.concat([h[1] | some h in hits], direct),
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [r | some r in {x | some x in network.ingress_related(used_routes)}],
		"alertObject": {"k8sApiObjects": [svc]},
	}
}

# Cheap first test: a sensitive port number, or a named target port that
# resolves to one through the selected workloads (an else chain: the first
# test that holds settles it).
_candidate(svc) if {
	sprintf("%v", [svc.spec.ports[_].port]) in _ports
} else if {
	sprintf("%v", [svc.spec.ports[_].targetPort]) in _ports
} else if {
	t := svc.spec.ports[_].targetPort
	is_string(t)
	not regex.match(`^[0-9]+$`, t)
	some n in _named_target(svc, t)
	n in _ports
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

# The container ports named t in the workloads a Service selects. (The
# containers are read from the pod spec directly, as workload.containers
# lists them, without building their paths.)
_named_target(svc, t) := {sprintf("%v", [p.containerPort]) |
	is_string(t)
	some w in network.workloads_selected_by(svc)
	spec := workload.pod_spec(w)
	some f in workload.container_fields
	some i, c in spec[f]
	is_number(i)
	some p in network.as_array(object.get(c, "ports", []))
	p.name == t
}
