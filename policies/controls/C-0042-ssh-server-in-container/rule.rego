package armo_builtins

import data.vigil.network
import data.vigil.workload

_ssh(p) if p == 22

_ssh(p) if p == "22"

# Services with a port or target port 22, filed under the workloads they
# select (the workload objects themselves are the keys); only these few
# Services are matched against workloads.
_ssh_entries := [[w, [svc, paths]] |
	some svc in network.services
	svc.spec.ports[_][_] in {22, "22"} # a cheap first test: some field of a port is 22
	paths := [sprintf("spec.ports[%d].%s", [k, f]) |
		some k, port in network.as_array(object.get(svc, ["spec", "ports"], []))
		some f in ["port", "targetPort"]
		_ssh(port[f])
	]
	count(paths) > 0
	some w in network.workloads_selected_by(svc)
]

_ssh_services := {w: vs |
	some w in {e[0] | some e in _ssh_entries}
	vs := [e[1] | some e in _ssh_entries; e[0] == w]
}

_services_of(w) := v if {
	v := _ssh_services[w]
} else := []

# Cheap first tests: a container port 22, or a Service reaching port 22.
# (Set membership is the same test as _ssh, done without a call for each
# port of every workload.)
_suspect(w) if {
	spec := workload.pod_spec(w)
	some f in workload.container_fields
	spec[f][_].ports[_].containerPort in {22, "22"}
} else if {
	_ssh_services[w]
}

deny contains msga if {
	some w in network.workloads
	_suspect(w)
	ports := [concat("", [c.path, sprintf(".ports[%d].containerPort", [j])]) |
		some c in workload.containers(w)
		some j, p in network.as_array(object.get(c.container, "ports", []))
		_ssh(p.containerPort)
	]
	svcs := _services_of(w)
	count(ports) + count(svcs) > 0
	msga := {
		"alertMessage": sprintf("%s likely runs an SSH server: %s", [network.where(w), _evidence(ports, svcs)]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": ports,
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [r | some r in {{"object": s[0], "failedPaths": s[1], "reviewPaths": []} | some s in svcs}],
		"alertObject": {"k8sApiObjects": [w]},
	}
}

_evidence(ports, svcs) := concat(" and ", array.concat(
	["a container listens on port 22" | count(ports) > 0],
	[sprintf("Service/%s reaches it on port 22", [s[0].metadata.name]) | some s in svcs],
))
