package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# Pods in their own user namespace (hostUsers: false) are exempt.

deny contains msga if {
	some w in workload.input_pods
	w.spec.securityContext.runAsUser == 0
	not w.spec.hostUsers == false
	path := concat("", [w.prefix, ".securityContext.runAsUser"])
	msga := {
		"alertMessage": sprintf("%s sets runAsUser: 0 (root) in its pod securityContext%s", [alert.name(w.obj), inheriting(w.spec)]),
		"alertScore": 5,
		"failedPaths": [path],
		"deletePaths": [path],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

deny contains msga if {
	some c in workload.input_containers
	c.container.securityContext.runAsUser == 0
	not c.spec.hostUsers == false
	path := concat("", [c.path, ".securityContext.runAsUser"])
	msga := {
		"alertMessage": concat("", [pss.container_label(c), " sets runAsUser: 0: it runs as root"]),
		"alertScore": 5,
		"failedPaths": [path],
		"deletePaths": [path],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# The containers that leave runAsUser to the pod: the containers
# workload.containers lists, read in place.
inheriting(spec) := sprintf(": %s %s %s as root", [pss.container_word(names), pss.quoted(names), pss.verb(names, "runs", "run")]) if {
	names := [c.name |
		some field in workload.container_fields
		some i, c in spec[field]
		is_number(i)
		object.get(c, ["securityContext", "runAsUser"], null) == null
	]
	count(names) > 0
} else := ": every container overrides it, but the standard forbids the value at pod level as well"
