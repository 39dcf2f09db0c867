package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	# the capabilities this vector's binding grants, indexed once per vector
	idx := rbac.grant_index(vector)
	hs := idx["portforward"]
	not rbac.system_subject(vector)
	msga := rbac.grant_alert(vector, "port-forward into pods", hs, 5)
}
