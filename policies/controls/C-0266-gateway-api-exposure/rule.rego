package armo_builtins

import data.vigil.network
import data.vigil.workload

# Published routes to each Service, filed under the workloads the Service
# selects ([kind, namespace, name, duplicate mark]). Routes are few, so the work starts
# from them rather than from every workload.
_entries := [[key, x] |
	some svc in network.services
	routes := network.service_gateway_routes(svc)
	count(routes) > 0
	attached := [a |
		some r in routes
		listeners := [l | some l in network.route_listeners(r.route); not network.internal_gateway(l.gateway)]
		count(listeners) > 0
		a := {"route": r.route, "path": r.path, "listeners": listeners}
	]
	count(attached) > 0
	some w in network.workloads_selected_by(svc)
	key := [w.kind, network.namespace(w), w.metadata.name, object.get(w, "vigil.dev/ref", -1)]
	x := {"service": svc, "attached": attached}
]

_published := {k: xs |
	some k in {e[0] | some e in _entries}
	xs := [e[1] | some e in _entries; e[0] == k]
}

deny contains msga if {
	count(_published) > 0
	some w in input
	workload.is_workload(w)
	xs := _published[[w.kind, network.namespace(w), w.metadata.name, object.get(w, "vigil.dev/ref", -1)]]
	svcs := [x.service | some x in xs]
	msga := network.make(
		w,
		sprintf("%s is published through the Gateway API: %s", [network.where(w), concat("; ", {_describe(x.service, a) | some x in xs; some a in x.attached})]),
		7,
		{"review": network.selector_paths(w, svcs)},
		_related(xs),
	)
}

_describe(svc, a) := sprintf("%s routes Service/%s to Gateway %s", [
	network.ref(a.route),
	svc.metadata.name,
	concat(", ", {sprintf("%s/%s (listener %v)", [network.namespace(l.gateway), l.gateway.metadata.name, l.gateway.spec.listeners[l.listener].name]) | some l in a.listeners}),
])

_related(xs) := [r | some r in {r |
	some x in xs
	some r in array.concat(
		[{"object": x.service, "failedPaths": [], "reviewPaths": []}],
		array.concat(
			[{"object": a.route, "failedPaths": [a.path], "reviewPaths": sort({sprintf("spec.parentRefs[%d]", [l.parent]) | some l in a.listeners})} | some a in x.attached],
			[{"object": l.gateway, "failedPaths": [], "reviewPaths": [sprintf("spec.listeners[%d]", [l.listener])]} | some a in x.attached; some l in a.listeners],
		),
	)
}]
