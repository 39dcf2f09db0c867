package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	not c.container.securityContext.capabilities.drop[0]
	fix := unhardened(obj, spec, c)
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " has no Linux hardening: no confining seccomp or AppArmor profile, no SELinux options and no dropped capabilities"]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [fix.path],
		"fixPaths": [fix],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# unhardened is the fix for a container that has no seccomp, AppArmor or
# SELinux setting in force; undefined when it has one.
unhardened(obj, spec, c) := container_fix(c) if {
	# The common case, decided without resolving profiles.
	not c.container.securityContext.seccompProfile
	not c.container.securityContext.appArmorProfile
	not c.container.securityContext.seLinuxOptions
	not spec.securityContext.seccompProfile
	not spec.securityContext.appArmorProfile
	not spec.securityContext.seLinuxOptions
	not secctx.has_profile_annotations(obj)
} else := fix if {
	profile := secctx.seccomp(obj, spec, c)
	not profile.type in secctx.confining_profile
	not apparmor_confined(obj, spec, c)
	not secctx.selinux_confining(obj, spec, c)
	fix := seccomp_fix(c, profile)
}

apparmor_confined(obj, spec, c) if secctx.apparmor(obj, spec, c).type in secctx.confining_profile

# The fix sets RuntimeDefault on the container. A legacy annotation for
# the container must change instead: the API server rejects a pod whose
# annotation and field disagree.
seccomp_fix(c, profile) := secctx.profile_fix(profile) if {
	profile.source == "container-annotation"
} else := container_fix(c)

container_fix(c) := {"path": concat("", [c.path, ".securityContext.seccompProfile.type"]), "value": "RuntimeDefault"}
