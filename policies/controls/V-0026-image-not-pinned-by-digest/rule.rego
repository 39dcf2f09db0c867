package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some c in workload.containers(obj)
	p := wlconfig.image_parts(c.container.image)
	p.digest == ""
	path := concat("", [c.path, ".image"])
	msga := {
		"alertMessage": sprintf("%s uses image %q, which is not pinned by digest", [wlconfig.container_desc(obj, c), c.container.image]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": concat("", [c.container.image, "@sha256:YOUR_IMAGE_DIGEST"])}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
