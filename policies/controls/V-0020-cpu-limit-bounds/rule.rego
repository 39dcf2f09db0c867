package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# Every bound of the control's inputs, checked against the CPU limit of
# each container and init container. Without bounds configured there is
# nothing to check, and no container is looked at.
deny contains msga if {
	bounds := wlconfig.bounds.cpu_limit
	count(bounds) > 0
	some obj in input
	spec := workload.pod_spec(obj)
	some field in ["containers", "initContainers"]
	some i, ct in spec[field]
	v := object.get(ct, ["resources", "limits", "cpu"], null)
	v != null
	n := wlconfig.quantity_nano(v)
	some [cmp, b, bn] in bounds
	wlconfig.outside(cmp, n, bn)
	path := sprintf("%s.%s[%d].resources.limits.cpu", [workload.prefix[obj.kind], field, i])
	msga := {
		"alertMessage": sprintf("%s %q in %s has a CPU limit of %v, %s %v", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), v, cmp, b]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "YOUR_CPU_LIMIT"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
