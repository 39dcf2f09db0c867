package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some v in wlconfig.host_volumes(obj)
	cred := wlconfig.cloud_credential(v.host)
	msga := wlconfig.hostpath_alert(obj, v, 7, sprintf("%s mounts the host path %s (volume %q), which exposes the node's cloud credentials at %s", [wlconfig.alert_name(obj), wlconfig.shown(v), v.name, cred]))
}
