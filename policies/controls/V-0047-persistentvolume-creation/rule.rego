package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	# the capabilities this vector's binding grants, indexed once per vector
	idx := rbac.grant_index(vector)
	hs := idx["pv_create"]
	not rbac.system_subject(vector)
	msga := rbac.grant_alert(vector, "create persistent volumes (a hostPath volume reaches the node)", hs, 6)
}
