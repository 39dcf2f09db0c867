package armo_builtins

import data.vigil.alert
import data.vigil.pss

deny contains msga if {
	some hpa in input
	high := hpa.spec.maxReplicas
	is_number(high)
	low := pss.get(hpa.spec, "minReplicas", 1)
	is_number(low)
	low >= high
	msga := alert.make(
		hpa,
		sprintf("HorizontalPodAutoscaler %q %s", [hpa.metadata.name, describe(low, high)]),
		2,
		paths(hpa),
		[],
	)
}

describe(low, high) := sprintf("has minReplicas equal to maxReplicas (%d): it can never scale", [high]) if low == high

describe(low, high) := sprintf("has minReplicas %d above maxReplicas %d, which the API server rejects", [low, high]) if low > high

paths(hpa) := ["spec.minReplicas", "spec.maxReplicas"] if pss.get(hpa.spec, "minReplicas", null) != null

else := ["spec.maxReplicas"]
