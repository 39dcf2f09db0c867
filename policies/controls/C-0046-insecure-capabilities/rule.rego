package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# The configured capabilities, normalised once per evaluation.
insecure := {secctx.cap_name(x) | some x in data.postureControlInputs.insecureCapabilities}

deny contains msga if {
	some c in workload.input_containers
	c.container.securityContext.capabilities.add
	bad := [a | some a in secctx.added(c); a.name in insecure]
	count(bad) > 0
	paths := [a.path | some a in bad]
	msga := {
		"alertMessage": concat("", [secctx.label(c), " adds insecure capabilities: ", concat(", ", [a.name | some a in bad])]),
		"alertScore": 7,
		"failedPaths": paths,
		"deletePaths": paths,
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
