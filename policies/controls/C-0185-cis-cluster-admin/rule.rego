package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	[_, b] := rbac.binding(vector)
	b.roleRef.kind == "ClusterRole"
	b.roleRef.name == "cluster-admin"
	not rbac.system_subject(vector)
	msga := rbac.subject_alert(
		vector,
		sprintf("%s is bound to cluster-admin by %s %s, %s", [rbac.subject_name(vector), b.kind, rbac.name(b), reach(vector)]),
		score(vector),
		[rbac.roleref_path(vector)],
	)
}

reach(vector) := "which gives it the whole cluster" if rbac.cluster_wide(vector)

else := sprintf("which gives it full control of namespace %s", [object.get(b.metadata, "namespace", "")]) if {
	[_, b] := rbac.binding(vector)
}

score(vector) := 7 if rbac.cluster_wide(vector)

else := 5
