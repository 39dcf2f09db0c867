package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# Containers (init and ephemeral ones included) are read from the pod spec
# directly, so that paths are only built for those that fail.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some field in workload.container_fields
	some i, ct in spec[field]
	p := wlconfig.image_parts(ct.image)
	p.digest == ""
	path := concat("", [workload.prefix[obj.kind], ".", field, "[", format_int(i, 10), "].image"])
	msga := {
		"alertMessage": sprintf("%s %q in %s uses image %q, which is not pinned by digest", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), ct.image]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": concat("", [ct.image, "@sha256:YOUR_IMAGE_DIGEST"])}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
