package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some c in workload.input_containers
	c.container.securityContext.capabilities.add
	bad := [a | some a in secctx.added(c); a.name != "NET_BIND_SERVICE"]
	count(bad) > 0
	paths := [a.path | some a in bad]
	msga := {
		"alertMessage": concat("", [secctx.label(c), " adds capabilities: ", concat(", ", [a.name | some a in bad])]),
		"alertScore": 5,
		"failedPaths": paths,
		"deletePaths": paths,
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
