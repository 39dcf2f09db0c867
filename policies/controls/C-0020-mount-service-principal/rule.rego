package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	some v in wlconfig.host_volumes(obj)
	cred := wlconfig.cloud_credential(v.host)
	msga := {
		"alertMessage": sprintf("%s mounts the host path %s (volume %q), which exposes the node's cloud credentials at %s", [wlconfig.alert_name(obj), wlconfig.shown(v), v.name, cred]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": [v.path],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
