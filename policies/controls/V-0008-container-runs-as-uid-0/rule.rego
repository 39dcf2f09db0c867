package armo_builtins

import data.vigil.secctx

deny contains msga if {
	some c in secctx.linux_containers
	u := secctx.root_user(c.obj, c.spec, c)
	msga := {
		"alertMessage": concat("", [secctx.label(c), " runs as UID 0: runAsUser is 0 (set on the ", u.level, ")"]),
		"alertScore": 7,
		"failedPaths": [u.path],
		"fixPaths": [{"path": u.path, "value": "YOUR_VALUE"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
