package armo_builtins

import data.vigil.secctx

deny contains msga if {
	some c in secctx.linux_containers
	profile := secctx.apparmor(c.obj, c.spec, c)
	profile.type == "Unconfined"
	msga := {
		"alertMessage": concat("", [secctx.label(c), " runs with AppArmor explicitly unconfined (set by the ", replace(profile.source, "-", " "), ")"]),
		"alertScore": 5,
		"failedPaths": [profile.path],
		"fixPaths": [secctx.profile_fix(profile)],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
