package armo_builtins

import data.vigil.secctx

deny contains msga if {
	some c in secctx.linux_containers
	not c.container.securityContext.readOnlyRootFilesystem == true
	path := concat("", [c.path, ".securityContext.readOnlyRootFilesystem"])
	msga := {
		"alertMessage": concat("", [secctx.label(c), " has a writable root filesystem: readOnlyRootFilesystem is ", state(c)]),
		"alertScore": 3,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "true"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

state(c) := "false" if c.container.securityContext.readOnlyRootFilesystem == false

else := "not set"
