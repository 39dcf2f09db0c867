package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	workload.pod_spec(obj)
	some c in workload.containers(obj)
	c.container.securityContext.capabilities.add
	bad := [a | some a in secctx.added(c); a.name != "NET_BIND_SERVICE"]
	count(bad) > 0
	paths := [a.path | some a in bad]
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " adds capabilities: ", concat(", ", [a.name | some a in bad])]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"fixPaths": [],
		"deletePaths": paths,
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
