package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.secctx
import data.vigil.workload

allowed_types := {"RuntimeDefault", "Localhost"}

# Windows pods are exempt.

# A pod-level profile of the wrong type.
deny contains msga if {
	some w in workload.input_pods
	profile := w.spec.securityContext.seccompProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	not w.spec.os.name == "windows"
	path := secctx.pod_seccomp_path(w.obj)
	msga := {
		"alertMessage": sprintf("%s sets seccomp profile type %q in its pod securityContext%s", [alert.name(w.obj), type, inheriting(w.spec)]),
		"alertScore": 4,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "RuntimeDefault"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

# A container profile of the wrong type.
deny contains msga if {
	some c in secctx.linux_containers
	profile := c.container.securityContext.seccompProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := concat("", [c.path, ".securityContext.seccompProfile.type"])
	msga := {
		"alertMessage": sprintf("%s sets seccomp profile type %q: its system calls are not filtered", [pss.container_label(c), type]),
		"alertScore": 4,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "RuntimeDefault"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# Neither the pod nor some containers set a profile.
deny contains msga if {
	some w in workload.input_pods
	object.get(w.spec, ["securityContext", "seccompProfile"], null) == null
	not w.spec.os.name == "windows"
	names := unset(w.spec)
	count(names) > 0
	path := secctx.pod_seccomp_path(w.obj)
	msga := {
		"alertMessage": sprintf("%s %s in %s %s without a seccomp profile: neither the %s nor the pod securityContext %s one", [pss.container_word(names), pss.quoted(names), alert.name(w.obj), pss.verb(names, "runs", "run"), pss.container_word(names), pss.verb(names, "sets", "set")]),
		"alertScore": 4,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "RuntimeDefault"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

# unset lists the containers of a pod spec that leave the profile to the
# pod: the containers workload.containers lists, read in place.
unset(spec) := [c.name |
	some field in workload.container_fields
	some i, c in spec[field]
	is_number(i)
	object.get(c, ["securityContext", "seccompProfile"], null) == null
]

inheriting(spec) := sprintf(" (inherited by %s %s)", [pss.container_word(names), pss.quoted(names)]) if {
	names := unset(spec)
	count(names) > 0
} else := ""
