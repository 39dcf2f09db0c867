# Helpers for the Pod Security Standards controls and the cluster-object
# controls that go with them: pod-level settings of a workload, the pod
# exemptions the standard defines, label selectors and webhook rules.
package vigil.pss

import data.vigil.workload

# get reads a nested field, giving def when any step is missing or is not
# an object (object.get alone fails on a non-object operand).
get(x, path, def) := object.get(x, path, def) if is_object(x)

else := def

# pod_sc is the pod-level securityContext of a workload ({} when unset).
pod_sc(obj) := sc if {
	sc := workload.pod_spec(obj).securityContext
	is_object(sc)
} else := {}

# pod_path is the dotted path of a pod-spec field of a workload:
# pod_path(obj, ".securityContext.runAsUser").
pod_path(obj, suffix) := concat("", [workload.prefix[obj.kind], suffix])

# meta_path is the dotted path of a field of the pod metadata of a workload.
meta_path(obj, suffix) := concat("", [workload.meta_prefix[obj.kind], suffix])

# pod_meta is the metadata of the pods a workload runs ({} when unset).
# (data.vigil.workload.pod_meta returns the whole pod template for kinds
# other than Pod, so it is not used here.)
pod_meta(obj) := m if {
	obj.kind == "Pod"
	m := obj.metadata
	is_object(m)
} else := m if {
	obj.kind != "Pod"
	path := array.concat(array.slice(workload.spec_path[obj.kind], 0, count(workload.spec_path[obj.kind]) - 1), ["metadata"])
	m := object.get(obj, path, {})
	is_object(m)
} else := {}

# windows_pod is true for pods that declare spec.os.name: windows; the
# restricted profile exempts them from its Linux-only checks.
windows_pod(obj) if workload.pod_spec(obj).os.name == "windows"

# user_namespace_pod is true for pods that run in their own user namespace
# (hostUsers: false), for which the standard relaxes some checks.
user_namespace_pod(obj) if workload.pod_spec(obj).hostUsers == false

# container_sc is a container's securityContext ({} when unset).
container_sc(c) := sc if {
	sc := c.container.securityContext
	is_object(sc)
} else := {}

# container_label names an element of workload.input_containers as the
# messages of the Pod Security Standards controls do: `container "app" in
# Deployment/web`, the name quoted by sprintf's %q. Rules call it for
# findings only; OPA caches it, so the controls that report the same
# container format it once.
container_label(c) := sprintf("container %q in %s", [c.container.name, concat("/", [c.obj.kind, c.obj.metadata.name])])

# quoted renders names as "a", "b" for messages.
quoted(names) := concat(", ", [sprintf("%q", [n]) | some n in names])

# container_word is "container" or "containers".
container_word(names) := "container" if count(names) == 1

else := "containers"

# verb picks the singular or plural form of a verb for a list of names.
verb(names, singular, plural) := singular if count(names) == 1

else := plural if count(names) != 1

# --- Label selectors -------------------------------------------------------

# selector_matches is true when a LabelSelector ({matchLabels,
# matchExpressions}) selects an object with these labels. An empty selector
# selects everything; callers decide what a missing selector means.
selector_matches(sel, labels) if {
	is_object(sel)
	every k, v in _or_empty(get(sel, "matchLabels", {}), {}) {
		labels[k] == v
	}
	every e in _or_empty(get(sel, "matchExpressions", []), []) {
		expression_matches(e, labels)
	}
}

# _or_empty replaces a null (a field written but left empty) by an empty
# collection, which "every" accepts.
_or_empty(null, empty) := empty

_or_empty(x, _) := x if x != null

expression_matches(e, labels) if {
	e.operator == "In"
	labels[e.key] in e.values
}

expression_matches(e, labels) if {
	e.operator == "NotIn"
	# A missing label is not in any list. (A negated membership test on an
	# undefined value is false in OPA, hence the explicit default.)
	value := object.get(labels, e.key, null)
	not value in get(e, "values", [])
}

expression_matches(e, labels) if {
	e.operator == "Exists"
	_ = labels[e.key]
}

expression_matches(e, labels) if {
	e.operator == "DoesNotExist"
	not _has(labels, e.key)
}

_has(o, k) if _ = o[k]

# namespace_labels are the labels of a Namespace, with the
# kubernetes.io/metadata.name label the API server always sets.
namespace_labels(ns) := object.union(labels, {"kubernetes.io/metadata.name": ns.metadata.name}) if {
	labels := get(ns, ["metadata", "labels"], {})
	is_object(labels)
} else := {"kubernetes.io/metadata.name": ns.metadata.name}

# --- Admission webhook rules ----------------------------------------------

# rule_covers is true when a webhook rule (apiGroups, resources,
# operations) intercepts the resource of the group for one of the
# operations given, wildcards included.
rule_covers(rule, group, resource, operations) if {
	some g in get(rule, "apiGroups", [])
	g in {group, "*"}
	some r in get(rule, "resources", [])
	resource_pattern_covers(r, resource)
	ops := operations | {"*"}
	some op in get(rule, "operations", [])
	op in ops
}

# "*" is every resource, "*/*" every resource and subresource; "x/*" names
# only the subresources of x.
resource_pattern_covers(r, resource) if r in {resource, "*", "*/*"}

# webhook_host is the host of an admission webhook URL, without scheme,
# port or path ("https://hooks.example.com:8443/x" -> "hooks.example.com").
webhook_host(url) := host if {
	rest := trim_prefix(trim_prefix(url, "https://"), "http://")
	authority := split(split(split(rest, "/")[0], "?")[0], "#")[0]
	host := _strip_port(lower(authority))
}

_strip_port(a) := h if {
	startswith(a, "[")
	h := concat("", [split(a, "]")[0], "]"])
} else := split(a, ":")[0]

# in_cluster_host is true for webhook hosts inside the cluster or on the
# API server's own machine: Service DNS names (NAME.NAMESPACE.svc, followed
# by the cluster domain, which need not be cluster.local) and loopback
# addresses.
in_cluster_host(h) if endswith(h, ".svc")

in_cluster_host(h) if contains(h, ".svc.")

in_cluster_host(h) if h in {"localhost", "[::1]"}

in_cluster_host(h) if startswith(h, "127.")

# secret_rule_paths are the paths of the resource patterns by which an
# admission webhook receives Secrets (their content, on create, update or
# delete).
secret_rule_paths(hook, prefix) := [sprintf("%s.rules[%d].resources[%d]", [prefix, j, k]) |
	some j, rule in get(hook, "rules", [])
	rule_covers(rule, "", "secrets", {"CREATE", "UPDATE", "DELETE"})
	some k, r in rule.resources
	resource_pattern_covers(r, "secrets")
]

# intercepts_everything is true when a rule of the webhook matches every
# resource of every API group.
intercepts_everything(hook) if {
	some rule in get(hook, "rules", [])
	"*" in get(rule, "apiGroups", [])
	some r in get(rule, "resources", [])
	r in {"*", "*/*"}
}
