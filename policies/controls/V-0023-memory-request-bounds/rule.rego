package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# Every bound of the control's inputs, checked against the memory request of
# each container and init container. When only a limit is declared, the
# request the API server derives from it is checked, at the limit's path.
# Without bounds configured there is nothing to check, and no container is
# looked at.
deny contains msga if {
	bounds := wlconfig.bounds.memory_request
	count(bounds) > 0
	some obj in input
	spec := workload.pod_spec(obj)
	some field in ["containers", "initContainers"]
	some i, ct in spec[field]
	[src, v] := wlconfig.bound_value(ct, "requests", "memory")
	n := wlconfig.quantity_nano(v)
	some [cmp, b, bn] in bounds
	wlconfig.outside(cmp, n, bn)
	base := sprintf("%s.%s[%d].resources.", [workload.prefix[obj.kind], field, i])
	msga := {
		"alertMessage": sprintf("%s %q in %s has a memory request of %v%s, %s %v", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), v, wlconfig.derived_note(src, "requests"), cmp, b]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [concat("", [base, src, ".memory"])],
		"fixPaths": [{"path": concat("", [base, "requests.memory"]), "value": "YOUR_MEMORY_REQUEST"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
