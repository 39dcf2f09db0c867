package armo_builtins

deny contains alert if {
	some obj in input
	not obj.metadata.labels.owner
	alert := {
		"alertMessage": sprintf("%s %s has no owner label", [obj.kind, obj.metadata.name]),
		"alertScore": 7,
		"failedPaths": [],
		"fixPaths": [{"path": "metadata.labels.owner", "value": "YOUR_TEAM"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
