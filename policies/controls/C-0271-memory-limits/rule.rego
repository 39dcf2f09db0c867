package armo_builtins

import data.vigil.wlconfig

# One alert per container and missing value. Judged with every object at
# once, so LimitRange defaults of the workload's namespace are known.
# Pod-level resources and LimitRange defaults cover every container of a
# pod, and a request that is not stated defaults to the limit: see
# wlconfig.missing_resources, which finds the missing values once for all
# the resource controls (they are evaluated together) and builds their
# alerts but for the score.
deny contains msga if {
	some [k, r] in [["limits", "memory"]]
	some a in wlconfig.missing_resources[k][r]
	msga := {
		"alertMessage": a.alertMessage,
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": a.failedPaths,
		"fixPaths": a.fixPaths,
		"alertObject": a.alertObject,
	}
}
