package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	c.container.securityContext.procMount == "Unmasked"
	path := concat("", [c.path, ".securityContext.procMount"])
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " mounts /proc unmasked (procMount: Unmasked): kernel interfaces the runtime normally hides are exposed"]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "Default"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
