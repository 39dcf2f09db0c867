package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	wlconfig.in_default_namespace(obj)
	not wlconfig.default_ns_builtin(obj)
	msga := wlconfig.namespace_alert(obj, 3, "")
}
