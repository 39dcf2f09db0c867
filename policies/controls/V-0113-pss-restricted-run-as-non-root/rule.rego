package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# Pods in their own user namespace (hostUsers: false) are exempt.

# The pod securityContext turns the check off for every container that
# does not set it itself.
deny contains msga if {
	some w in workload.input_pods
	w.spec.securityContext.runAsNonRoot == false
	not w.spec.hostUsers == false
	path := concat("", [w.prefix, ".securityContext.runAsNonRoot"])
	msga := {
		"alertMessage": sprintf("%s sets runAsNonRoot: false in its pod securityContext%s", [alert.name(w.obj), inheriting(w.spec)]),
		"alertScore": 5,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "true"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

# A container turns the check off.
deny contains msga if {
	some c in workload.input_containers
	c.container.securityContext.runAsNonRoot == false
	not c.spec.hostUsers == false
	path := concat("", [c.path, ".securityContext.runAsNonRoot"])
	msga := {
		"alertMessage": concat("", [pss.container_label(c), " sets runAsNonRoot: false: it may run as root"]),
		"alertScore": 5,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "true"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# Neither the pod nor some containers set it: setting it in the pod
# securityContext covers them all.
deny contains msga if {
	some w in workload.input_pods
	object.get(w.spec, ["securityContext", "runAsNonRoot"], null) == null
	not w.spec.hostUsers == false
	names := unset(w.spec)
	count(names) > 0
	path := concat("", [w.prefix, ".securityContext.runAsNonRoot"])
	msga := {
		"alertMessage": sprintf("%s %s in %s may run as root: neither the %s nor the pod securityContext %s runAsNonRoot: true", [pss.container_word(names), pss.quoted(names), alert.name(w.obj), pss.container_word(names), pss.verb(names, "sets", "set")]),
		"alertScore": 5,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "true"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

# unset lists the containers of a pod spec that leave runAsNonRoot to the
# pod: the containers workload.containers lists, read in place.
unset(spec) := [c.name |
	some field in workload.container_fields
	some i, c in spec[field]
	is_number(i)
	object.get(c, ["securityContext", "runAsNonRoot"], null) == null
]

inheriting(spec) := sprintf(" (inherited by %s %s)", [pss.container_word(names), pss.quoted(names)]) if {
	names := unset(spec)
	count(names) > 0
} else := ""
