package armo_builtins

import data.vigil.rbac

# admin_paths are the paths that make a vector's binding administrative:
# the roleRef of a binding to cluster-admin, or the "*" entries of a role
# rule that allows every verb on every resource in every API group.
admin_paths(vector) := [rbac.roleref_path(vector)] if {
	[_, b] := rbac.binding(vector)
	b.roleRef.kind == "ClusterRole"
	b.roleRef.name == "cluster-admin"
} else := paths if {
	[ri, r] := rbac.role(vector)
	paths := sort({p |
		some j, pr in r.rules
		all_wildcard(pr)
		some f in ["apiGroups", "resources", "verbs"]
		some k, x in pr[f]
		x == "*"
		p := sprintf("%s.%s[%d]", [rbac.rule_path(ri, j), f, k])
	})
	count(paths) > 0
}

all_wildcard(pr) if {
	"*" in pr.apiGroups
	"*" in pr.resources
	"*" in pr.verbs
}

role_label(vector) := "cluster-admin" if {
	[_, b] := rbac.binding(vector)
	b.roleRef.name == "cluster-admin"
	b.roleRef.kind == "ClusterRole"
} else := sprintf("%s %s (every verb on every resource)", [b.roleRef.kind, b.roleRef.name]) if {
	[_, b] := rbac.binding(vector)
}

reach(vector) := "the cluster" if rbac.cluster_wide(vector)

else := sprintf("namespace %s (only there)", [object.get(b.metadata, "namespace", "")]) if {
	[_, b] := rbac.binding(vector)
}

score(vector) := 9 if rbac.cluster_wide(vector)

else := 6

deny contains msga if {
	some vector in input
	paths := admin_paths(vector)
	not rbac.system_subject(vector)
	[_, b] := rbac.binding(vector)
	msga := rbac.subject_alert(
		vector,
		sprintf("%s is bound to %s by %s %s: it has full control of %s", [rbac.subject_name(vector), role_label(vector), b.kind, rbac.name(b), reach(vector)]),
		score(vector),
		paths,
	)
}
