package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	not rbac.system_subject(vector)
	hs := rbac.hits(vector, "rbac_write")
	count(hs) > 0
	msga := rbac.grant_alert(vector, "change roles and bindings", hs, 6)
}
