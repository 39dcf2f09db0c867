package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	mount := pss.container_sc(c).procMount
	mount != null
	mount != "Default"
	path := concat("", [c.path, ".securityContext.procMount"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s sets procMount %q, which the restricted profile forbids even in a user namespace", [c.container.name, alert.name(obj), mount]),
		5,
		[path],
		[{"path": path, "value": "Default"}],
	)
}
