package armo_builtins

deny contains msga if {
	some obj in input
	obj.spec.replicas > 1
	spec := obj.spec.template.spec
	count(object.get(spec, "topologySpreadConstraints", [])) == 0
	not spec.affinity.podAntiAffinity
	msga := {
		"alertMessage": sprintf("%s %s runs %d replicas with no anti-affinity or topology spread: they may all land on one node", [obj.kind, obj.metadata.name, obj.spec.replicas]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": ["spec.template.spec.topologySpreadConstraints"],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
