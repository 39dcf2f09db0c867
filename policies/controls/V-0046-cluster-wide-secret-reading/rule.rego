package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	# the capabilities this vector's binding grants, indexed once per vector
	idx := rbac.grant_index(vector)
	hs := idx["secrets_read"]
	rbac.cluster_wide(vector)
	not rbac.system_subject(vector)
	msga := rbac.grant_alert(vector, "read the secrets of every namespace", hs, 7)
}
