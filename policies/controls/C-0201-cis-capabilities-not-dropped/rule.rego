package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	drops := secctx.dropped(c)
	not "ALL" in drops
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " does not drop ALL capabilities: ", kept(c, drops)]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [concat("", [c.path, ".securityContext.capabilities.drop"])],
		"fixPaths": [{"path": secctx.drop_append(c), "value": "ALL"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

kept(c, drops) := "it runs privileged, so it holds every capability" if c.container.securityContext.privileged == true

else := concat("", ["it keeps the runtime's default set", dropped_note(drops), added_note(c)])

dropped_note(drops) := concat("", [" minus ", concat(", ", sort(drops))]) if count(drops) > 0

else := ""

added_note(c) := concat("", [" and adds ", concat(", ", [a.name | some a in adds])]) if {
	adds := secctx.added(c)
	count(adds) > 0
} else := ""
