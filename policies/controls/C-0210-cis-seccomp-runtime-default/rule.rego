package armo_builtins

import data.vigil.secctx

deny contains msga if {
	some c in secctx.linux_containers
	profile := secctx.seccomp(c.obj, c.spec, c)
	not profile.type in secctx.confining_profile
	fix := seccomp_fix(c, profile)
	msga := {
		"alertMessage": concat("", [secctx.label(c), " ", problem(profile)]),
		"alertScore": 4,
		"failedPaths": [fix.path],
		"fixPaths": [fix],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# The fix goes where the profile comes from, or into the pod spec when no
# level sets one.
seccomp_fix(c, profile) := secctx.profile_fix(profile) if {
	profile.source != "none"
} else := {"path": secctx.pod_seccomp_path(c.obj), "value": "RuntimeDefault"}

problem(profile) := "has no seccomp profile: it runs Unconfined" if profile.source == "none"

else := concat("", ["has seccomp profile ", profile.type, " (from the ", replace(profile.source, "-", " "), ") instead of RuntimeDefault"])
