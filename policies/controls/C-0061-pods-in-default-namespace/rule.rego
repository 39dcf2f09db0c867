package armo_builtins

import data.vigil.wlconfig

# The namespace test comes first: it is the selective one.
deny contains msga if {
	some obj in input
	# Named explicitly (see wlconfig.in_default_namespace), tested inline:
	# this runs on every object.
	obj.metadata.namespace == "default"
	obj.kind in wlconfig.workload_kinds
	msga := {
		"alertMessage": sprintf("%s is explicitly placed in the default namespace", [wlconfig.alert_name(obj)]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": ["metadata.namespace"],
		"fixPaths": [{"path": "metadata.namespace", "value": "YOUR_NAMESPACE"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
