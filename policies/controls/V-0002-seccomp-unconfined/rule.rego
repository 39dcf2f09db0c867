package armo_builtins

import data.vigil.secctx

# Only the profile in force counts: a pod-level Unconfined that every
# container overrides leaves nothing unconfined.
deny contains msga if {
	some c in secctx.linux_containers
	profile := secctx.seccomp(c.obj, c.spec, c)
	profile.type == "Unconfined"
	msga := {
		"alertMessage": concat("", [secctx.label(c), " runs with seccomp explicitly Unconfined (set by the ", replace(profile.source, "-", " "), ")"]),
		"alertScore": 6,
		"failedPaths": [profile.path],
		"fixPaths": [secctx.profile_fix(profile)],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
