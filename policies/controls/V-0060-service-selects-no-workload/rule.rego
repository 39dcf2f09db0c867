package armo_builtins

import data.vigil.network

deny contains msga if {
	some svc in network.services
	# selected_workloads has a key for each Service that selects a workload:
	# a lookup settles most Services first
	not network.selected_workloads[svc]
	sel := network.service_selector(svc)
	object.get(svc, ["spec", "type"], "ClusterIP") != "ExternalName"
	ns := network.namespace(svc)
	ns in network.workload_namespaces
	msga := {
		"alertMessage": sprintf("%s selects no workload: no scanned workload of namespace %q has pod labels %s", [
			network.where(svc),
			ns,
			concat(", ", [sprintf("%s=%v", [k, v]) | some k, v in sel]),
		]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": ["spec.selector"],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": [],
		"relatedObjects": [],
		"alertObject": {"k8sApiObjects": [svc]},
	}
}
