package armo_builtins

import data.vigil.pss
import data.vigil.workload

# Pods in their own user namespace (hostUsers: false) may unmask /proc.
deny contains msga if {
	some c in workload.input_containers
	mount := c.container.securityContext.procMount
	mount != null
	mount != "Default"
	not c.spec.hostUsers == false
	path := concat("", [c.path, ".securityContext.procMount"])
	msga := {
		"alertMessage": sprintf("%s sets procMount %q: the host's /proc masks are lifted", [pss.container_label(c), mount]),
		"alertScore": 5,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "Default"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
