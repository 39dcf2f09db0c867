package armo_builtins

import data.vigil.wlconfig

# In scope: workloads, and the default ServiceAccount of each namespace.
deny contains {"alertObject": {"k8sApiObjects": [obj]}} if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
}

deny contains {"alertObject": {"k8sApiObjects": [obj]}} if {
	some obj in input
	obj.kind == "ServiceAccount"
	obj.metadata.name == "default"
}
