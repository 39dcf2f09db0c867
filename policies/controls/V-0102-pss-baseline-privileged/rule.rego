package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	pss.container_sc(c).privileged == true
	path := concat("", [c.path, ".securityContext.privileged"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s runs privileged: it has every capability and access to the node's devices", [c.container.name, alert.name(obj)]),
		8,
		[path],
		[{"path": path, "value": "false"}],
	)
}
