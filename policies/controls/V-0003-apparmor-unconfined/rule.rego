package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	profile := secctx.apparmor(obj, spec, c)
	profile.type == "Unconfined"
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " runs with AppArmor explicitly unconfined (set by the ", replace(profile.source, "-", " "), ")"]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": [profile.path],
		"fixPaths": [secctx.profile_fix(profile)],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
