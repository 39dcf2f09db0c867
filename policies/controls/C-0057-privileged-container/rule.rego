package armo_builtins

import data.vigil.alert
import data.vigil.workload

deny contains msga if {
	obj := input[_]
	some c in workload.containers(obj)
	c.container.securityContext.privileged == true
	path := concat("", [c.path, ".securityContext.privileged"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s runs privileged", [c.container.name, alert.name(obj)]),
		8,
		[path],
		[{"path": path, "value": "false"}],
	)
}
