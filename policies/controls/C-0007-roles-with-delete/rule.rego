package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	not rbac.system_subject(vector)
	hs := rbac.hits(vector, "delete_data") | rbac.hits(vector, "delete_namespaces")
	count(hs) > 0
	msga := rbac.grant_alert(vector, "delete workloads and data", hs, 5)
}
