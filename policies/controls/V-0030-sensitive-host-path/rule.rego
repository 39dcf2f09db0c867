package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some v in wlconfig.host_volumes(obj)
	wlconfig.sensitive_host(v.host)
	msga := wlconfig.hostpath_alert(obj, v, 8, sprintf("%s mounts the sensitive host path %s (volume %q)", [wlconfig.alert_name(obj), wlconfig.shown(v), v.name]))
}
