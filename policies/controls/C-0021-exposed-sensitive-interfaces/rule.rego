package armo_builtins

import data.vigil.network
import data.vigil.workload

_names := [lower(n) | some n in data.postureControlInputs.servicesNames; n != ""]

# A name matches when it contains one of the inputs, unless it names a
# helper around the product rather than the product itself
# (redis-exporter, postgres-operator, vault-agent, redis-client).
_matched(s) := [] if {
	# most names match no input: one test settles them
	ls := lower(s)
	not regex.match(_pattern, ls)
} else := [] if {
	some t in regex.split(`[-_.]`, lower(s))
	t in _helpers
} else := regex.find_n(_pattern, lower(s), -1)

# One regular expression for all names: a single match per string instead
# of one test per name.
_pattern := concat("|", [regex.replace(n, `([\\.+*?()|\[\]{}^$])`, `\$1`) | some n in _names])

_helpers := {"exporter", "client", "operator", "agent"}

# The repository name of an image, without registry, path, tag or digest.
_image_name(img) := name if {
	parts := split(split(img, "@")[0], "/")
	name := split(parts[count(parts) - 1], ":")[0]
}

# What makes a selected workload sensitive: its name, or the image of a
# container the Service sends traffic to.
_workload_hits(svc, w) := array.concat(
	[{"name": n, "path": "metadata.name"} | some n in _matched(w.metadata.name)],
	_image_hits(svc, w),
)

_image_hits(svc, w) := [{"name": n, "path": concat("", [c.path, ".image"])} |
	some c in _reached(svc, w)
	some n in _matched(_image_name(c.container.image))
] if {
	# a cheap test first: does any image match at all?
	spec := workload.pod_spec(w)
	some f in workload.container_fields
	count(_matched(_image_name(spec[f][_].image))) > 0
} else := []

# The ports a Service sends traffic to (targetPort defaults to port).
_targets(svc) := [object.get(p, "targetPort", p.port) | some p in network.as_array(object.get(svc, ["spec", "ports"], []))]

_declares(c, t) if {
	some p in network.as_array(object.get(c.container, "ports", []))
	t in {p.containerPort, p.name}
}

_declares(c, t) if {
	some p in network.as_array(object.get(c.container, "ports", []))
	sprintf("%v", [p.containerPort]) == t
}

# The containers a Service reaches: those declaring a target port, or all of
# them when none does (ports need not be declared).
_reached(svc, w) := reached if {
	targets := _targets(svc)
	reached := [c | some c in workload.containers(w); some t in targets; _declares(c, t)]
	count(reached) > 0
} else := workload.containers(w)

# Only externally reachable Services can fail (network.exposed_services,
# built once for every exposure rule evaluated with this one).
deny contains msga if {
	count(_names) > 0
	some svc in network.exposed_services
	own := _matched(svc.metadata.name)
	selected := [[w, hits] |
		some w in network.workloads_selected_by(svc)
		hits := _workload_hits(svc, w)
		count(hits) > 0
	]
	found := {n | some n in own} | {h.name | some x in selected; some h in x[1]}
	count(found) > 0
	related := array.concat(
		[{"object": x[0], "failedPaths": [], "reviewPaths": sort({h.path | some h in x[1]})} | some x in selected],
		network.ingress_related(network.service_routes(svc)),
	)
	msga := {
		"alertMessage": sprintf("%s publishes a sensitive interface (%s) outside the cluster: %s", [
			network.where(svc),
			concat(", ", found),
			network.how_exposed(svc),
		]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": network.direct_paths(svc),
		"reviewPaths": ["metadata.name" | count(own) > 0],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [r | some r in {x | some x in related}],
		"alertObject": {"k8sApiObjects": [svc]},
	}
}
