package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	u := secctx.root_user(obj, spec, c)
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " runs as UID 0: runAsUser is 0 (set on the ", u.level, ")"]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": [u.path],
		"fixPaths": [{"path": u.path, "value": "YOUR_VALUE"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
