package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	profile := secctx.seccomp(obj, spec, c)
	not profile.type in secctx.confining_profile
	fix := seccomp_fix(obj, profile)
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " ", problem(profile)]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [fix.path],
		"fixPaths": [fix],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# The fix goes where the profile comes from, or into the pod spec when no
# level sets one.
seccomp_fix(obj, profile) := secctx.profile_fix(profile) if {
	profile.source != "none"
} else := {"path": concat("", [workload.prefix[obj.kind], ".securityContext.seccompProfile.type"]), "value": "RuntimeDefault"}

problem(profile) := "has no seccomp profile: it runs Unconfined" if profile.source == "none"

else := concat("", ["has seccomp profile ", profile.type, " (from the ", replace(profile.source, "-", " "), ") instead of RuntimeDefault"])
