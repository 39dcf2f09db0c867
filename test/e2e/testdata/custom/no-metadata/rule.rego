package armo_builtins

deny contains alert if {
	some obj in input
	obj.spec.hostNetwork
	alert := {"alertMessage": "host network", "alertObject": {"k8sApiObjects": [obj]}}
}
