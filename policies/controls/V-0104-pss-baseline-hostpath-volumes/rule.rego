package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

deny contains msga if {
	some v in workload.input_volumes
	v.volume.hostPath != null
	obj := v.obj
	host := pss.get(v.volume.hostPath, "path", "")
	# The container mounts that use the volume, for the reader to review.
	mounts := [sprintf("%s.volumeMounts[%d]", [c.path, k]) |
		some c in workload.containers(obj)
		some k, m in c.container.volumeMounts
		m.name == v.volume.name
	]
	path := concat("", [v.path, ".hostPath"])
	msga := {
		"alertMessage": sprintf("%s mounts the node path %q through hostPath volume %q", [alert.name(obj), host, v.volume.name]),
		"alertScore": 7,
		"failedPaths": [path],
		"reviewPaths": mounts,
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
