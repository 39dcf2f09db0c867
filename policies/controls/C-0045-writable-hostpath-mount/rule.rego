package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# Containers are read from the pod spec directly (not workload.containers),
# so that paths are only built for the mounts that fail.
deny contains msga if {
	some obj in input
	vols := wlconfig.host_volumes(obj)
	count(vols) > 0
	spec := workload.pod_spec(obj)
	some field in workload.container_fields
	some i, ct in spec[field]
	some j, m in ct.volumeMounts
	some v in vols
	v.name == m.name
	object.get(m, "readOnly", false) != true
	container := concat("", [workload.prefix[obj.kind], ".", field, "[", format_int(i, 10), "]"])
	path := sprintf("%s.volumeMounts[%d].readOnly", [container, j])
	msga := {
		"alertMessage": sprintf("%s %q in %s mounts the host path %s writable at %q", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), wlconfig.shown(v), object.get(m, "mountPath", "")]),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "true"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
