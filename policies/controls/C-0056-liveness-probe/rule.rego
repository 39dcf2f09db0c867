package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# Only regular containers: init containers run to completion, and
# ephemeral containers cannot have probes.
deny contains msga if {
	some obj in input
	wlconfig.long_running(obj)
	some i, ct in workload.pod_spec(obj).containers
	object.get(ct, "livenessProbe", null) == null
	path := sprintf("%s.containers[%d].livenessProbe", [workload.prefix[obj.kind], i])
	msga := {
		"alertMessage": sprintf("container %q in %s has no liveness probe", [ct.name, wlconfig.alert_name(obj)]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
