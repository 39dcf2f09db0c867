package armo_builtins

import data.vigil.pss
import data.vigil.workload

# The pod securityContext makes every container a HostProcess container.
deny contains msga if {
	some w in workload.input_pods
	w.spec.securityContext.windowsOptions.hostProcess == true
	path := concat("", [w.prefix, ".securityContext.windowsOptions.hostProcess"])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " sets windowsOptions.hostProcess: true in its pod securityContext: its containers run on the Windows host without isolation"]),
		"alertScore": 8,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

deny contains msga if {
	some c in workload.input_containers
	c.container.securityContext.windowsOptions.hostProcess == true
	path := concat("", [c.path, ".securityContext.windowsOptions.hostProcess"])
	msga := {
		"alertMessage": concat("", [pss.container_label(c), " is a Windows HostProcess container: it runs on the host without isolation"]),
		"alertScore": 8,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
