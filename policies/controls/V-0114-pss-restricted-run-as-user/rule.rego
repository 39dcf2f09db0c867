package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

deny contains msga if {
	some obj in input
	not pss.user_namespace_pod(obj)
	pss.pod_sc(obj).runAsUser == 0
	path := pss.pod_path(obj, ".securityContext.runAsUser")
	msga := root_alert(obj, sprintf("%s sets runAsUser: 0 (root) in its pod securityContext%s", [alert.name(obj), inheriting(obj)]), path)
}

deny contains msga if {
	some obj in input
	not pss.user_namespace_pod(obj)
	some c in workload.containers(obj)
	pss.container_sc(c).runAsUser == 0
	path := concat("", [c.path, ".securityContext.runAsUser"])
	msga := root_alert(obj, sprintf("container %q in %s sets runAsUser: 0: it runs as root", [c.container.name, alert.name(obj)]), path)
}

root_alert(obj, msg, path) := {
	"alertMessage": msg,
	"alertScore": 5,
	"packagename": "armo_builtins",
	"failedPaths": [path],
	"deletePaths": [path],
	"fixPaths": [],
	"alertObject": {"k8sApiObjects": [obj]},
}

inheriting(obj) := sprintf(": %s %s %s as root", [pss.container_word(names), pss.quoted(names), pss.verb(names, "runs", "run")]) if {
	names := [c.container.name |
		some c in workload.containers(obj)
		object.get(pss.container_sc(c), "runAsUser", null) == null
	]
	count(names) > 0
} else := ": every container overrides it, but the standard forbids the value at pod level as well"
