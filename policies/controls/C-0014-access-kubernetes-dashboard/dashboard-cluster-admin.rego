package armo_builtins

import data.vigil.network

deny contains msga if {
	some b in input
	b.kind in {"ClusterRoleBinding", "RoleBinding"}
	b.roleRef.kind == "ClusterRole"
	b.roleRef.name == "cluster-admin"
	subjects := [i |
		some i, s in network.as_array(object.get(b, "subjects", []))
		s.kind == "ServiceAccount"
		contains(lower(s.name), "kubernetes-dashboard")
	]
	count(subjects) > 0
	paths := [sprintf("subjects[%d]", [i]) | some i in subjects]
	msga := network.make(
		b,
		sprintf("%s binds the dashboard's service account %s to cluster-admin%s", [
			network.ref(b),
			concat(", ", [sprintf("%s/%s", [object.get(b.subjects[i], "namespace", network.namespace(b)), b.subjects[i].name]) | some i in subjects]),
			_scope(b),
		]),
		9,
		{"failed": ["roleRef.name"], "delete": paths},
		[],
	)
}

_scope(b) := "" if b.kind == "ClusterRoleBinding"

else := sprintf(" in namespace %q", [network.namespace(b)])
