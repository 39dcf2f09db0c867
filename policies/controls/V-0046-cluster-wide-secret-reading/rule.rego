package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	rbac.cluster_wide(vector)
	not rbac.system_subject(vector)
	hs := rbac.hits(vector, "secrets_read")
	count(hs) > 0
	msga := rbac.grant_alert(vector, "read the secrets of every namespace", hs, 7)
}
