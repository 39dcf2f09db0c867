package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

allowed_types := {"RuntimeDefault", "Localhost"}

deny contains msga if {
	some obj in input
	profile := pss.pod_sc(obj).seccompProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := pss.pod_path(obj, ".securityContext.seccompProfile.type")
	msga := alert.make(
		obj,
		sprintf("%s sets seccomp profile type %q in its pod securityContext: system calls of containers that do not override it are not filtered", [alert.name(obj), type]),
		5,
		[path],
		[{"path": path, "value": "RuntimeDefault"}],
	)
}

deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	profile := pss.container_sc(c).seccompProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := concat("", [c.path, ".securityContext.seccompProfile.type"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s sets seccomp profile type %q: its system calls are not filtered", [c.container.name, alert.name(obj), type]),
		5,
		[path],
		[{"path": path, "value": "RuntimeDefault"}],
	)
}
