package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	# the capabilities this vector's binding grants, indexed once per vector
	idx := rbac.grant_index(vector)
	hs := idx["sa_token"]
	not rbac.system_subject(vector)
	msga := rbac.grant_alert(vector, "issue tokens for service accounts", hs, 6)
}
