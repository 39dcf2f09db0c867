package armo_builtins

import data.vigil.network
import data.vigil.workload

_ssh(p) if p == 22

_ssh(p) if p == "22"

# Services with a port or target port 22, filed under the workloads they
# select ([kind, namespace, name, duplicate mark]); only these few Services are matched
# against workloads.
_ssh_entries := [[key, [svc, paths]] |
	some svc in network.services
	paths := [sprintf("spec.ports[%d].%s", [k, f]) |
		some k, port in network.as_array(object.get(svc, ["spec", "ports"], []))
		some f in ["port", "targetPort"]
		_ssh(port[f])
	]
	count(paths) > 0
	some w in network.workloads_selected_by(svc)
	key := [w.kind, network.namespace(w), w.metadata.name, object.get(w, "vigil.dev/ref", -1)]
]

_ssh_services := {k: vs |
	some k in {e[0] | some e in _ssh_entries}
	vs := [e[1] | some e in _ssh_entries; e[0] == k]
}

_services_of(k) := v if {
	v := _ssh_services[k]
} else := []

# Cheap first tests: a container port 22, or a Service reaching port 22.
_suspect(w) if {
	spec := workload.pod_spec(w)
	some f in workload.container_fields
	_ssh(spec[f][_].ports[_].containerPort)
}

_suspect(w) if {
	count(_ssh_services) > 0
	workload.is_workload(w)
	_ssh_services[[w.kind, network.namespace(w), w.metadata.name, object.get(w, "vigil.dev/ref", -1)]]
}

deny contains msga if {
	some w in input
	_suspect(w)
	ports := [concat("", [c.path, sprintf(".ports[%d].containerPort", [j])]) |
		some c in workload.containers(w)
		some j, p in network.as_array(object.get(c.container, "ports", []))
		_ssh(p.containerPort)
	]
	svcs := _services_of([w.kind, network.namespace(w), w.metadata.name, object.get(w, "vigil.dev/ref", -1)])
	count(ports) + count(svcs) > 0
	msga := network.make(
		w,
		sprintf("%s likely runs an SSH server: %s", [network.where(w), _evidence(ports, svcs)]),
		4,
		{"failed": ports},
		[{"object": s[0], "failedPaths": s[1], "reviewPaths": []} | some s in svcs],
	)
}

_evidence(ports, svcs) := concat(" and ", array.concat(
	["a container listens on port 22" | count(ports) > 0],
	[sprintf("Service/%s reaches it on port 22", [s[0].metadata.name]) | some s in svcs],
))
