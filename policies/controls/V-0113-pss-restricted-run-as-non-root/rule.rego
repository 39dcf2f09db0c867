package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# The pod securityContext turns the check off for every container that
# does not set it itself.
deny contains msga if {
	some obj in input
	not pss.user_namespace_pod(obj)
	pss.pod_sc(obj).runAsNonRoot == false
	path := pss.pod_path(obj, ".securityContext.runAsNonRoot")
	msga := alert.make(
		obj,
		sprintf("%s sets runAsNonRoot: false in its pod securityContext%s", [alert.name(obj), inheriting(obj)]),
		5,
		[path],
		[{"path": path, "value": "true"}],
	)
}

# A container turns the check off.
deny contains msga if {
	some obj in input
	not pss.user_namespace_pod(obj)
	some c in workload.containers(obj)
	pss.container_sc(c).runAsNonRoot == false
	path := concat("", [c.path, ".securityContext.runAsNonRoot"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s sets runAsNonRoot: false: it may run as root", [c.container.name, alert.name(obj)]),
		5,
		[path],
		[{"path": path, "value": "true"}],
	)
}

# Neither the pod nor some containers set it: setting it in the pod
# securityContext covers them all.
deny contains msga if {
	some obj in input
	not pss.user_namespace_pod(obj)
	object.get(pss.pod_sc(obj), "runAsNonRoot", null) == null
	names := unset(obj)
	count(names) > 0
	path := pss.pod_path(obj, ".securityContext.runAsNonRoot")
	msga := alert.make(
		obj,
		sprintf("%s %s in %s may run as root: neither the %s nor the pod securityContext %s runAsNonRoot: true", [pss.container_word(names), pss.quoted(names), alert.name(obj), pss.container_word(names), pss.verb(names, "sets", "set")]),
		5,
		[path],
		[{"path": path, "value": "true"}],
	)
}

# unset lists the containers that leave runAsNonRoot to the pod.
unset(obj) := [c.container.name |
	some c in workload.containers(obj)
	object.get(pss.container_sc(c), "runAsNonRoot", null) == null
]

inheriting(obj) := sprintf(" (inherited by %s %s)", [pss.container_word(names), pss.quoted(names)]) if {
	names := unset(obj)
	count(names) > 0
} else := ""
