package armo_builtins

import data.vigil.wlconfig

# Judged with every object at once: a pod that leaves
# automountServiceAccountToken unset inherits the default account's setting.
deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	a := wlconfig.default_sa_finding(obj)
	msga := {
		"alertMessage": a.alertMessage,
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": a.failedPaths,
		"fixPaths": a.fixPaths,
		"alertObject": a.alertObject,
	}
}
