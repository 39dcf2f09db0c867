package armo_builtins

import data.vigil.alert
import data.vigil.workload

allowed := {
	"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
	"persistentVolumeClaim", "projected", "secret",
}

deny contains msga if {
	some v in workload.input_volumes
	is_object(v.volume)
	# A volume with an allowed source passes (checked first: most do); one
	# with no source at all is defaulted to an emptyDir by the API server.
	not allowed_source(v.volume)
	sources := [k | some k, val in v.volume; k != "name"; val != null]
	count(sources) > 0
	paths := [concat("", [v.path, ".", k]) | some k in sources]
	msga := {
		"alertMessage": sprintf("volume %q of %s is of type %s, which the restricted profile does not allow", [object.get(v.volume, "name", ""), alert.name(v.obj), concat(", ", sources)]),
		"alertScore": 4,
		"failedPaths": paths,
		"alertObject": {"k8sApiObjects": [v.obj]},
	}
}

allowed_source(volume) if {
	some k in allowed
	volume[k] != null
}
