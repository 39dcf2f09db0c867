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
	policy := ct.imagePullPolicy
	policy != "Always"
	p := wlconfig.image_parts(ct.image)
	wlconfig.floating(p)
	path := concat("", [workload.prefix[obj.kind], ".", field, "[", format_int(i, 10), "].imagePullPolicy"])
	msga := {
		"alertMessage": sprintf("%s %q in %s pulls the floating image %q with imagePullPolicy %v: each node runs whichever copy it cached", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), ct.image, policy]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "Always"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
