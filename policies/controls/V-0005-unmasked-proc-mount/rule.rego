package armo_builtins

import data.vigil.secctx

deny contains msga if {
	some c in secctx.linux_containers
	c.container.securityContext.procMount == "Unmasked"
	path := concat("", [c.path, ".securityContext.procMount"])
	msga := {
		"alertMessage": concat("", [secctx.label(c), " mounts /proc unmasked (procMount: Unmasked): kernel interfaces the runtime normally hides are exposed"]),
		"alertScore": 6,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "Default"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
