package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	msga := wlconfig.label_alert(obj, data.postureControlInputs.recommendedLabels, 2, "recommended labels")
}
