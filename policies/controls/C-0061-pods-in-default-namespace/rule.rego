package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	wlconfig.in_default_namespace(obj)
	msga := wlconfig.namespace_alert(obj, 3, "")
}
