package armo_builtins

import data.vigil.pss
import data.vigil.secctx

# Windows pods are exempt (secctx.linux_containers leaves them out).
deny contains msga if {
	some c in secctx.linux_containers
	not c.container.securityContext.allowPrivilegeEscalation == false
	path := secctx.ape_path(c)
	msga := {
		"alertMessage": concat("", [pss.container_label(c), " ", state(c), ": its processes can gain privileges through set-user-ID programs"]),
		"alertScore": 5,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

state(c) := "sets allowPrivilegeEscalation: true" if {
	c.container.securityContext.allowPrivilegeEscalation == true
} else := "does not set allowPrivilegeEscalation: false"
