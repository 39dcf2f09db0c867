package armo_builtins

import data.vigil.alert
import data.vigil.workload

critical := {"system-cluster-critical", "system-node-critical"}

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	spec.priorityClassName in critical
	object.get(obj.metadata, "namespace", "") != "kube-system"
	path := concat(".", [workload.prefix[obj.kind], "priorityClassName"])
	msga := alert.make(
		obj,
		sprintf("%s %s claims the %s priority class outside kube-system", [obj.kind, obj.metadata.name, spec.priorityClassName]),
		4,
		[path],
		[],
	)
}
