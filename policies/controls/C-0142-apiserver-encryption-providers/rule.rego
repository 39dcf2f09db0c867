package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.encryption_alerts(obj, 7)
}
