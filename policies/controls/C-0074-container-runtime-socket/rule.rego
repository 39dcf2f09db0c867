package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	some v in wlconfig.host_volumes(obj)
	what := wlconfig.runtime_socket(v.host)
	msga := {
		"alertMessage": sprintf("%s mounts %s %s (volume %q): it can control every container on the node", [wlconfig.alert_name(obj), what, wlconfig.shown(v), v.name]),
		"alertScore": 9,
		"packagename": "armo_builtins",
		"failedPaths": [v.path],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
