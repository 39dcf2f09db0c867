package armo_builtins

import data.vigil.secctx

# C-0016 reports the same finding. Both rules take the alert from
# secctx.escalation_alert, which OPA builds once per container for both.
# Windows pods cannot set allowPrivilegeEscalation.
deny contains msga if {
	some c in secctx.linux_containers
	msga := secctx.escalation_alert(c)
	msga != null
}
