package armo_builtins

import data.vigil.network

deny contains msga if {
	some svc in input
	svc.kind == "Service"
	sel := network.service_selector(svc)
	object.get(svc, ["spec", "type"], "ClusterIP") != "ExternalName"
	ns := network.namespace(svc)
	ns in network.workload_namespaces
	count(network.workloads_selected_by(svc)) == 0
	msga := network.make(
		svc,
		sprintf("%s selects no workload: no scanned workload of namespace %q has pod labels %s", [
			network.where(svc),
			ns,
			concat(", ", [sprintf("%s=%v", [k, v]) | some k, v in sel]),
		]),
		2,
		{"failed": ["spec.selector"]},
		[],
	)
}
