package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	not rbac.system_subject(vector)
	hs := rbac.hits(vector, "pv_create")
	count(hs) > 0
	msga := rbac.grant_alert(vector, "create persistent volumes (a hostPath volume reaches the node)", hs, 6)
}
