package armo_builtins

import data.vigil.rbac

# What a service account must be able to do, cluster-wide, to take the
# cluster over, with the words the message uses.
takeover := {
	"pods_write": "create or change workloads",
	"secrets_read": "read secrets",
	"bind_escalate_any": "bind or escalate roles",
	"impersonate": "impersonate identities",
	"nodes_proxy": "reach every kubelet through nodes/proxy",
	"sa_token": "issue service account tokens",
}

# Grants that reach the whole cluster: a ClusterRoleBinding, or a
# RoleBinding in kube-system, whose service accounts and secrets are the
# control plane's.
reach(b) := "cluster-wide" if {
	b.kind == "ClusterRoleBinding"
} else := "in kube-system" if {
	b.kind == "RoleBinding"
	b.metadata.namespace in rbac.system_namespaces
}

# One finding per binding and role that gives takeover powers. Each hit
# of rule_hits is extended with j, the index of its rule in the role.
findings := [f |
	some b in rbac.input_bindings
	where := reach(b)
	cluster := b.kind == "ClusterRoleBinding"
	some br in rbac.binding_roles(b)
	found := {id: hs |
		# the takeover capabilities the role's rules can grant at all
		some id in {id | some pr in br.rules; some id in rbac.rule_caps(pr, cluster); takeover[id]}
		hs := {x |
			some j, pr in br.rules
			some h in rbac.rule_hits(pr, id, cluster)
			x := object.union(h, {"j": j})
		}
		count(hs) > 0
	}
	count(found) > 0
	f := finding(b, br, where, found)
]

# rolePaths point into a scanned role (a built-in role judged by name has
# no rules to point at).
finding(b, br, where, found) := {
	"binding": b,
	"role": br.role,
	"rolePaths": sort({p |
		br.role != null
		some hs in found
		some h in hs
		some p in [sprintf("rules[%d].verbs[%d]", [h.j, h.vi]), sprintf("rules[%d].resources[%d]", [h.j, h.ri])]
	}),
	"summary": summary(b, found, where),
}

summary(b, found, where) := sprintf("holds cluster-admin %s (%s)", [where, rbac.grant_label(b)]) if {
	b.roleRef.kind == "ClusterRole"
	b.roleRef.name == "cluster-admin"
} else := sprintf("can %s %s (%s)", [
	concat(", ", sort({takeover[id] | some id, _ in found})),
	where,
	rbac.grant_label(b),
])

grouped := rbac.member_entries(findings)

deny contains msga if {
	some [obj, acct, keys] in rbac.token_workloads
	es := rbac.entries_for(grouped, keys)
	msga := rbac.workload_alert(obj, acct, es, "can take over the cluster", 8)
}
