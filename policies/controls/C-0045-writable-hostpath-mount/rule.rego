package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	vols := wlconfig.host_volumes(obj)
	count(vols) > 0
	some c in workload.containers(obj)
	some j, m in c.container.volumeMounts
	some v in vols
	v.name == m.name
	object.get(m, "readOnly", false) != true
	path := sprintf("%s.volumeMounts[%d].readOnly", [c.path, j])
	msga := {
		"alertMessage": sprintf("%s mounts the host path %s writable at %q", [wlconfig.container_desc(obj, c), wlconfig.shown(v), object.get(m, "mountPath", "")]),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "true"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
