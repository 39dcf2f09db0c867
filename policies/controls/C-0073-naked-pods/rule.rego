package armo_builtins

import data.vigil.alert

deny contains msga if {
	some obj in input
	obj.kind == "Pod"
	count(object.get(obj.metadata, "ownerReferences", [])) == 0
	not standalone(obj)
	msga := alert.make(
		obj,
		sprintf("Pod/%s is not managed by a controller: nothing recreates it if its node fails or it is evicted", [obj.metadata.name]),
		3,
		[],
		[],
	)
}

# Helm hooks and static pods are standalone by design.
standalone(obj) if obj.metadata.annotations["helm.sh/hook"]

standalone(obj) if obj.metadata.annotations["kubernetes.io/config.mirror"]
