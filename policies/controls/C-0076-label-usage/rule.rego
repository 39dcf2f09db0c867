package armo_builtins

import data.vigil.wlconfig

# wanted is the input as a set, to intersect with each workload's labels.
wanted := {l | some l in data.postureControlInputs.recommendedLabels}

deny contains msga if {
	labels := data.postureControlInputs.recommendedLabels
	count(labels) > 0
	some obj in input
	obj.kind in wlconfig.workload_kinds
	# wlconfig.label_keys is shared with C-0077 (the same evaluation).
	count(wlconfig.label_keys(obj) & wanted) == 0
	msga := {
		"alertMessage": sprintf("%s and its pods carry none of the recommended labels: %s", [wlconfig.alert_name(obj), concat(", ", labels)]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": ["metadata.labels"],
		"fixPaths": [{"path": concat(".", ["metadata.labels", labels[0]]), "value": "YOUR_LABEL_VALUE"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
