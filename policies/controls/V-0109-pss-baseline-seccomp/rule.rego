package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.secctx
import data.vigil.workload

allowed_types := {"RuntimeDefault", "Localhost"}

deny contains msga if {
	some w in workload.input_pods
	profile := w.spec.securityContext.seccompProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := secctx.pod_seccomp_path(w.obj)
	msga := {
		"alertMessage": sprintf("%s sets seccomp profile type %q in its pod securityContext: system calls of containers that do not override it are not filtered", [alert.name(w.obj), type]),
		"alertScore": 5,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "RuntimeDefault"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

deny contains msga if {
	some c in workload.input_containers
	profile := c.container.securityContext.seccompProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := concat("", [c.path, ".securityContext.seccompProfile.type"])
	msga := {
		"alertMessage": sprintf("%s sets seccomp profile type %q: its system calls are not filtered", [pss.container_label(c), type]),
		"alertScore": 5,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "RuntimeDefault"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
