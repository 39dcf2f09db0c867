package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.etcd_shared_ca_alerts(obj, 6)
}
