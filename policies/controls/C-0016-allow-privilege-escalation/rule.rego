package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	e := secctx.escalation(c)
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " allows privilege escalation: ", e.why]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": e.failed,
		"fixPaths": e.fixes,
		"deletePaths": e.deletes,
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
