package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

deny contains msga if {
	some obj in input
	not pss.windows_pod(obj)
	some c in workload.containers(obj)
	value := object.get(pss.container_sc(c), "allowPrivilegeEscalation", null)
	value != false
	path := concat("", [c.path, ".securityContext.allowPrivilegeEscalation"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s %s: its processes can gain privileges through set-user-ID programs", [c.container.name, alert.name(obj), state(value)]),
		5,
		[path],
		[{"path": path, "value": "false"}],
	)
}

state(true) := "sets allowPrivilegeEscalation: true"

state(v) := "does not set allowPrivilegeEscalation: false" if v != true
