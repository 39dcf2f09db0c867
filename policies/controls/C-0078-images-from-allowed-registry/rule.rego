package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# With an empty allow list the control needs configuration and the report
# skips it (actionRequired: configuration), so nothing is judged: every
# image would fail and each alert would be built for nothing.
deny contains msga if {
	count(data.postureControlInputs.imageRepositoryAllowList) > 0
	some obj in input
	spec := workload.pod_spec(obj)
	some field in workload.container_fields
	some i, ct in spec[field]
	img := ct.image
	is_string(img)
	trim_space(img) != ""
	not wlconfig.templated(img)
	full := normalized(img)
	not wlconfig.image_allowed({full, img})
	msga := {
		"alertMessage": sprintf("%s %q in %s runs image %q%s, which is not from an allowed registry", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), img, resolved(img, full)]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": [concat("", [workload.prefix[obj.kind], ".", field, "[", format_int(i, 10), "].image"])],
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
