package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.audit_policy_alerts(obj, 6)
}
