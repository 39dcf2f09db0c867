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
	wlconfig.floating(p)
	path := concat("", [workload.prefix[obj.kind], ".", field, "[", format_int(i, 10), "].image"])
	msga := {
		"alertMessage": sprintf("%s %q in %s uses image %q %s", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), ct.image, what[p.tag]]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": concat("", [p.name, ":YOUR_IMAGE_TAG"])}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# what says why a floating image floats, by its tag.
what := {
	"": "without a tag or digest: it runs whatever is latest when the node pulls",
	"latest": "with the moving tag latest and no digest",
}
