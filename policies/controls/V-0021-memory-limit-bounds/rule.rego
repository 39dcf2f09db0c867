package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some msga in wlconfig.bound_alerts(obj, "limits", "memory", "memory_limit_min", "memory_limit_max", 3)
}
