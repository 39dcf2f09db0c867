package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	hs := rbac.hits_any(vector, ["delete_data", "delete_namespaces"])
	count(hs) > 0
	not rbac.system_subject(vector)
	msga := rbac.grant_alert(vector, "delete workloads and data", hs, 5)
}
