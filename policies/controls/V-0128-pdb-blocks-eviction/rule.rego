package armo_builtins

import data.vigil.alert
import data.vigil.pss

deny contains msga if {
	some pdb in input
	value := pdb.spec.maxUnavailable
	zero(value)
	msga := alert.make(
		pdb,
		sprintf("PodDisruptionBudget %q sets maxUnavailable to %v: no pod it selects can ever be evicted, so node drains block", [pdb.metadata.name, value]),
		3,
		["spec.maxUnavailable"],
		[{"path": "spec.maxUnavailable", "value": "1"}],
	)
}

deny contains msga if {
	some pdb in input
	value := pdb.spec.minAvailable
	is_string(value)
	regex.match(`^0*100%$`, value)
	msga := {
		"alertMessage": sprintf("PodDisruptionBudget %q sets minAvailable to %q: no pod it selects can ever be evicted, so node drains block", [pdb.metadata.name, value]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": ["spec.minAvailable"],
		"deletePaths": ["spec.minAvailable"],
		"fixPaths": [{"path": "spec.maxUnavailable", "value": "1"}],
		"alertObject": {"k8sApiObjects": [pdb]},
	}
}

zero(0)

zero(v) if {
	is_string(v)
	regex.match(`^0+%?$`, v)
}
