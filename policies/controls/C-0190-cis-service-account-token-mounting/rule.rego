package armo_builtins

import data.vigil.wlconfig

# Judged with every object at once: a pod that leaves
# automountServiceAccountToken unset inherits its ServiceAccount's setting.
# (wlconfig builds the alerts but for the score, so that the controls that
# share this evaluation share the work.)
deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	a := wlconfig.token_finding(obj)
	msga := {
		"alertMessage": a.alertMessage,
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": a.failedPaths,
		"fixPaths": a.fixPaths,
		"alertObject": a.alertObject,
	}
}

deny contains msga if {
	some sa in input
	sa.kind == "ServiceAccount"
	a := wlconfig.sa_automount_finding(sa)
	msga := {
		"alertMessage": a.alertMessage,
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": a.failedPaths,
		"fixPaths": a.fixPaths,
		"alertObject": a.alertObject,
	}
}
