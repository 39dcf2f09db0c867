package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	some v in wlconfig.host_volumes(obj)
	msga := {
		"alertMessage": sprintf("%s has a hostPath volume %q on the host path %s", [wlconfig.alert_name(obj), v.name, wlconfig.shown(v)]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": [v.path],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
