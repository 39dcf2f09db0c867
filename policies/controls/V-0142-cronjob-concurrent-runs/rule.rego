package armo_builtins

deny contains msga if {
	some obj in input
	obj.kind == "CronJob"
	object.get(obj.spec, "concurrencyPolicy", "Allow") == "Allow"
	msga := {
		"alertMessage": sprintf("CronJob %s allows overlapping runs (concurrencyPolicy Allow)", [obj.metadata.name]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": ["spec.concurrencyPolicy"],
		"fixPaths": [{"path": "spec.concurrencyPolicy", "value": "Forbid"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
