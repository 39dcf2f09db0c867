package armo_builtins

import data.vigil.pss
import data.vigil.workload

deny contains msga if {
	some c in workload.input_containers
	some j, port in c.container.ports
	hp := port.hostPort
	hp != null
	hp != 0
	path := sprintf("%s.ports[%d].hostPort", [c.path, j])
	msga := {
		"alertMessage": sprintf("%s binds host port %v on the node", [pss.container_label(c), hp]),
		"alertScore": 4,
		"failedPaths": [path],
		"deletePaths": [path],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
