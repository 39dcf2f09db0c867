package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some c in workload.containers(obj)
	img := c.container.image
	is_string(img)
	trim_space(img) != ""
	not wlconfig.templated(img)
	full := normalized(img)
	not wlconfig.image_allowed({full, img})
	msga := {
		"alertMessage": sprintf("%s runs image %q%s, which is not from an allowed registry", [wlconfig.container_desc(obj, c), img, resolved(img, full)]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": [concat("", [c.path, ".image"])],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# An image the parser rejects cannot be shown to come from an allowed
# registry; it is judged as written.
normalized(img) := n if {
	n := image.parse_normalized_name(img)
} else := img

resolved(img, full) := "" if {
	full == img
} else := sprintf(" (%s)", [full])
