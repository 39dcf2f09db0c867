package armo_builtins

import data.vigil.alert
import data.vigil.workload

allowed := {
	"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
	"persistentVolumeClaim", "projected", "secret",
}

deny contains msga if {
	some obj in input
	some v in workload.volumes(obj)
	is_object(v.volume)
	sources := [k | some k, val in v.volume; k != "name"; val != null]
	# A volume with an allowed source passes; one with no source at all is
	# defaulted to an emptyDir by the API server.
	count(sources) > 0
	not any_allowed(sources)
	paths := [concat("", [v.path, ".", k]) | some k in sources]
	msga := {
		"alertMessage": sprintf("volume %q of %s is of type %s, which the restricted profile does not allow", [object.get(v.volume, "name", ""), alert.name(obj), concat(", ", sources)]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

any_allowed(sources) if {
	some k in sources
	k in allowed
}
