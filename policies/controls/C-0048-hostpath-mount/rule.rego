package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some v in wlconfig.host_volumes(obj)
	msga := wlconfig.hostpath_alert(obj, v, 7, sprintf("%s has a hostPath volume %q on the host path %s", [wlconfig.alert_name(obj), v.name, wlconfig.shown(v)]))
}
