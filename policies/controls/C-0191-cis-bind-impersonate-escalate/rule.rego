package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	hs := rbac.hits_any(vector, ["bind_escalate", "impersonate"])
	count(hs) > 0
	not rbac.system_subject(vector)
	msga := rbac.grant_alert(vector, "get around RBAC's escalation check", hs, 7)
}
