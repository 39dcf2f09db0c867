package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	not rbac.system_subject(vector)
	hs := rbac.hits(vector, "sa_token")
	count(hs) > 0
	msga := rbac.grant_alert(vector, "issue tokens for service accounts", hs, 6)
}
