# Helpers for network rules: how NetworkPolicies, Services, Ingresses and
# Gateway API routes select the pods of workloads, and which workloads are
# reachable from outside the cluster.
#
# The indexes below (services_by_label, routes_by_service,
# policies_by_key ...) are built from the rule's `input` once per
# evaluation. Relational rules look objects up in them instead of scanning
# `input` for each object, so they stay linear in the size of the scan.
package vigil.network

import data.vigil.workload

# ---------------------------------------------------------------------------
# Basics

# namespace of an object; objects that name none land in "default".
namespace(obj) := ns if {
	ns := obj.metadata.namespace
	is_string(ns)
	ns != ""
} else := "default"

# ref renders "Kind/name" for messages.
ref(obj) := concat("/", [obj.kind, object.get(obj, ["metadata", "name"], "")])

# where renders "Kind/name in namespace \"ns\"" for messages.
where(obj) := sprintf("%s/%s in namespace %q", [obj.kind, object.get(obj, ["metadata", "name"], ""), namespace(obj)])

as_array(x) := x if is_array(x)

else := []

as_object(x) := x if is_object(x)

else := {}

# pod_labels are the labels of the pods a workload runs, read directly at
# workload.meta_prefix (this is called for every workload of a scan).
pod_labels(w) := labels if {
	labels := object.get(w, _labels_at[w.kind], {})
	is_object(labels)
} else := {}

_labels_at := {k: array.concat(split(p, "."), ["labels"]) | some k, p in workload.meta_prefix}

# labels_path is the dotted path of the pod labels of a workload.
labels_path(w) := concat(".", [workload.meta_prefix[w.kind], "labels"])

host_network(w) if object.get(w, _host_network_at[w.kind], false) == true

# (Read at a path by kind rather than through workload.pod_spec: this is
# asked of every workload of a scan.)
_host_network_at := {k: array.concat(p, ["hostNetwork"]) | some k, p in workload.spec_path}

# make builds an alert. paths may hold "failed", "review", "delete" (lists
# of paths) and "fix" (list of {path, value}); related is the alert's
# relatedObjects ([{"object", "failedPaths", "reviewPaths"}]), without
# duplicates.
make(obj, msg, score, paths, related) := {
	"alertMessage": msg,
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": object.get(paths, "failed", []),
	"reviewPaths": object.get(paths, "review", []),
	"deletePaths": object.get(paths, "delete", []),
	"fixPaths": object.get(paths, "fix", []),
	"relatedObjects": [r | some r in {x | some x in related}],
	"alertObject": {"k8sApiObjects": [obj]},
}

# ---------------------------------------------------------------------------
# Label selectors

# selector_matches is true when a LabelSelector ({matchLabels,
# matchExpressions}) selects pods with these labels. An empty (or null)
# selector selects every pod.
selector_matches(sel, labels) if {
	s := as_object(sel)
	every k, v in as_object(object.get(s, "matchLabels", {})) {
		labels[k] == v
	}
	every e in as_array(object.get(s, "matchExpressions", [])) {
		expression_matches(e, labels)
	}
}

expression_matches(e, labels) if {
	e.operator == "In"
	labels[e.key] in as_array(object.get(e, "values", []))
}

# (`not labels[k] in values` would be undefined, not true, for a missing
# label: OPA evaluates the reference outside the negation.)
expression_matches(e, labels) if {
	e.operator == "NotIn"
	not _label_in(labels, e.key, as_array(object.get(e, "values", [])))
}

_label_in(labels, k, values) if labels[k] in values

expression_matches(e, labels) if {
	e.operator == "Exists"
	_ = labels[e.key]
}

expression_matches(e, labels) if {
	e.operator == "DoesNotExist"
	not has_key(labels, e.key)
}

has_key(o, k) if _ = o[k]

# selects_all is true for a selector that matches every pod.
selects_all(sel) if {
	s := as_object(sel)
	count(as_object(object.get(s, "matchLabels", {}))) == 0
	count(as_array(object.get(s, "matchExpressions", []))) == 0
}

# ---------------------------------------------------------------------------
# Services

# service_selector is the non-empty selector of a Service (undefined for
# Services without one, whose endpoints are managed by hand).
service_selector(svc) := sel if {
	sel := svc.spec.selector
	is_object(sel)
	count(sel) > 0
}

service_selects(svc, labels) if {
	sel := service_selector(svc)
	every k, v in sel {
		labels[k] == v
	}
}

label_key(ns, k, v) := [ns, k, v]

# Indexes are objects built by comprehensions and read through the
# *_at(key) functions, which return [] for a missing key. (object.get
# would read an array key as a path.)

# first_label is the key of a Service selector under which it is indexed.
first_label(sel) := min(object.keys(sel))

# The objects of the input by kind, in input order. Rules iterate these
# rather than `input`: each list is built once per evaluation of a group of
# rules, where a scan of the whole input in every rule costs more than most
# rules do.
services := [s | some s in input; s.kind == "Service"]

workloads := [w | some w in input; workload.spec_path[w.kind]]

ingresses := [i | some i in input; i.kind == "Ingress"]

# services_by_label files each Service with a selector under its namespace,
# its first selector key and that key's value. A workload looks up each of
# its labels whose key is the first key of some Service (usually one or
# two keys, such as app).
# (Written out rather than through service_selector, first_label and
# label_key: this runs for every Service of a scan.)
_service_entries := [[[namespace(s), f, sel[f]], s] |
	some s in services
	sel := s.spec.selector
	is_object(sel)
	count(sel) > 0
	f := min(object.keys(sel))
]

_services_by_label_at(k) := v if {
	v := services_by_label[k]
} else := []

services_by_label := {k: ss |
	some k in {e[0] | some e in _service_entries}
	ss := [e[1] | some e in _service_entries; e[0] == k]
}

service_first_keys := {e[0][1] | some e in _service_entries}

# _selection lists every [Service, workload] pair of the input where the
# Service's selector selects the workload's pods, workloads in input order.
# It is built once from the workload side (each workload looks its labels
# up in services_by_label); the indexes below read it by Service and by
# workload, keyed by the objects themselves (distinct inputs are distinct
# values: the engine marks copies of an object defined twice).
# (The pod labels are read as pod_labels reads them, without its fallback
# to {} for a missing or malformed field: no Service selects such pods
# either way.)
_selection := [[s, w] |
	some w in workloads
	labels := object.get(w, _labels_at[w.kind], {})
	some k in service_first_keys
	v := labels[k]
	some s in services_by_label[[namespace(w), k, v]]
	every sk, sv in s.spec.selector {
		labels[sk] == sv
	}
]

# selected_workloads maps each Service that selects scanned workloads to
# them, in input order (Services that select none are not keys).
selected_workloads := {s: ws |
	some s in {p[0] | some p in _selection}
	ws := [p[1] | some p in _selection; p[0] == s]
}

# services_selecting lists the Services that select a workload's pods.
services_selecting(w) := [s |
	labels := pod_labels(w)
	ns := namespace(w)
	some k in service_first_keys
	v := labels[k]
	some s in _services_by_label_at(label_key(ns, k, v))
	service_selects(s, labels)
]

# workloads_by_label files each workload under those of its pod labels
# whose key is the first key of some Service selector.
_workload_entries := [[k, w] |
	some w in workloads
	labels := pod_labels(w)
	some lk in service_first_keys
	lv := labels[lk]
	k := label_key(namespace(w), lk, lv)
]

_workloads_by_label_at(k) := v if {
	v := workloads_by_label[k]
} else := []

workloads_by_label := {k: ws |
	some k in {e[0] | some e in _workload_entries}
	ws := [e[1] | some e in _workload_entries; e[0] == k]
}

# workload_namespaces are the namespaces that hold scanned workloads.
workload_namespaces := {namespace(w) | some w in workloads}

# workloads_by_namespace files the workloads of the input under their
# namespace, in input order. Rules whose verdict mostly depends on the
# namespace (NetworkPolicies that isolate every pod of it) test each of
# workload_namespaces first, and look at the workloads of those that can
# fail only.
workloads_by_namespace := {ns: [w | some w in workloads; namespace(w) == ns] | some ns in workload_namespaces}

# host_network_workloads lists the workloads of the input whose pods run on
# the host network, where NetworkPolicies do not apply.
host_network_workloads := [w | some w in workloads; host_network(w)]

# workloads_selected_by lists the scanned workloads a Service selects.
# (For a Service of the input, selected_workloads has the answer.)
workloads_selected_by(svc) := ws if {
	ws := selected_workloads[svc]
} else := [] if {
	_service_set[svc]
} else := [w |
	sel := service_selector(svc)
	f := first_label(sel)
	some w in _workloads_by_label_at(label_key(namespace(svc), f, sel[f]))
	service_selects(svc, pod_labels(w))
]

_service_set := {s | some s in services}

# selector_paths are the pod label paths of a workload that the Services
# select it by.
selector_paths(w, svcs) := sort({concat(".", [labels_path(w), k]) |
	some s in svcs
	some k, _ in service_selector(s)
})

# ---------------------------------------------------------------------------
# Ingresses

# ingress_backends lists the Services an Ingress routes to, as
# {"name", "path" (of the name field), "port" ({"number"} or {"name"} or {})}.
# Both networking.k8s.io/v1 (backend.service.name) and the retired
# extensions/v1beta1 form (backend.serviceName) are read.
ingress_backends(ing) := array.concat(
	[b |
		some i, r in as_array(object.get(ing, ["spec", "rules"], []))
		some j, p in as_array(object.get(r, ["http", "paths"], []))
		b := _backend(object.get(p, "backend", {}), sprintf("spec.rules[%d].http.paths[%d].backend", [i, j]))
	],
	[b |
		some f in ["defaultBackend", "backend"]
		be := ing.spec[f]
		b := _backend(be, concat(".", ["spec", f]))
	],
)

_backend(be, p) := {"name": be.service.name, "path": concat("", [p, ".service.name"]), "port": _v1_port(be.service)} if {
	is_string(be.service.name)
} else := {"name": be.serviceName, "path": concat("", [p, ".serviceName"]), "port": _beta_port(be)} if {
	is_string(be.serviceName)
}

_v1_port(s) := {"number": s.port.number} if is_number(s.port.number)

else := {"name": s.port.name} if is_string(s.port.name)

else := {}

_beta_port(be) := {"number": be.servicePort} if is_number(be.servicePort)

else := {"number": to_number(be.servicePort)} if regex.match(`^[0-9]+$`, be.servicePort)

else := {"name": be.servicePort} if is_string(be.servicePort)

else := {}

service_key(ns, name) := [ns, name]

# ingress_routes lists the routes of the Ingresses of the input to
# Services, as {"key" ([namespace, Service name]), "ingress", "path",
# "port"}.
ingress_routes := [r |
	some ing in ingresses
	ns := namespace(ing)
	some b in ingress_backends(ing)
	r := {"key": [ns, b.name], "ingress": ing, "path": b.path, "port": b.port}
]

_routes_by_service_at(k) := v if {
	v := routes_by_service[k]
} else := []

routes_by_service := {k: rs |
	some k in {r.key | some r in ingress_routes}
	rs := [r | some r in ingress_routes; r.key == k]
}

# service_routes lists the Ingress routes to a Service, as {"ingress",
# "path", "port"}.
service_routes(svc) := _routes_by_service_at(service_key(namespace(svc), svc.metadata.name))

# service_names are the Services of the scan by namespace/name.
service_names := {service_key(namespace(s), s.metadata.name) | some s in services}

# service_namespaces are the namespaces that hold scanned Services.
service_namespaces := {namespace(s) | some s in services}

# ---------------------------------------------------------------------------
# Exposure outside the cluster

# direct_paths are the fields that expose a Service outside the cluster by
# themselves: a NodePort or LoadBalancer type, or externalIPs.
direct_paths(svc) := array.concat(
	["spec.type" | svc.spec.type in {"NodePort", "LoadBalancer"}],
	["spec.externalIPs" | count(as_array(object.get(svc, ["spec", "externalIPs"], []))) > 0],
)

# exposed is true for a Service reachable from outside the cluster: of type
# NodePort or LoadBalancer, with externalIPs, or routed to by an Ingress.
# (An else chain: the first test that holds settles it.)
exposed(svc) if {
	svc.spec.type in {"NodePort", "LoadBalancer"}
} else if {
	count(svc.spec.externalIPs) > 0
} else if {
	_routed[[namespace(svc), svc.metadata.name]]
}

_routed := {r.key | some r in ingress_routes}

# how_exposed says in words how a Service is reachable from outside.
how_exposed(svc) := concat(", ", array.concat(
	array.concat(
		[sprintf("type %s", [svc.spec.type]) | svc.spec.type in {"NodePort", "LoadBalancer"}],
		["externalIPs" | count(as_array(object.get(svc, ["spec", "externalIPs"], []))) > 0],
	),
	[sprintf("routed by Ingress/%s", [n]) | some n in {r.ingress.metadata.name | some r in service_routes(svc)}],
))

# exposure_text describes the Services exposing a workload.
exposure_text(svcs) := concat(", ", {sprintf("Service/%s (%s)", [s.metadata.name, how_exposed(s)]) | some s in svcs})

# exposure maps each workload of the input that an externally reachable
# Service selects to those Services (in the order exposing_services lists
# them). Rules about exposed workloads iterate it instead of the input:
# only these workloads can fail them.
exposure := {w: ss |
	some w in {p[1] | some p in _exposure_pairs}
	ss := [p[0] | some p in _exposure_pairs; p[1] == w]
}

_exposure_pairs := [p | some p in _selection; _exposed_set[p[0]]]

# exposed_services lists the externally reachable Services of the input, in
# input order.
exposed_services := [s | some s in services; _exposed_set[s]]

_exposed_set := {s | some s in services; exposed(s)}

# exposing_services lists the externally reachable Services that select a
# workload's pods. (For a workload of the input, exposure has the answer.)
exposing_services(w) := ss if {
	ss := exposure[w]
} else := [] if {
	_workload_set[w]
} else := [s |
	labels := pod_labels(w)
	ns := namespace(w)
	some k in _exposed_first_keys
	v := labels[k]
	some s in _exposed_by_label_at(label_key(ns, k, v))
	service_selects(s, labels)
]

_workload_set := {w | some w in workloads}

_exposed_by_label_at(k) := v if {
	v := exposed_by_label[k]
} else := []

_exposed_entries := [e |
	some e in _service_entries
	exposed(e[1])
]

_exposed_first_keys := {e[0][1] | some e in _exposed_entries}

exposed_by_label := {k: ss |
	some k in {e[0] | some e in _exposed_entries}
	ss := [e[1] | some e in _exposed_entries; e[0] == k]
}

# exposure_related lists, for an alert's relatedObjects, the Services with
# the fields that expose them and the Ingresses with their routes to them.
exposure_related(svcs) := array.concat(
	[{"object": s, "failedPaths": direct_paths(s), "reviewPaths": []} | some s in svcs],
	ingress_related([r | some s in svcs; some r in service_routes(s)]),
)

# related_objects is exposure_related(svcs) without duplicates, in the
# order of make's relatedObjects: rules about exposed workloads build it
# once per workload (the call is cached) rather than once per alert.
related_objects(svcs) := [r | some r in {x | some x in exposure_related(svcs)}]

ingress_related(routes) := [{"object": ing, "failedPaths": paths, "reviewPaths": []} |
	some name in {r.ingress.metadata.name | some r in routes}
	rs := [r | some r in routes; r.ingress.metadata.name == name]
	ing := rs[0].ingress
	paths := sort({r.path | some r in rs})
]

# ---------------------------------------------------------------------------
# NetworkPolicies

netpols := [p | some p in input; p.kind == "NetworkPolicy"]

# Policies are filed under their namespace and first matchLabels label.
# Those without matchLabels are filed under [namespace] when they select by
# expressions, and under the bare namespace when they select every pod.
# A workload looks up its namespace and each of its labels.
_policy_entries := [[k, p] |
	some p in netpols
	k := _policy_key(p)
]

_policy_key(p) := namespace(p) if {
	selects_all(pod_selector(p))
} else := label_key(namespace(p), f, ml[f]) if {
	ml := as_object(object.get(pod_selector(p), "matchLabels", {}))
	count(ml) > 0
	f := min(object.keys(ml))
} else := [namespace(p)]

_policies_by_key_at(k) := v if {
	v := policies_by_key[k]
} else := []

policies_by_key := {k: ps |
	some k in {e[0] | some e in _policy_entries}
	ps := [e[1] | some e in _policy_entries; e[0] == k]
}

pod_selector(p) := object.get(p, ["spec", "podSelector"], {})

# policies_selecting lists the NetworkPolicies that select a workload's pods
# (only policies of its own namespace can).
policies_selecting(w) := array.concat(_policies_by_key_at(ns), labelled_policies(ns, pod_labels(w))) if {
	ns := namespace(w)
}

# labelled_policies lists the policies of a namespace that select pods with
# these labels by matchLabels or matchExpressions (policies selecting every
# pod are left out).
labelled_policies(ns, labels) := array.concat(
	[p |
		some p in _policies_by_key_at([ns])
		selector_matches(pod_selector(p), labels)
	],
	[p |
		some k in _policy_first_keys
		v := labels[k]
		some p in _policies_by_key_at([ns, k, v])
		selector_matches(pod_selector(p), labels)
	],
)

_policy_first_keys := {e[0][1] | some e in _policy_entries; is_array(e[0]); count(e[0]) == 3}

# namespace_isolation are the directions isolated in a namespace for every
# pod by policies with an empty podSelector.
namespace_isolation(ns) := v if {
	v := _namespace_isolation[ns]
} else := set()

# namespace_has_policies is true when the namespace holds a NetworkPolicy.
namespace_has_policies(ns) if _namespace_isolation[ns]

_namespace_isolation := {ns: types |
	some ns in {namespace(p) | some p in netpols}
	types := {t | some p in _policies_by_key_at(ns); some t in policy_types(p)}
}

# policy_types are the directions a NetworkPolicy isolates. Without
# policyTypes, a policy always isolates ingress, and egress only when it has
# egress rules.
policy_types(p) := {t | some t in p.spec.policyTypes} if {
	count(as_array(object.get(p, ["spec", "policyTypes"], []))) > 0
} else := {"Ingress", "Egress"} if {
	count(as_array(object.get(p, ["spec", "egress"], []))) > 0
} else := {"Ingress"}

# open_ip_block is true for an ipBlock that covers every address.
open_ip_block(b) if {
	b.cidr in {"0.0.0.0/0", "::/0"}
	count(as_array(object.get(b, "except", []))) == 0
}

# open_rule_paths are the paths that make a policy rule (ingress or egress)
# accept any peer on any port: the rule itself when it names no peers, or
# each ipBlock covering every address. Rules limited to ports are not open.
open_rule_paths(rule, path, peers) := [path] if {
	count(as_array(object.get(rule, "ports", []))) == 0
	count(as_array(object.get(rule, peers, []))) == 0
} else := [p |
	count(as_array(object.get(rule, "ports", []))) == 0
	some j, peer in as_array(object.get(rule, peers, []))
	open_ip_block(peer.ipBlock)
	p := sprintf("%s.%s[%d].ipBlock.cidr", [path, peers, j])
]

# ---------------------------------------------------------------------------
# Gateway API

gateway_group := "gateway.networking.k8s.io"

route_kinds := {"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"}

is_gateway_api(obj) if startswith(obj.apiVersion, "gateway.networking.k8s.io/")

_gateways := [[service_key(namespace(g), g.metadata.name), g] |
	some g in input
	g.kind == "Gateway"
	is_gateway_api(g)
]

_gateways_by_name_at(k) := v if {
	v := gateways_by_name[k]
} else := []

gateways_by_name := {k: gs |
	some k in {e[0] | some e in _gateways}
	gs := [e[1] | some e in _gateways; e[0] == k]
}

# namespace_labels are the labels of a namespace: those of its Namespace
# object when scanned, and always kubernetes.io/metadata.name.
_namespace_objects := [n | some n in input; n.kind == "Namespace"]

namespace_labels(ns) := object.union(object.get(nso[0], ["metadata", "labels"], {}), {"kubernetes.io/metadata.name": ns}) if {
	nso := [n | some n in _namespace_objects; n.metadata.name == ns]
	count(nso) > 0
} else := {"kubernetes.io/metadata.name": ns}

_reference_grants := [g | some g in input; g.kind == "ReferenceGrant"; is_gateway_api(g)]

# reference_granted is true when a ReferenceGrant in namespace ns lets
# routes of kind kind in namespace from refer to Service name.
reference_granted(kind, from, ns, name) if {
	some g in _reference_grants
	namespace(g) == ns
	some f in as_array(object.get(g, ["spec", "from"], []))
	f.group == gateway_group
	f.kind == kind
	f.namespace == from
	some t in as_array(object.get(g, ["spec", "to"], []))
	object.get(t, "group", "") == ""
	t.kind == "Service"
	object.get(t, "name", name) == name
}

# _route_backends are the Services routes send traffic to, keyed by
# namespace/name.
_route_backends := [e |
	some r in input
	r.kind in route_kinds
	is_gateway_api(r)
	rns := namespace(r)
	some i, rule in as_array(object.get(r, ["spec", "rules"], []))
	some j, b in as_array(object.get(rule, "backendRefs", []))
	object.get(b, "group", "") == ""
	object.get(b, "kind", "Service") == "Service"
	is_string(b.name)
	ns := object.get(b, "namespace", rns)
	_backend_allowed(r, rns, ns, b.name)
	e := {"key": service_key(ns, b.name), "route": r, "path": sprintf("spec.rules[%d].backendRefs[%d]", [i, j])}
]

_backend_allowed(_, rns, ns, _) if rns == ns

_backend_allowed(r, rns, ns, name) if {
	rns != ns
	reference_granted(r.kind, rns, ns, name)
}

_route_backends_by_service_at(k) := v if {
	v := route_backends_by_service[k]
} else := []

route_backends_by_service := {k: es |
	some k in {e.key | some e in _route_backends}
	es := [e | some e in _route_backends; e.key == k]
}

# service_gateway_routes lists the routes to a Service as {"route", "path"}.
service_gateway_routes(svc) := _route_backends_by_service_at(service_key(namespace(svc), svc.metadata.name))

# route_listeners lists the Gateway listeners a route is attached to and
# admitted by, as {"gateway", "listener" (index), "parent" (index of the
# parentRef)}.
route_listeners(r) := [x |
	rns := namespace(r)
	some pi, pref in as_array(object.get(r, ["spec", "parentRefs"], []))
	object.get(pref, "group", gateway_group) == gateway_group
	object.get(pref, "kind", "Gateway") == "Gateway"
	some g in _gateways_by_name_at(service_key(object.get(pref, "namespace", rns), pref.name))
	some li, l in as_array(object.get(g, ["spec", "listeners"], []))
	_listener_referenced(l, pref)
	_hostnames_intersect(l, r)
	listener_admits_kind(l, r.kind)
	listener_admits_namespace(l, g, rns)
	x := {"gateway": g, "listener": li, "parent": pi}
]

_listener_referenced(l, pref) if {
	object.get(pref, "sectionName", l.name) == l.name
	object.get(pref, "port", l.port) == l.port
}

# A route attaches to a listener only when their hostnames intersect
# (either side without hostnames accepts all).
# (`not is_string(l.hostname)` would be undefined, not true, when the field
# is missing: OPA evaluates the reference outside the negation.)
_hostnames_intersect(l, _) if not _has_hostname(l)

_has_hostname(l) if {
	is_string(l.hostname)
	l.hostname != ""
}

_hostnames_intersect(l, r) if {
	_has_hostname(l)
	count(as_array(object.get(r, ["spec", "hostnames"], []))) == 0
}

_hostnames_intersect(l, r) if {
	_has_hostname(l)
	some h in as_array(r.spec.hostnames)
	_hostname_match(lower(l.hostname), lower(h))
}

_hostname_match(a, a)

_hostname_match(a, b) if {
	startswith(a, "*.")
	endswith(b, substring(a, 1, -1))
}

_hostname_match(a, b) if {
	startswith(b, "*.")
	endswith(a, substring(b, 1, -1))
}

_default_route_kinds := {
	"HTTP": {"HTTPRoute", "GRPCRoute"},
	"HTTPS": {"HTTPRoute", "GRPCRoute"},
	"TLS": {"TLSRoute"},
	"TCP": {"TCPRoute"},
	"UDP": {"UDPRoute"},
}

listener_admits_kind(l, kind) if {
	kinds := as_array(object.get(l, ["allowedRoutes", "kinds"], []))
	count(kinds) > 0
	some k in kinds
	k.kind == kind
	object.get(k, "group", gateway_group) == gateway_group
}

listener_admits_kind(l, kind) if {
	count(as_array(object.get(l, ["allowedRoutes", "kinds"], []))) == 0
	kind in _default_route_kinds[l.protocol]
}

# A TLS listener that terminates TLS also carries TCPRoutes.
listener_admits_kind(l, "TCPRoute") if {
	count(as_array(object.get(l, ["allowedRoutes", "kinds"], []))) == 0
	l.protocol == "TLS"
	object.get(l, ["tls", "mode"], "Terminate") == "Terminate"
}

# Implementation-specific protocols: assume they admit the route.
listener_admits_kind(l, _) if {
	count(as_array(object.get(l, ["allowedRoutes", "kinds"], []))) == 0
	is_string(l.protocol)
	not _default_route_kinds[l.protocol]
}

listener_admits_namespace(l, g, rns) if {
	object.get(l, ["allowedRoutes", "namespaces", "from"], "Same") == "Same"
	namespace(g) == rns
}

listener_admits_namespace(l, _, _) if {
	object.get(l, ["allowedRoutes", "namespaces", "from"], "Same") == "All"
}

listener_admits_namespace(l, _, rns) if {
	object.get(l, ["allowedRoutes", "namespaces", "from"], "Same") == "Selector"
	selector_matches(object.get(l, ["allowedRoutes", "namespaces", "selector"], {}), namespace_labels(rns))
}

# internal_gateway is true for a Gateway provisioned as an internal load
# balancer (by its class name or by internal load-balancer annotations).
internal_gateway(g) if regex.match(`(?i)internal|rilb|private`, object.get(g, ["spec", "gatewayClassName"], ""))

internal_gateway(g) if internal_lb_annotations(object.get(g, ["spec", "infrastructure", "annotations"], {}))

internal_gateway(g) if internal_lb_annotations(object.get(g, ["metadata", "annotations"], {}))

# ---------------------------------------------------------------------------
# Load balancers

# internal_lb_annotations is true when annotations ask the cloud provider
# for a load balancer reachable only from the private network.
internal_lb_annotations(a) if {
	some k, v in as_object(a)
	_internal_annotation(k, lower(sprintf("%v", [v])))
}

_internal_annotation("service.beta.kubernetes.io/aws-load-balancer-internal", v) if v != "false"

_internal_annotation("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal")

_internal_annotation("networking.gke.io/load-balancer-type", "internal")

_internal_annotation("cloud.google.com/load-balancer-type", "internal")

_internal_annotation("service.beta.kubernetes.io/azure-load-balancer-internal", "true")

_internal_annotation("service.beta.kubernetes.io/oci-load-balancer-internal", "true")

_internal_annotation("service.beta.kubernetes.io/openstack-internal-load-balancer", "true")

_internal_annotation("service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "private")

_internal_annotation("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", "intranet")
