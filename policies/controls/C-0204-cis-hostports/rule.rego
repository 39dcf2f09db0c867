package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some c in workload.containers(obj)
	c.container.ports
	paths := secctx.host_ports(c)
	count(paths) > 0
	r := remedy(obj, spec, c, paths)
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " binds a port on the node ", r.what]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"fixPaths": [],
		"deletePaths": r.deletes,
		"reviewPaths": r.reviews,
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# With hostNetwork the API server sets hostPort to the container port
# anyway, so removing it changes nothing: the pod's host networking is
# what needs a decision.
remedy(obj, spec, c, paths) := {
	"what": "(hostPort) while the pod uses the host network",
	"deletes": [],
	"reviews": [concat("", [workload.prefix[obj.kind], ".hostNetwork"])],
} if {
	spec.hostNetwork == true
} else := {
	"what": concat("", ["(hostPort ", concat(", ", [format_int(p.hostPort, 10) | some p in c.container.ports; is_number(p.hostPort); p.hostPort != 0]), ")"]),
	"deletes": paths,
	"reviews": [],
}
