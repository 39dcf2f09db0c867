package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	some v in wlconfig.host_volumes(obj)
	wlconfig.sensitive_host(v.host)
	msga := {
		"alertMessage": sprintf("%s mounts the sensitive host path %s (volume %q)", [wlconfig.alert_name(obj), wlconfig.shown(v), v.name]),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": [v.path],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
