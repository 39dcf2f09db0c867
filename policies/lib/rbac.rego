# Helpers for RBAC rules.
#
# Rules that use the subject-role-rolebinding aggregator get one subject
# vector per (binding, subject): the subject's own fields plus
# relatedObjects, holding [role, binding] when the role is among the
# scanned objects and just [binding] otherwise. Paths in alerts point into
# the vector: relatedObjects[i].rules[j].verbs[k].
#
# How a grant is judged (every control of the rbac theme follows this):
#
#   - A policy rule matches a request when an apiGroups entry is the group
#     or "*", a resources entry is the resource, "*", or "*/<sub>" for a
#     subresource, and a verbs entry is the verb or "*" (the API server's
#     own matching: "pods" does not cover "pods/exec").
#   - A RoleBinding grants only inside its namespace, so it never grants
#     cluster-scoped resources (nodes, persistentvolumes, clusterroles,
#     webhook configurations, CSRs, signers, impersonation of users and
#     groups). Namespaces are the exception: a RoleBinding covers the
#     namespace object it lives in.
#   - resourceNames: a rule that lists names grants the verb on those
#     objects only. For create on a resource (not a subresource) and for
#     deletecollection the request carries no name, so such a rule grants
#     nothing. Each capability below says whether a name-limited grant
#     still counts (`named`): it does where one object is enough to do the
#     harm (exec into one pod, impersonate one user, mint one token), it
#     does not where the control is about a whole class of objects
#     (reading secrets, changing workloads), because access to a few named
#     objects is exactly the least privilege those controls ask for.
#   - When the role is not among the scanned objects, the built-in
#     ClusterRoles cluster-admin, admin, edit and view are judged by name,
#     with the rules Kubernetes gives them; paths then point at the
#     binding's roleRef.name. Other unknown roles are not judged, and an
#     aggregated ClusterRole is judged by the rules it lists (in a manifest
#     usually none: the API server fills them in).
#
# Rules use hits(vector, id) with a capability id of caps below, and
# grant_alert to report; relational rules over workloads use rule_hits,
# binding_rules, member_entries and workload_alert.
package vigil.rbac

import data.vigil.workload

# ---------------------------------------------------------------------------
# Subject vectors

# binding returns the binding of a subject vector and its index.
binding(vector) := [i, b] if {
	some i, b in vector.relatedObjects
	endswith(b.kind, "Binding")
}

# role returns the role of a subject vector and its index (undefined when
# the role is not among the scanned objects).
role(vector) := [i, r] if {
	some i, r in vector.relatedObjects
	r.kind in {"Role", "ClusterRole"}
}

# subject_index is the index of the vector's subject in its binding (the
# first one when a binding lists the same subject twice).
subject_index(vector, b) := min({i |
	some i, s in b.subjects
	s.kind == vector.kind
	s.name == vector.name
	object.get(s, "namespace", "") == object.get(vector, "namespace", "")
})

# subject_path is the path of the vector's subject inside its binding.
subject_path(vector) := sprintf("relatedObjects[%d].subjects[%d]", [bi, subject_index(vector, b)]) if {
	[bi, b] := binding(vector)
}

# roleref_path is the path of the binding's roleRef.name in the vector.
roleref_path(vector) := sprintf("relatedObjects[%d].roleRef.name", [bi]) if {
	[bi, _] := binding(vector)
}

# subject_namespace is the namespace of a service account subject: its own,
# or, in a RoleBinding that names none, the binding's (as the API server
# reads it).
subject_namespace(v) := v.namespace if {
	v.namespace != ""
} else := object.get(b.metadata, "namespace", "") if {
	v.kind == "ServiceAccount"
	[_, b] := binding(v)
	b.kind == "RoleBinding"
} else := ""

# subject_name renders "Kind namespace/name" for messages.
subject_name(v) := sprintf("%s %s/%s", [v.kind, ns, v.name]) if {
	ns := subject_namespace(v)
	ns != ""
} else := sprintf("%s %s", [v.kind, v.name])

# Groups and users of the system: prefix that stand for people or
# workloads rather than for Kubernetes itself: they are never exempt.
broad_groups := {"system:authenticated", "system:unauthenticated", "system:anonymous", "system:serviceaccounts"}

# system_namespaces hold the control plane's own service accounts.
system_namespaces := {"kube-system"}

# system_subject is true for subjects that belong to Kubernetes itself:
# users and groups named system:* (system:masters, system:nodes,
# system:kube-controller-manager ...), service accounts of kube-system
# (whether named as ServiceAccount, as the user
# system:serviceaccount:kube-system:<name> or as the group
# system:serviceaccounts:kube-system), and kubeadm's API server client
# identity. The broad groups (system:authenticated, system:unauthenticated,
# system:serviceaccounts, system:serviceaccounts:<ns>), system:anonymous and
# service accounts of other namespaces are not exempt.
#
# It is one else chain ending in false, so that it is always defined: OPA
# caches a function's result per argument only when the result is defined,
# and every RBAC rule of a group asks this of every vector.
system_subject(v) := true if {
	startswith(v.name, "system:")
	not v.name in broad_groups
	not startswith(v.name, "system:serviceaccount:")
	not startswith(v.name, "system:serviceaccounts:")
} else := true if {
	v.kind == "ServiceAccount"
	subject_namespace(v) in system_namespaces
} else := true if {
	some ns in system_namespaces
	startswith(v.name, concat("", ["system:serviceaccount:", ns, ":"]))
} else := true if {
	some ns in system_namespaces
	v.name == concat("", ["system:serviceaccounts:", ns])
} else := true if {
	v.kind == "User"
	v.name == "kube-apiserver-kubelet-client"
} else := false

# ---------------------------------------------------------------------------
# Matching policy rules

# grants is true when a policy rule covers the verb on the resource in the
# API group, wildcards included.
grants(rule, group, resource, verb) if {
	some g in rule.apiGroups
	g in {group, "*"}
	some r in rule.resources
	resource_matches(r, resource)
	some v in rule.verbs
	v in {verb, "*"}
}

# rule_path gives the path of a role rule inside a vector:
# relatedObjects[i].rules[j].
rule_path(ri, j) := sprintf("relatedObjects[%d].rules[%d]", [ri, j])

# resource_matches is true when a rule's resources entry covers a
# resource ("pods", "pods/exec").
resource_matches("*", _) := true

resource_matches(r, r) := true

resource_matches(r, target) if {
	parts := split(target, "/")
	count(parts) == 2
	r == concat("", ["*/", parts[1]])
}

# cluster_scoped are the resources a RoleBinding cannot grant.
cluster_scoped := {
	"nodes", "persistentvolumes", "clusterroles", "clusterrolebindings",
	"certificatesigningrequests", "signers", "validatingwebhookconfigurations",
	"mutatingwebhookconfigurations", "validatingadmissionpolicies",
	"validatingadmissionpolicybindings", "users", "groups", "uids", "userextras",
	"customresourcedefinitions", "storageclasses", "priorityclasses",
}

list(x) := x if is_array(x)

else := []

# Lookup tables built once per evaluation from caps, so that a policy rule
# is matched with a few object lookups:
#   _verb_table[id][rule verb]           the capability verbs it covers
#   _res_table[id][scope][rule resource] the targets it covers, where scope
#                                        is "cluster" or "namespace"
_verb_table := {id: t |
	some id, cap in caps
	t := object.union({v: [v] | some v in cap.verbs}, {"*": cap.verbs})
}

_res_table := {id: {"cluster": _patterns(cap.targets), "namespace": _patterns(_namespaced(cap.targets))} |
	some id, cap in caps
}

_namespaced(targets) := [t | some t in targets; not split(t[1], "/")[0] in cluster_scoped]

# _covering lists the resources entries that cover a resource.
_covering(res) := {"*", res, concat("", ["*/", split(res, "/")[1]])} if {
	contains(res, "/")
} else := {"*", res}

_patterns(targets) := {p: ts |
	some p in {p | some t in targets; some p in _covering(t[1])}
	ts := [t | some t in targets; p in _covering(t[1])]
}

_scope(true) := "cluster"

_scope(false) := "namespace"

# _names_ok decides whether a rule limited by resourceNames (names) counts
# for a capability target and verb.
# (An else chain: most rules list no names, and then nothing else is
# evaluated.)
_names_ok(names, cap, res, verb) := true if {
	count(names) == 0
} else := true if {
	cap.named == true
	not cap.onlyNames
	not _unnamed_request(res, verb)
} else := true if {
	some n in names
	n in cap.onlyNames
	not _unnamed_request(res, verb)
}

# _unnamed_request is true for requests that carry no object name: a rule
# limited by resourceNames never matches them.
_unnamed_request(res, "create") if not contains(res, "/")

_unnamed_request(_, "deletecollection") := true

# _group_ok is true when a rule's apiGroups cover the API group g.
_group_ok(groups, g) := true if {
	"*" in groups
} else := true if {
	g in groups
}

# rule_hits lists what one policy rule grants of the capability caps[id],
# for a binding that is cluster-wide (cluster = true) or namespaced. Each
# hit is {"verb", "resource", "vi", "ri", "names"}: vi and ri index the
# verbs and resources entries that grant it.
rule_hits(r, id, cluster) := {h |
	vt := _verb_table[id]
	rt := _res_table[id][_scope(cluster)]
	some vi, rv in r.verbs
	some v in vt[rv]
	some ri, res in r.resources
	some t in rt[res]
	_group_ok(r.apiGroups, t[0])
	names := _names_of(r)
	_names_ok(names, caps[id], t[1], v)
	h := {"verb": v, "resource": t[1], "vi": vi, "ri": ri, "names": names}
}

# rule_caps are the capabilities one policy rule can grant, judged by its
# resources and verbs entries only, for a binding that is cluster-wide
# (cluster = true) or namespaced: a superset of the ids for which
# rule_hits is not empty, cheap to compute, to call rule_hits only for
# those.
rule_caps(r, cluster) := {id | some id in by_resource & by_verb} if {
	targets := _res_targets[_scope(cluster)]
	by_resource := {id | some res in r.resources; some id, _ in targets[res]}
	by_verb := {id | some rv in r.verbs; some id in _verb_index[rv]}
}

# ---------------------------------------------------------------------------
# Built-in ClusterRoles, judged by name when they are not scanned

_read := ["get", "list", "watch"]

_write := ["create", "delete", "deletecollection", "patch", "update"]

_view_rules := [
	{"apiGroups": [""], "resources": ["pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps", "limitranges", "resourcequotas", "bindings", "events", "pods/status", "pods/log", "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "namespaces"], "verbs": _read},
	{"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": _read},
	{"apiGroups": ["apps"], "resources": ["controllerrevisions", "statefulsets", "statefulsets/scale", "statefulsets/status", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status"], "verbs": _read},
	{"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], "verbs": _read},
	{"apiGroups": ["batch"], "resources": ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], "verbs": _read},
	{"apiGroups": ["extensions"], "resources": ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale", "networkpolicies"], "verbs": _read},
	{"apiGroups": ["policy"], "resources": ["poddisruptionbudgets", "poddisruptionbudgets/status"], "verbs": _read},
	{"apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "ingresses/status", "networkpolicies"], "verbs": _read},
]

_edit_rules := array.concat(_view_rules, [
	{"apiGroups": [""], "resources": ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"], "verbs": _read},
	{"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["impersonate"]},
	{"apiGroups": [""], "resources": ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"], "verbs": _write},
	{"apiGroups": [""], "resources": ["pods/eviction"], "verbs": ["create"]},
	{"apiGroups": [""], "resources": ["replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets", "events"], "verbs": _write},
	{"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]},
	{"apiGroups": ["apps"], "resources": ["statefulsets", "statefulsets/scale", "daemonsets", "deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"], "verbs": _write},
	{"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers"], "verbs": _write},
	{"apiGroups": ["batch"], "resources": ["jobs", "cronjobs"], "verbs": _write},
	{"apiGroups": ["extensions"], "resources": ["daemonsets", "deployments", "deployments/scale", "deployments/rollback", "ingresses", "replicasets", "replicasets/scale", "replicationcontrollers/scale", "networkpolicies"], "verbs": _write},
	{"apiGroups": ["policy"], "resources": ["poddisruptionbudgets"], "verbs": _write},
	{"apiGroups": ["networking.k8s.io"], "resources": ["networkpolicies", "ingresses"], "verbs": _write},
])

_admin_rules := array.concat(_edit_rules, [
	{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles", "rolebindings"], "verbs": array.concat(_read, _write)},
	{"apiGroups": ["authorization.k8s.io"], "resources": ["localsubjectaccessreviews"], "verbs": ["create"]},
])

# builtin_rules are the rules of the built-in user-facing ClusterRoles.
builtin_rules := {
	"cluster-admin": [
		{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
		{"nonResourceURLs": ["*"], "verbs": ["*"]},
	],
	"admin": _admin_rules,
	"edit": _edit_rules,
	"view": _view_rules,
}

# builtin_role is the name of the built-in ClusterRole a vector's binding
# refers to, when that role is not among the scanned objects.
builtin_role(vector) := name if {
	not role(vector)
	[_, b] := binding(vector)
	b.roleRef.kind == "ClusterRole"
	name := b.roleRef.name
	builtin_rules[name]
}

# cluster_wide is true for a vector whose binding is a ClusterRoleBinding.
cluster_wide(vector) if {
	[_, b] := binding(vector)
	b.kind == "ClusterRoleBinding"
}

# hits is everything a vector's binding grants of the capability caps[id]:
# {"verb", "resource", "names", "at"}, where "at" locates the grant (see
# paths). The built-in roles are judged by name when their role object is
# not scanned. It is a look-up in grant_index, which finds the grants of
# every capability at once.
hits(vector, id) := object.get(grant_index(vector), id, set())

# grant_index is {id: hits(vector, id)} for every capability of caps that
# a vector's binding grants (capabilities it does not grant are absent).
# RBAC controls look their capability up here. It is built once per vector
# for the whole group of RBAC rules evaluated together (OPA caches a
# function's result per argument within a query), walking the role once
# for all capabilities rather than once per capability.
#
# A vector has one binding (see binding); its role is either scanned, or
# a built-in ClusterRole judged by name, or unknown (nothing is granted).
grant_index(vector) := _builtin_index(name, _binding_scope[b.kind], bi) if {
	name := builtin_role(vector)
	[bi, b] := binding(vector)
} else := {id: hs |
	some id in {id | some [id, _] in found}
	hs := {x | some [i, xs] in found; i == id; some x in xs}
	count(hs) > 0
} if {
	found := _role_grants(vector)
}

# _role_grants lists what a vector's scanned role grants, as [id, hits]
# pairs: one per rule, resources entry and capability with a target that
# the entry covers and a verb that one of the rule's verbs entries covers.
# The tables are bound to local variables once, as look-ups in locals are
# cheaper than in rules of the package.
_role_grants(vector) := [[id, xs] |
	verb_table := _verb_table
	verb_caps := _verb_index
	some b in vector.relatedObjects
	targets := _res_targets[_binding_scope[b.kind]]
	some ri, r in vector.relatedObjects
	_role_kinds[r.kind]
	some j, pr in r.rules
	# the capabilities with a verb this rule grants
	by_verb := {id | some rv in pr.verbs; some id in verb_caps[rv]}
	groups := _covered_groups(pr.apiGroups)
	names := _names_of(pr)
	some k, res in pr.resources
	some id, ts in targets[res]
	by_verb[id]
	cap := caps[id]
	xs := {x |
		some t in ts
		groups[t[0]]
		some vi, rv in pr.verbs
		some v in verb_table[id][rv]
		_names_ok(names, cap, t[1], v)
		x := {"verb": v, "resource": t[1], "names": names, "at": [ri, j, vi, k]}
	}
]

# _builtin_index is grant_index for a vector whose binding, at index bi of
# relatedObjects, binds the built-in ClusterRole name with a scope
# ("cluster" or "namespace"). It depends on these three only, so all the
# vectors that bind the same built-in role share one index.
_builtin_index(name, scope, bi) := {id: {x |
	some [v, res] in pairs
	x := {"verb": v, "resource": res, "names": [], "at": [bi]}
} |
	some id, pairs in _builtin_grants(name, scope)
}

# _builtin_grants is, for a built-in ClusterRole bound with a scope,
# {id: the [verb, resource] pairs it grants of caps[id]}.
_builtin_grants(name, scope) := {id: pairs |
	some id, _ in caps
	vt := _verb_table[id]
	rt := _res_table[id][scope]
	pairs := {[v, t[1]] |
		some pr in builtin_rules[name]
		some res in pr.resources
		some t in rt[res]
		some rv in pr.verbs
		some v in vt[rv]
		_group_ok(pr.apiGroups, t[0])
	}
	count(pairs) > 0
}

_binding_scope := {"ClusterRoleBinding": "cluster", "RoleBinding": "namespace"}

_role_kinds := {"Role": true, "ClusterRole": true}

# hits_any is the union of a vector's hits of the capabilities ids.
hits_any(vector, ids) := {h |
	idx := grant_index(vector)
	some id in ids
	some h in idx[id]
}

# _covered_groups is the set of the capabilities' API groups that a
# rule's apiGroups cover: _group_ok as a set, computed once per rule.
_covered_groups(groups) := _target_groups if {
	"*" in groups
} else := {g | some g in groups}

_target_groups := {t[0] | some cap in caps; some t in cap.targets}

# _verb_index[verbs entry] is the set of capabilities with a verb that the
# entry covers (_verb_table turned inside out).
_verb_index := {rv: ids |
	some rv in {rv | some t in _verb_table; some rv, _ in t}
	ids := {id | some id, t in _verb_table; t[rv]}
}

# _res_targets[scope][resources entry][id] are the targets of caps[id]
# that the entry covers (_res_table turned inside out).
_res_targets := {scope: {res: {id: ts | some id, t in _res_table; ts := t[scope][res]} |
	some res in {p | some t in _res_table; some p, _ in t[scope]}
} |
	some scope in ["cluster", "namespace"]
}

_names_of(pr) := pr.resourceNames if is_array(pr.resourceNames)

else := []

# paths are the sorted, distinct paths of a set of hits: the granting
# verbs and resources entries of role rules ("at" is [role index, rule
# index, verb index, resource index]), or the binding's roleRef for a
# built-in role ("at" is [binding index]).
paths(hs) := sort({p |
	some a in {h.at | some h in hs}
	some p in _at_paths(a)
})

_at_paths([bi]) := [sprintf("relatedObjects[%d].roleRef.name", [bi])]

_at_paths([ri, j, vi, k]) := [
	sprintf("relatedObjects[%d].rules[%d].verbs[%d]", [ri, j, vi]),
	sprintf("relatedObjects[%d].rules[%d].resources[%d]", [ri, j, k]),
]

# ---------------------------------------------------------------------------
# Capabilities: what the controls look for. targets are [apiGroup,
# resource] pairs; named says whether a rule limited by resourceNames
# still counts; onlyNames, when set, counts a name-limited rule only if it
# names one of these objects.

_workloads := [
	["", "pods"], ["", "replicationcontrollers"],
	["apps", "deployments"], ["apps", "daemonsets"], ["apps", "statefulsets"], ["apps", "replicasets"],
	["extensions", "deployments"], ["extensions", "daemonsets"], ["extensions", "replicasets"],
	["batch", "jobs"], ["batch", "cronjobs"],
]

_controllers := [t | some t in _workloads; t[1] != "pods"]

caps := {
	"exec": {"verbs": ["create"], "targets": [["", "pods/exec"], ["", "pods/attach"]], "named": true},
	"portforward": {"verbs": ["create"], "targets": [["", "pods/portforward"]], "named": true},
	"secrets_read": {"verbs": ["get", "list", "watch"], "targets": [["", "secrets"]], "named": false},
	"pods_create": {"verbs": ["create"], "targets": [["", "pods"]], "named": false},
	"delete_data": {
		"verbs": ["delete", "deletecollection"], "targets": array.concat(_workloads, [
			["", "secrets"], ["", "configmaps"], ["", "services"],
			["", "persistentvolumeclaims"], ["", "persistentvolumes"],
		]),
		"named": false,
	},
	"delete_namespaces": {"verbs": ["delete"], "targets": [["", "namespaces"]], "named": true},
	"delete_events": {"verbs": ["delete", "deletecollection"], "targets": [["", "events"], ["events.k8s.io", "events"]], "named": false},
	"coredns": {"verbs": ["update", "patch"], "targets": [["", "configmaps"]], "named": true, "onlyNames": ["coredns", "kube-dns"]},
	"impersonate": {
		"verbs": ["impersonate"], "targets": [
			["", "users"], ["", "groups"], ["", "serviceaccounts"],
			["authentication.k8s.io", "uids"],
		],
		"named": true,
	},
	"bind_escalate": {
		"verbs": ["bind", "escalate"], "targets": [
			["rbac.authorization.k8s.io", "roles"],
			["rbac.authorization.k8s.io", "clusterroles"],
		],
		"named": true,
	},
	"bind_escalate_any": {
		"verbs": ["bind", "escalate"], "targets": [
			["rbac.authorization.k8s.io", "roles"],
			["rbac.authorization.k8s.io", "clusterroles"],
		],
		"named": false,
	},
	"nodes_proxy": {"verbs": ["get", "create"], "targets": [["", "nodes/proxy"]], "named": true},
	"csr_approval": {"verbs": ["update"], "targets": [["certificates.k8s.io", "certificatesigningrequests/approval"]], "named": false},
	"signer_approve": {"verbs": ["approve"], "targets": [["certificates.k8s.io", "signers"]], "named": true},
	"sa_token": {"verbs": ["create"], "targets": [["", "serviceaccounts/token"]], "named": true},
	"webhooks": {
		"verbs": ["create", "update", "patch", "delete"], "targets": [
			["admissionregistration.k8s.io", "validatingwebhookconfigurations"],
			["admissionregistration.k8s.io", "mutatingwebhookconfigurations"],
		],
		"named": false,
	},
	"workloads_write": {"verbs": ["create", "update", "patch"], "targets": _controllers, "named": false},
	"pods_write": {"verbs": ["create", "update", "patch"], "targets": _workloads, "named": false},
	"pv_create": {"verbs": ["create"], "targets": [["", "persistentvolumes"]], "named": false},
	"rbac_write": {
		"verbs": ["create", "update", "patch"], "targets": [
			["rbac.authorization.k8s.io", "roles"], ["rbac.authorization.k8s.io", "rolebindings"],
			["rbac.authorization.k8s.io", "clusterroles"], ["rbac.authorization.k8s.io", "clusterrolebindings"],
		],
		"named": false,
	},
	"nodes_write": {"verbs": ["update", "patch"], "targets": [["", "nodes"], ["", "nodes/status"]], "named": false},
}

# sensitive lists the capabilities that give a subject power over workloads,
# credentials or access control, with a short label each.
sensitive := {
	"exec": "exec into pods",
	"portforward": "port-forward to pods",
	"secrets_read": "read secrets",
	"pods_write": "create or change workloads",
	"delete_data": "delete workloads and data",
	"delete_namespaces": "delete namespaces",
	"impersonate": "impersonate identities",
	"bind_escalate": "bind or escalate roles",
	"rbac_write": "change roles and bindings",
	"nodes_proxy": "reach the kubelet API through nodes/proxy",
	"nodes_write": "change nodes",
	"sa_token": "mint service account tokens",
	"webhooks": "change admission webhooks",
	"csr_approval": "approve certificate requests",
	"pv_create": "create persistent volumes",
}

# ---------------------------------------------------------------------------
# Messages and alerts

# name renders "namespace/name" or "name".
name(obj) := sprintf("%s/%s", [obj.metadata.namespace, obj.metadata.name]) if {
	obj.metadata.namespace != ""
} else := obj.metadata.name

# where says how far a vector's binding reaches.
where(vector) := "cluster-wide" if {
	cluster_wide(vector)
} else := sprintf("in namespace %s", [ns]) if {
	[_, b] := binding(vector)
	ns := object.get(b.metadata, "namespace", "")
	ns != ""
} else := "in the binding's namespace"

# source names the role and the binding a vector's grant comes from.
source(vector) := sprintf("%s %s, bound by %s %s", [r.kind, name(r), b.kind, name(b)]) if {
	[_, r] := role(vector)
	[_, b] := binding(vector)
} else := sprintf("built-in ClusterRole %s, bound by %s %s", [builtin_role(vector), b.kind, name(b)]) if {
	builtin_role(vector)
	[_, b] := binding(vector)
} else := sprintf("%s %s, bound by %s %s", [b.roleRef.kind, b.roleRef.name, b.kind, name(b)]) if {
	[_, b] := binding(vector)
}

# source_role names the role of a vector's binding ("Role shop/debug",
# "built-in ClusterRole edit", "ClusterRole some-role").
source_role(vector) := sprintf("%s %s", [r.kind, name(r)]) if {
	[_, r] := role(vector)
} else := sprintf("built-in ClusterRole %s", [builtin_role(vector)]) if {
	builtin_role(vector)
} else := sprintf("%s %s", [b.roleRef.kind, b.roleRef.name]) if {
	[_, b] := binding(vector)
}

# describe summarises hits, grouping resources by the verbs granted on
# them: "create pods/attach, pods/exec; delete namespaces".
# Groups come in the order of their verbs ("create" before "delete").
describe(hs) := concat("; ", [concat(" ", [vs, join_limited(rs, 5)]) |
	some vs in {vs | some _, vs in lv}
	rs := sort({l | some l, v in lv; v == vs})
]) if {
	lv := _label_verbs(hs)
}

# _label_verbs maps each resource label of hits to the verbs granted on it
# ("get, list"), labelling each hit once.
_label_verbs(hs) := {l: concat(", ", sort({v | some [l2, v] in pairs; l2 == l})) |
	some l in {l | some [l, _] in pairs}
} if {
	pairs := [[resource_label(h), h.verb] | some h in hs]
}

resource_label(h) := h.resource if count(h.names) == 0

else := sprintf("%s (only %s)", [h.resource, concat(", ", h.names)])

join_limited(xs, n) := concat(", ", xs) if count(xs) <= n

else := sprintf("%s and %d more", [concat(", ", array.slice(xs, 0, n)), count(xs) - n])

# subject_alert is an alert about a subject: failed are the granting
# paths; the subject's entry in its binding is for a person to review.
subject_alert(vector, msg, score, failed) := {
	"alertMessage": msg,
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": failed,
	"reviewPaths": [subject_path(vector)],
	"deletePaths": [],
	"fixPaths": [],
	"alertObject": {"externalObjects": vector},
}

# grant_alert is the usual alert of a capability control: "<subject> can
# <what>: <verbs> <resources> <where> (<role>, <binding>)".
grant_alert(vector, what, hs, score) := subject_alert(
	vector,
	concat("", [subject_name(vector), " can ", what, ": ", describe(hs), " ", where(vector), " (", source(vector), ")"]),
	score,
	paths(hs),
)

# ---------------------------------------------------------------------------
# Relational rules (workloads and RBAC objects in one input)

# role_key identifies a role as a binding's roleRef does.
role_key(r) := concat("/", [r.kind, object.get(r.metadata, "namespace", ""), r.metadata.name]) if {
	r.kind == "Role"
} else := concat("/", ["ClusterRole", "", r.metadata.name])

# roleref_key is the role_key a binding refers to.
roleref_key(b) := concat("/", ["Role", object.get(b.metadata, "namespace", ""), b.roleRef.name]) if {
	b.roleRef.kind == "Role"
} else := concat("/", ["ClusterRole", "", b.roleRef.name])

# input_by_kind groups the objects of the input that relational RBAC
# rules look at by kind, in one pass over the input: OPA indexes the inner
# comprehension on kind (comprehension indexing), so the rules below do
# not each scan the whole input.
input_by_kind := {kind: objs |
	some kind in _related_kinds
	objs := [o | some o in input; o.kind == kind]
}

_related_kinds := {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount"} | {k | some k, _ in workload.spec_path}

# input_of_kind lists the objects of the input of one kind.
input_of_kind(kind) := object.get(input_by_kind, kind, [])

_input_roles := array.concat(input_of_kind("Role"), input_of_kind("ClusterRole"))

_input_role_keys := {role_key(r) | some r in _input_roles}

# roles_by_key groups the roles of the input by role_key (a list, as the
# same role may be scanned twice).
roles_by_key := {k: rs | some k in _input_role_keys; rs := [r | some r in _input_roles; role_key(r) == k]}

# input_bindings are the bindings of the input.
input_bindings := array.concat(input_of_kind("RoleBinding"), input_of_kind("ClusterRoleBinding"))

# binding_rules lists what a binding grants, one entry per role it can
# resolve to: {"role": the role object or null, "rules": [{"rule", "prefix"}]}
# where prefix is the rule's path in the role ("rules[2]"), or "" for a
# built-in role judged by name.
binding_rules(b) := [x |
	some br in binding_roles(b)
	x := {"role": br.role, "rules": [e |
		some j, pr in br.rules
		e := {"rule": pr, "prefix": _rule_prefix(br.role, j)}
	]}
]

_rule_prefix(null, _) := ""

_rule_prefix(r, j) := sprintf("rules[%d]", [j]) if r != null

# binding_roles is binding_rules without the prefixes, which rules need
# only for the few rules they report: {"role": the role object or null,
# "rules": its policy rules}; the path of rules[j] in a scanned role is
# "rules[j]".
binding_roles(b) := [{"role": r, "rules": list(object.get(r, "rules", []))} |
	some r in rs
] if {
	rs := roles_by_key[roleref_key(b)]
} else := [{"role": null, "rules": builtin_rules[b.roleRef.name]}] if {
	b.roleRef.kind == "ClusterRole"
	builtin_rules[b.roleRef.name]
} else := []

# sa_members lists the service accounts a binding's subjects stand for, as
# {"key", "index", "via"}: key is "namespace/name" for one service account,
# "namespace/*" for the group of a namespace's service accounts and "*" for
# every service account (system:serviceaccounts, system:authenticated).
sa_members(b) := {m |
	some i, s in b.subjects
	key := sa_key(s, b)
	m := {"key": key, "index": i, "via": _via(s)}
}

# _via says, for messages, when a grant reaches service accounts through
# a group.
_via(s) := sprintf(" through Group %s", [s.name]) if {
	s.kind == "Group"
} else := ""

sa_key(s, b) := concat("/", [ns, s.name]) if {
	s.kind == "ServiceAccount"
	ns := object.get(s, "namespace", object.get(b.metadata, "namespace", ""))
}

sa_key(s, _) := concat("/", [parts[2], parts[3]]) if {
	s.kind == "User"
	parts := split(s.name, ":")
	count(parts) == 4
	parts[0] == "system"
	parts[1] == "serviceaccount"
}

sa_key(s, _) := concat("/", [trim_prefix(s.name, "system:serviceaccounts:"), "*"]) if {
	s.kind == "Group"
	startswith(s.name, "system:serviceaccounts:")
}

sa_key(s, _) := "*" if {
	s.kind == "Group"
	s.name in {"system:serviceaccounts", "system:authenticated"}
}

# sa_lookup_keys are the sa_members keys that apply to one service account.
sa_lookup_keys(ns, sa) := [concat("/", [ns, sa]), concat("/", [ns, "*"]), "*"]

# service_account is the service account a pod spec runs as.
service_account(spec) := spec.serviceAccountName if {
	spec.serviceAccountName != ""
} else := spec.serviceAccount if {
	spec.serviceAccount != ""
} else := "default"

# service_account_field is the pod spec field naming the service account
# (serviceAccountName when none is set).
service_account_field(spec) := "serviceAccount" if {
	not spec.serviceAccountName
	spec.serviceAccount != ""
} else := "serviceAccountName"

# _no_automount are the service accounts ("namespace/name") of the input
# that turn off token automounting.
_no_automount := {k |
	some sa in input_of_kind("ServiceAccount")
	sa.automountServiceAccountToken == false
	k := concat("/", [object.get(sa.metadata, "namespace", "default"), sa.metadata.name])
}

# token_mounted is true when the pods of a workload get an API token of
# their service account: automounting is on (the pod's setting wins over
# the service account's), or a projected volume asks for a token.
# (An else chain, so that the first reason found ends the search.)
token_mounted(spec, ns, sa) := true if {
	spec.automountServiceAccountToken == true
} else := true if {
	not has_automount(spec)
	not concat("/", [ns, sa]) in _no_automount
} else := true if {
	some v in list(object.get(spec, "volumes", []))
	some src in list(object.get(v, ["projected", "sources"], []))
	src.serviceAccountToken
}

has_automount(spec) if is_boolean(spec.automountServiceAccountToken)

# identity is the part of an object that names it: enough for
# relatedObjects, and cheap to carry in thousands of alerts.
identity(obj) := {"apiVersion": obj.apiVersion, "kind": obj.kind, "metadata": {"name": obj.metadata.name, "namespace": ns}} if {
	ns := obj.metadata.namespace
} else := {"apiVersion": obj.apiVersion, "kind": obj.kind, "metadata": {"name": obj.metadata.name}}

# workload_account describes the service account a workload's pods run
# as, for workloads outside the control plane's namespaces:
# {"namespace", "name", "path", "spec"} where path is the pod spec field
# naming the account (or where it would be set).
workload_account(obj) := _account(obj, workload.spec_path[obj.kind], workload.prefix[obj.kind])

# _account is workload_account for a workload whose pod spec is at path
# (an array of keys; prefix in dotted form).
_account(obj, path, prefix) := {
	"namespace": ns,
	"name": service_account(spec),
	"path": concat(".", [prefix, service_account_field(spec)]),
	"spec": spec,
} if {
	spec := object.get(obj, path, null)
	is_object(spec)
	ns := object.get(obj.metadata, "namespace", "default")
	not system_namespaces[ns]
}

# member_entries groups per-binding findings by the service accounts the
# bindings' subjects stand for (sa_members keys). A finding is {"binding",
# "role" (or null for a built-in role judged by name), "rolePaths",
# "summary", and optionally "byName": true when the binding is wrong
# because of the role it names}. Each key maps to {"summaries",
# "related"}: the sets of finding summaries and of relatedObjects entries
# (the binding with the subject to review, the role with the granting
# paths), built once per key so that workloads only take unions.
member_entries(findings) := {k: _entry(sums, rel) |
	some k in {p.key | some p in pairs}
	sums := {p.summary | some p in pairs; p.key == k}
	rel := {x | some p in pairs; p.key == k; some x in p.related}
} if {
	pairs := [p |
		some f in findings
		some m in sa_members(f.binding)
		p := {"key": m.key, "summary": concat("", [f.summary, m.via]), "related": related_of(f, m.index)}
	]
}

related_of(f, i) := array.concat(
	[{
		"object": identity(f.binding),
		"failedPaths": _roleref_failed(f),
		"reviewPaths": [sprintf("subjects[%d]", [i])],
		"deletePaths": [],
		"fixPaths": [],
	}],
	[x |
		f.role != null
		count(f.rolePaths) > 0
		x := {
			"object": identity(f.role),
			"failedPaths": f.rolePaths,
			"reviewPaths": [],
			"deletePaths": [],
			"fixPaths": [],
		}
	],
)

# The binding's roleRef is what is wrong when the role is judged by name.
_roleref_failed(f) := ["roleRef.name"] if {
	f.role == null
} else := ["roleRef.name"] if {
	f.byName
} else := []

_entry(sums, rel) := {"summaries": sums, "related": rel, "text": _text(sums), "list": [x | some x in rel]}

# _text lists the grants of an account in messages, the first three only.
_text(sums) := concat("; ", sums) if {
	count(sums) <= 3
} else := sprintf("%s; and %d more grants (see the related objects)", [concat("; ", array.slice(sort(sums), 0, 3)), count(sums) - 3])

# token_workloads are the workloads of the input whose pods get an API
# token, with the account they run as: [obj, acct, keys] where acct is
# workload_account(obj) and keys its sa_lookup_keys. Rules about what
# workloads' service accounts may do iterate these rather than the whole
# input; being a rule of this package, the list is built once for all the
# rules evaluated together.
token_workloads := [[obj, acct, keys] |
	some kind, path in workload.spec_path
	prefix := workload.prefix[kind]
	some obj in input_of_kind(kind)
	acct := _account(obj, path, prefix)
	token_mounted(acct.spec, acct.namespace, acct.name)
	keys := sa_lookup_keys(acct.namespace, acct.name)
]

# entries_for is account_entries for an account's sa_lookup_keys.
entries_for(grouped, keys) := es if {
	found := [e | some k in keys; e := grouped[k]]
	count(found) > 0
	es := _merge(found)
}

# account_entries merges the member_entries that apply to one service
# account: its own, its namespace's group and the cluster-wide groups.
# Most accounts get grants from one of them only, whose entry is used as
# it is.
account_entries(grouped, acct) := es if {
	found := [e | some k in sa_lookup_keys(acct.namespace, acct.name); e := grouped[k]]
	count(found) > 0
	es := _merge(found)
}

_merge(found) := found[0] if {
	count(found) == 1
} else := _entry(
	{x | some e in found; some x in e.summaries},
	{x | some e in found; some x in e.related},
)

# workload_alert reports a workload whose service account holds the
# account_entries es.
workload_alert(obj, acct, es, what, score) := {
	"alertMessage": sprintf("%s/%s runs as ServiceAccount %s/%s, which %s: %s", [
		obj.kind, obj.metadata.name, acct.namespace, acct.name, what, es.text,
	]),
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": [acct.path],
	"reviewPaths": [],
	"deletePaths": [],
	"fixPaths": [],
	"alertObject": {"k8sApiObjects": [obj]},
	"relatedObjects": es.list,
}

# grant_label names a binding's role and the binding for messages.
grant_label(b) := sprintf("%s %s bound by %s %s", [b.roleRef.kind, b.roleRef.name, b.kind, name(b)])
