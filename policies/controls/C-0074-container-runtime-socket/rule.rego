package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some v in wlconfig.host_volumes(obj)
	what := wlconfig.runtime_socket(v.host)
	msga := wlconfig.hostpath_alert(obj, v, 9, sprintf("%s mounts %s %s (volume %q): it can control every container on the node", [wlconfig.alert_name(obj), what, wlconfig.shown(v), v.name]))
}
