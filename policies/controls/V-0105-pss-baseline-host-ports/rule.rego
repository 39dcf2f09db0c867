package armo_builtins

import data.vigil.alert
import data.vigil.workload

deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	some j, port in c.container.ports
	hp := port.hostPort
	hp != null
	hp != 0
	path := sprintf("%s.ports[%d].hostPort", [c.path, j])
	msga := {
		"alertMessage": sprintf("container %q in %s binds host port %v on the node", [c.container.name, alert.name(obj), hp]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"deletePaths": [path],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
