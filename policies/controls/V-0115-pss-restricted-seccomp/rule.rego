package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

allowed_types := {"RuntimeDefault", "Localhost"}

# A pod-level profile of the wrong type.
deny contains msga if {
	some obj in input
	not pss.windows_pod(obj)
	profile := pss.pod_sc(obj).seccompProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := pss.pod_path(obj, ".securityContext.seccompProfile.type")
	msga := alert.make(
		obj,
		sprintf("%s sets seccomp profile type %q in its pod securityContext%s", [alert.name(obj), type, inheriting(obj)]),
		4,
		[path],
		[{"path": path, "value": "RuntimeDefault"}],
	)
}

# A container profile of the wrong type.
deny contains msga if {
	some obj in input
	not pss.windows_pod(obj)
	some c in workload.containers(obj)
	profile := pss.container_sc(c).seccompProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := concat("", [c.path, ".securityContext.seccompProfile.type"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s sets seccomp profile type %q: its system calls are not filtered", [c.container.name, alert.name(obj), type]),
		4,
		[path],
		[{"path": path, "value": "RuntimeDefault"}],
	)
}

# Neither the pod nor some containers set a profile.
deny contains msga if {
	some obj in input
	not pss.windows_pod(obj)
	object.get(pss.pod_sc(obj), "seccompProfile", null) == null
	names := unset(obj)
	count(names) > 0
	path := pss.pod_path(obj, ".securityContext.seccompProfile.type")
	msga := alert.make(
		obj,
		sprintf("%s %s in %s %s without a seccomp profile: neither the %s nor the pod securityContext %s one", [pss.container_word(names), pss.quoted(names), alert.name(obj), pss.verb(names, "runs", "run"), pss.container_word(names), pss.verb(names, "sets", "set")]),
		4,
		[path],
		[{"path": path, "value": "RuntimeDefault"}],
	)
}

# unset lists the containers that leave the profile to the pod.
unset(obj) := [c.container.name |
	some c in workload.containers(obj)
	object.get(pss.container_sc(c), "seccompProfile", null) == null
]

inheriting(obj) := sprintf(" (inherited by %s %s)", [pss.container_word(names), pss.quoted(names)]) if {
	names := unset(obj)
	count(names) > 0
} else := ""
