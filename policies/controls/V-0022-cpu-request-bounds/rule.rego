package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some msga in wlconfig.bound_alerts(obj, "requests", "cpu", "cpu_request_min", "cpu_request_max", 3)
}
