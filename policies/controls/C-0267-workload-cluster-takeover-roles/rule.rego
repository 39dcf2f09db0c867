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

# One finding per binding and role that gives takeover powers.
findings := [f |
	some b in rbac.input_bindings
	where := reach(b)
	cluster := b.kind == "ClusterRoleBinding"
	some br in rbac.binding_rules(b)
	found := {id: hs |
		some id, _ in takeover
		hs := {x |
			some e in br.rules
			some h in rbac.rule_hits(e.rule, id, cluster)
			x := object.union(h, {"prefix": e.prefix})
		}
		count(hs) > 0
	}
	count(found) > 0
	f := finding(b, br, where, found)
]

finding(b, br, where, found) := {
	"binding": b,
	"role": br.role,
	"rolePaths": sort({p |
		some hs in found
		some h in hs
		h.prefix != ""
		some p in [sprintf("%s.verbs[%d]", [h.prefix, h.vi]), sprintf("%s.resources[%d]", [h.prefix, h.ri])]
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
	some obj in input
	acct := rbac.workload_account(obj)
	es := rbac.account_entries(grouped, acct)
	rbac.token_mounted(acct.spec, acct.namespace, acct.name)
	msga := rbac.workload_alert(obj, acct, es, "can take over the cluster", 8)
}
