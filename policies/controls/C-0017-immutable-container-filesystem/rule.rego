package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	not c.container.securityContext.readOnlyRootFilesystem == true
	path := concat("", [c.path, ".securityContext.readOnlyRootFilesystem"])
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " has a writable root filesystem: readOnlyRootFilesystem is ", state(c)]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "true"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

state(c) := "false" if c.container.securityContext.readOnlyRootFilesystem == false

else := "not set"
