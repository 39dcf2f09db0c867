package armo_builtins

import data.vigil.rbac

admin_roles := {"cluster-admin", "admin"}

reach(b) := "cluster-wide" if {
	b.kind == "ClusterRoleBinding"
} else := sprintf("in namespace %s", [object.get(b.metadata, "namespace", "")])

# One finding per binding to an administrative role: cluster-admin or
# admin by name, or a role with a rule that allows every verb on every
# resource of every API group or of the core group (pods, secrets, service
# accounts). A "*" rule confined to another group (a metrics API, an
# operator's own custom resources) is not administrative.
findings := [f |
	some b in rbac.input_bindings
	some br in rbac.binding_roles(b)
	f := finding(b, br)
]

finding(b, br) := {
	"binding": b,
	"role": br.role,
	"rolePaths": [],
	"byName": true,
	"summary": sprintf("is bound to %s %s %s (%s %s)", [b.roleRef.kind, b.roleRef.name, reach(b), b.kind, rbac.name(b)]),
} if {
	b.roleRef.kind == "ClusterRole"
	b.roleRef.name in admin_roles
} else := {
	"binding": b,
	"role": br.role,
	"rolePaths": paths,
	"summary": sprintf("is bound to %s %s, which allows every verb on every resource, %s (%s %s)", [b.roleRef.kind, b.roleRef.name, reach(b), b.kind, rbac.name(b)]),
} if {
	br.role != null
	paths := sort({p |
		some j, pr in br.rules
		# lists that hold "*" (is_array: a malformed rule is not read)
		is_array(pr.verbs)
		"*" in pr.verbs
		is_array(pr.resources)
		"*" in pr.resources
		is_array(pr.apiGroups)
		some g in pr.apiGroups
		g in {"*", ""}
		some f in ["verbs", "resources"]
		some k, x in pr[f]
		x == "*"
		p := sprintf("rules[%d].%s[%d]", [j, f, k])
	})
	count(paths) > 0
}

grouped := rbac.member_entries(findings)

deny contains msga if {
	some [obj, acct, keys] in rbac.token_workloads
	es := rbac.entries_for(grouped, keys)
	msga := rbac.workload_alert(obj, acct, es, "holds an administrative role", 7)
}
