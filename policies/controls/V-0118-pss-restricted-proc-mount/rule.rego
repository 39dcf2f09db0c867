package armo_builtins

import data.vigil.pss
import data.vigil.workload

deny contains msga if {
	some c in workload.input_containers
	mount := c.container.securityContext.procMount
	mount != null
	mount != "Default"
	path := concat("", [c.path, ".securityContext.procMount"])
	msga := {
		"alertMessage": sprintf("%s sets procMount %q, which the restricted profile forbids even in a user namespace", [pss.container_label(c), mount]),
		"alertScore": 5,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "Default"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
