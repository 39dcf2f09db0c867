package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some c in workload.containers(obj)
	not c.container.securityContext.runAsNonRoot == true
	f := secctx.non_root_finding(obj, spec, c)
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, secctx.non_root_msg(f.zero)]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": f.failed,
		"fixPaths": f.fixes,
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
