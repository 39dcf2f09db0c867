package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some c in workload.containers(obj)
	p := wlconfig.image_parts(c.container.image)
	wlconfig.floating(p)
	path := concat("", [c.path, ".image"])
	msga := {
		"alertMessage": sprintf("%s uses image %q %s", [wlconfig.container_desc(obj, c), c.container.image, what(p)]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": concat("", [p.name, ":YOUR_IMAGE_TAG"])}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

what(p) := "without a tag or digest: it runs whatever is latest when the node pulls" if p.tag == ""

what(p) := "with the moving tag latest and no digest" if p.tag == "latest"
