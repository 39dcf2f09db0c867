package armo_builtins

import data.vigil.pss
import data.vigil.workload

deny contains msga if {
	some c in workload.input_containers
	c.container.securityContext.privileged == true
	path := concat("", [c.path, ".securityContext.privileged"])
	msga := {
		"alertMessage": concat("", [pss.container_label(c), " runs privileged: it has every capability and access to the node's devices"]),
		"alertScore": 8,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
