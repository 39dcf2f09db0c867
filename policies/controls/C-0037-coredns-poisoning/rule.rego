package armo_builtins

import data.vigil.rbac

# The grant reaches kube-system: a ClusterRoleBinding, or a RoleBinding
# that lives there.
reaches_kube_system(vector) if rbac.cluster_wide(vector)

reaches_kube_system(vector) if {
	[_, b] := rbac.binding(vector)
	b.metadata.namespace == "kube-system"
}

deny contains msga if {
	some vector in input
	# the capabilities this vector's binding grants, indexed once per vector
	idx := rbac.grant_index(vector)
	hs := idx["coredns"]
	reaches_kube_system(vector)
	not rbac.system_subject(vector)
	msga := rbac.grant_alert(vector, "change the cluster DNS configuration in kube-system", hs, 6)
}
