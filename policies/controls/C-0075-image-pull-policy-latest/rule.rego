package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some c in workload.containers(obj)
	policy := c.container.imagePullPolicy
	policy != "Always"
	p := wlconfig.image_parts(c.container.image)
	wlconfig.floating(p)
	path := concat("", [c.path, ".imagePullPolicy"])
	msga := {
		"alertMessage": sprintf("%s pulls the floating image %q with imagePullPolicy %v: each node runs whichever copy it cached", [wlconfig.container_desc(obj, c), c.container.image, policy]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "Always"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
