package armo_builtins

import data.vigil.secctx

deny contains msga if {
	some c in secctx.linux_containers
	not c.container.securityContext.capabilities.drop[0]
	fix := unhardened(c)
	msga := {
		"alertMessage": concat("", [secctx.label(c), " has no Linux hardening: no confining seccomp or AppArmor profile, no SELinux options and no dropped capabilities"]),
		"alertScore": 4,
		"failedPaths": [fix.path],
		"fixPaths": [fix],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# unhardened is the fix for a container that has no seccomp, AppArmor or
# SELinux setting in force; undefined when it has one. The seccomp and
# AppArmor profiles are the ones C-0210, V-0002 and V-0003 resolve, with
# the same arguments, so OPA resolves each once per container.
unhardened(c) := fix if {
	profile := secctx.seccomp(c.obj, c.spec, c)
	not profile.type in secctx.confining_profile
	not apparmor_confined(c)
	not secctx.selinux_confining(c.obj, c.spec, c)
	fix := seccomp_fix(c, profile)
}

apparmor_confined(c) if secctx.apparmor(c.obj, c.spec, c).type in secctx.confining_profile

# The fix sets RuntimeDefault on the container. A legacy annotation for
# the container must change instead: the API server rejects a pod whose
# annotation and field disagree.
seccomp_fix(c, profile) := secctx.profile_fix(profile) if {
	profile.source == "container-annotation"
} else := {"path": concat("", [c.path, ".securityContext.seccompProfile.type"]), "value": "RuntimeDefault"}
